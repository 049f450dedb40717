"""Grading of every question type (all or nothing), answers as data and as typed lines."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from trainer.quiz import Deck, load_decks
from trainer.quiz.grading import (
    AnswerError,
    answer_from_data,
    answer_to_data,
    is_correct,
    parse_typed,
    present,
)

FIXTURES = Path(__file__).parent / "fixtures" / "quizzes"


@pytest.fixture(scope="module")
def deck() -> Deck:
    (loaded,) = load_decks([FIXTURES / "good-sample.yaml"]).decks
    return loaded


GRADING_CASES = [
    # (question id, answer as data, right?, the rule checked)
    ("trust-principal", "a", True, "single: the one correct option"),
    ("trust-principal", "b", False, "single: another option"),
    ("trust-principal", None, False, "unanswered counts as wrong"),
    ("s3-resources", ["a", "b"], True, "multi: exactly the correct set"),
    ("s3-resources", ["b", "a"], True, "multi: order of choices does not matter"),
    ("s3-resources", ["a"], False, "multi: a subset earns no partial credit"),
    ("s3-resources", ["a", "b", "c"], False, "multi: a superset is wrong"),
    ("kms-at-rest", True, True, "true_false: the stated answer"),
    ("kms-at-rest", False, False, "true_false: the other one"),
    ("key-steps", ["create", "allow", "train"], True, "ordering: exactly the right order"),
    ("key-steps", ["allow", "create", "train"], False, "ordering: one swap is wrong"),
    ("endpoint-purpose", {"api": "a", "runtime": "b", "s3": "c"}, True, "matching: every pair"),
    ("endpoint-purpose", {"api": "a", "runtime": "c", "s3": "b"}, False, "matching: two swapped"),
    ("endpoint-purpose", {"api": "a", "runtime": "b", "s3": "d"}, False, "matching: a distractor"),
]


@pytest.mark.parametrize(("question_id", "value", "right", "rule"), GRADING_CASES)
def test_grading(deck: Deck, question_id: str, value: object, right: bool, rule: str) -> None:
    question = deck.question(question_id)
    assert question is not None
    answer = answer_from_data(question, value)
    assert is_correct(question, answer) is right, rule
    # What the store keeps reads back to the same answer.
    assert answer_from_data(question, answer_to_data(answer)) == answer


MALFORMED_CASES = [
    ("trust-principal", "z", "not one of the option ids"),
    ("trust-principal", ["a"], "a list for a single answer"),
    ("s3-resources", "a", "a letter for a multiple answer"),
    ("s3-resources", ["a", "a"], "the same option twice"),
    ("s3-resources", ["a", "q"], "an unknown option"),
    ("kms-at-rest", "yes", "text for true/false"),
    ("key-steps", ["create", "train"], "ordering: an item left out"),
    ("key-steps", ["create", "allow", "nope"], "ordering: an unknown item"),
    ("endpoint-purpose", {"api": "a", "runtime": "b"}, "matching: a prompt left out"),
    ("endpoint-purpose", {"api": "a", "runtime": "b", "s3": "z"}, "matching: unknown response"),
    ("endpoint-purpose", ["a", "b", "c"], "matching: a list instead of a map"),
]


@pytest.mark.parametrize(("question_id", "value", "rule"), MALFORMED_CASES)
def test_malformed_answers_are_errors(
    deck: Deck, question_id: str, value: object, rule: str
) -> None:
    question = deck.question(question_id)
    assert question is not None
    with pytest.raises(AnswerError) as caught:
        answer_from_data(question, value)
    message = str(caught.value)
    assert f'question "{question_id}"' in message and "\n" not in message, rule


def test_options_shuffle_but_fixed_ones_keep_their_place(deck: Deck) -> None:
    question = deck.question("trust-principal")
    assert question is not None
    orders = {present(question, random.Random(seed)).order for seed in range(30)}
    assert len(orders) > 1
    assert all(sorted(order) == ["a", "b", "c", "d"] for order in orders)

    pinned = question.__class__(
        **{
            **question.__dict__,
            "options": tuple(
                o.__class__(**{**o.__dict__, "fixed": o.id == "d"}) for o in question.options
            ),
        }
    )
    assert all(present(pinned, random.Random(seed)).order[3] == "d" for seed in range(30))


def test_shuffle_false_keeps_the_authors_order(deck: Deck) -> None:
    question = deck.question("vpc-isolation")
    assert question is not None and question.shuffle is False
    assert present(question, random.Random(7)).order == ("a", "b", "c", "d")


def test_ordering_is_never_shown_already_solved(deck: Deck) -> None:
    question = deck.question("key-steps")
    assert question is not None
    for seed in range(50):
        assert present(question, random.Random(seed)).order != ("create", "allow", "train")


def test_the_same_seed_gives_the_same_letters(deck: Deck) -> None:
    question = deck.question("endpoint-purpose")
    assert question is not None
    first = present(question, random.Random(42)).order
    assert present(question, random.Random(42)).order == first


TYPED_CASES = [
    # (question id, typed line, right?, flagged?)
    ("trust-principal", "{a}", True, False),
    ("trust-principal", " {b} ", False, False),
    ("trust-principal", "{a} ?", True, True),
    ("trust-principal", "", None, False),
    ("trust-principal", "?", None, True),
    ("s3-resources", "{a},{b}", True, False),
    ("s3-resources", "{b} {a}", True, False),
    ("s3-resources", "{a}{b}", True, False),
    ("s3-resources", "{a} {c}", False, False),
    ("kms-at-rest", "t", True, False),
    ("kms-at-rest", "False", False, False),
    ("key-steps", "{create} {allow} {train}", True, False),
    ("key-steps", "{allow} {create} {train}", False, False),
    ("endpoint-purpose", "1{a} 2{b} 3{c}", True, False),
    ("endpoint-purpose", "3{c} 1{a} 2{b}", True, False),
    ("endpoint-purpose", "1{a} 2{c} 3{b}", False, False),
]


@pytest.mark.parametrize(("question_id", "template", "right", "flagged"), TYPED_CASES)
def test_typed_lines_refer_to_the_letters_shown(
    deck: Deck, question_id: str, template: str, right: bool | None, flagged: bool
) -> None:
    """``{x}`` in a line stands for the letter under which deck id x is shown."""
    question = deck.question(question_id)
    assert question is not None
    presentation = present(question, random.Random(3))
    letters = {entry_id: presentation.letter_of(entry_id) for entry_id in presentation.order}
    typed = parse_typed(presentation, template.format(**letters))
    assert typed.flagged is flagged
    if right is None:
        assert typed.answer is None
    else:
        assert is_correct(question, typed.answer) is right


UNREADABLE_LINES = [
    ("trust-principal", "a b", "choose one letter"),
    ("trust-principal", "x", "is not one of the letters"),
    ("s3-resources", "a", "choose 2 letters"),
    ("kms-at-rest", "maybe", "answer t (true) or f (false)"),
    ("key-steps", "a b", "put all 3 letters in order"),
    ("key-steps", "a a b", "a letter appears twice"),
    ("endpoint-purpose", "1a 2b", "match every prompt; missing 3"),
    ("endpoint-purpose", "1a 1b 3c", "prompt 1 is matched twice"),
    ("endpoint-purpose", "9a", "there is no prompt 9"),
    ("endpoint-purpose", "a1", "number then letter"),
]


@pytest.mark.parametrize(("question_id", "line", "hint"), UNREADABLE_LINES)
def test_unreadable_lines_get_a_one_line_hint(
    deck: Deck, question_id: str, line: str, hint: str
) -> None:
    question = deck.question(question_id)
    assert question is not None
    with pytest.raises(AnswerError, match=re.escape(hint)):
        parse_typed(present(question, random.Random(0)), line)
