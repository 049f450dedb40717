"""The quiz engine: FSRS drill scheduling, review, timed exams, and persistence in the store."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import pytest
from fsrs import Rating

from trainer.quiz import Deck, load_decks
from trainer.quiz.exam import allocate, draw_exam
from trainer.quiz.scheduler import card_id, rebuild_cards
from trainer.quiz.sessions import DrillSession, ExamClosed, ExamSession, ReviewSession
from trainer.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "quizzes"
MINUTE, DAY = 60.0, 86400.0
T0 = 1_800_000_000.0  # a fixed "now" so schedules do not depend on the wall clock


class Clock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def deck() -> Deck:
    (loaded,) = load_decks([FIXTURES / "good-sample.yaml"]).decks
    return loaded


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "store.sqlite3") as opened:
        yield opened


def right_answer(session) -> object:
    return session.current.question.correct_answer()


def drill_until(session: DrillSession, question_id: str):
    """Show questions (answering others right) until ``question_id`` is current."""
    while (shown := session.next_question()) is not None:
        if shown.question.id == question_id:
            return shown
        session.answer(right_answer(session), seconds=30)
    raise AssertionError(f"{question_id} never came up")


# -- drill ---------------------------------------------------------------------------------


def test_new_questions_come_in_a_seeded_order(store: Store, deck: Deck) -> None:
    def order(seed: int) -> list[str]:
        session = DrillSession(store, deck.questions, seed=seed, clock=Clock())
        shown = []
        for _ in deck.questions:
            shown.append(session.next_question().question.id)  # type: ignore[union-attr]
            session._current = None  # look without answering (nothing is written)
        return shown

    assert order(5) == order(5)
    assert sorted(order(5)) == sorted(q.id for q in deck.questions)
    assert any(order(5) != order(seed) for seed in range(6, 12))


RATING_CASES = [
    # (answer right?, unsure?, seconds, rating, due after at least, due before)
    (False, False, 30, Rating.Again, 0, 2 * MINUTE),
    (True, True, 30, Rating.Hard, 1 * MINUTE, 10 * MINUTE),
    (True, False, 60, Rating.Good, 5 * MINUTE, 15 * MINUTE),
    (True, False, 3, Rating.Easy, 1 * DAY, 60 * DAY),
]


@pytest.mark.parametrize(("right", "unsure", "seconds", "rating", "low", "high"), RATING_CASES)
def test_answers_rate_and_schedule_the_card(
    store: Store, deck: Deck, right, unsure, seconds, rating, low, high
) -> None:
    """Wrong is Again and soon due; right is Good, Hard when unsure, Easy when quick."""
    clock = Clock()
    session = DrillSession(store, deck.questions, seed=1, clock=clock)
    shown = session.next_question()
    assert shown is not None
    question = shown.question
    answer = question.correct_answer() if right else _a_wrong_answer(question)
    feedback = session.answer(answer, unsure=unsure, seconds=seconds)
    assert feedback.correct is right and feedback.rating == rating
    assert low <= feedback.due - T0 <= high  # type: ignore[operator]
    card = store.quiz_card(question.id)
    assert card is not None and card.card_id == card_id(question.id)


def test_a_wrong_answer_comes_back_before_a_right_one(store: Store, deck: Deck) -> None:
    clock = Clock()
    session = DrillSession(store, deck.questions, seed=2, clock=clock)
    first = session.next_question().question  # type: ignore[union-attr]
    session.answer(_a_wrong_answer(first), seconds=20)
    second = session.next_question().question  # type: ignore[union-attr]
    session.answer(second.correct_answer(), seconds=40)
    wrong_due, right_due = store.quiz_card(first.id).due, store.quiz_card(second.id).due  # type: ignore[union-attr]
    assert wrong_due < right_due

    # Two minutes later a new session asks the missed question first, before any new one.
    clock.now += 2 * MINUTE
    later = DrillSession(store, deck.questions, seed=3, clock=clock)
    assert later.counts() == (1, len(deck.questions) - 2)
    assert later.next_question().question.id == first.id  # type: ignore[union-attr]


def test_learning_cards_return_in_the_same_session_when_nothing_else_is_left(
    store: Store, deck: Deck
) -> None:
    clock = Clock()
    session = DrillSession(store, deck.questions[:1], seed=1, clock=clock)
    question = session.next_question().question  # type: ignore[union-attr]
    session.answer(_a_wrong_answer(question), seconds=20)
    assert session.next_question().question.id == question.id  # type: ignore[union-attr]
    session.answer(question.correct_answer(), seconds=3)  # quick and right: Easy, days away
    assert session.next_question() is None


def test_editing_a_questions_text_keeps_its_schedule(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "deck.yaml"
    path.write_text((FIXTURES / "good-sample.yaml").read_text())
    (deck,) = load_decks([path]).decks
    clock = Clock()
    session = DrillSession(store, deck.questions, seed=4, clock=clock)
    drill_until(session, "kms-at-rest")
    session.answer(False, seconds=20)  # wrong: due in a minute
    card_before = store.quiz_card("kms-at-rest")

    path.write_text(
        path.read_text().replace("KMS keys protect", "Customer managed KMS keys protect")
    )
    (edited,) = load_decks([path]).decks
    assert edited.question("kms-at-rest").stem != deck.question("kms-at-rest").stem  # type: ignore[union-attr]
    clock.now += 2 * MINUTE
    again = DrillSession(store, edited.questions, seed=4, clock=clock)
    assert store.quiz_card("kms-at-rest") == card_before
    assert again.next_question().question.id == "kms-at-rest"  # type: ignore[union-attr]


def test_the_card_cache_is_rebuilt_identically_from_the_log(store: Store, deck: Deck) -> None:
    clock = Clock()
    rng = random.Random(9)
    for _day in range(5):
        session = DrillSession(store, deck.questions, seed=rng.randrange(1000), clock=clock)
        while session.next_question() is not None:
            question = session.current.question  # type: ignore[union-attr]
            right = rng.random() < 0.7
            answer = question.correct_answer() if right else _a_wrong_answer(question)
            session.answer(answer, unsure=rng.random() < 0.2, seconds=rng.choice([3, 20, 60]))
            clock.now += MINUTE
        clock.now += DAY
    cached = store.quiz_cards()
    assert len(cached) == len(deck.questions)
    assert rebuild_cards(store) == len(deck.questions)
    assert store.quiz_cards() == cached


def test_the_log_keeps_every_answer_across_a_restart(tmp_path: Path, deck: Deck) -> None:
    path = tmp_path / "store.sqlite3"
    clock = Clock()
    with Store(path) as first:
        session = DrillSession(first, deck.questions, seed=6, clock=clock)
        question = session.next_question().question  # type: ignore[union-attr]
        session.answer(question.correct_answer(), seconds=12.5)
        session.next_question()  # shown, never answered: nothing is written for it
    with Store(path) as second:
        (row,) = second.quiz_reviews()
        assert (row.question_id, row.deck_id, row.mode, row.correct) == (
            question.id,
            "sample",
            "drill",
            True,
        )
        assert row.seconds == 12.5 and json.loads(row.answer) is not None
        assert DrillSession(second, deck.questions, clock=clock).counts(T0 + DAY)[1] == 5


# -- review --------------------------------------------------------------------------------


def test_review_asks_missed_and_flagged_questions_until_answered_right(
    store: Store, deck: Deck
) -> None:
    clock = Clock()
    drill = DrillSession(store, deck.questions, seed=8, clock=clock)
    missed = drill.next_question().question  # type: ignore[union-attr]
    drill.answer(_a_wrong_answer(missed), seconds=20)
    unsure = drill.next_question().question  # type: ignore[union-attr]
    drill.answer(unsure.correct_answer(), unsure=True, seconds=20)
    drill.next_question()
    drill.answer(right_answer(drill), seconds=20)

    review = ReviewSession(store, deck.questions, seed=1, clock=clock)
    assert review.remaining() == 2
    assert review.next_question().question.id == missed.id  # type: ignore[union-attr]
    review.answer(missed.correct_answer())
    assert review.next_question().question.id == unsure.id  # type: ignore[union-attr]
    review.answer(_a_wrong_answer(unsure))
    assert review.next_question() is None

    # Review answers never move the drill schedule.
    assert store.quiz_card(missed.id).reviews == 1  # type: ignore[union-attr]
    assert [q.id for q in ReviewSession(store, deck.questions, clock=clock)._queue] == [unsure.id]


# -- exams ---------------------------------------------------------------------------------


def _big_deck(tmp_path: Path, per_domain: dict[str, int], weights: dict[str, float]) -> Deck:
    lines = [
        "schema_version: 1",
        "deck: big",
        "title: Generated",
        "domains:",
        *(f"  {d}: {{name: {d.title()}, weight: {w}}}" for d, w in weights.items()),
        "mock: {questions: 20, minutes: 30, pass_percent: 72}",
        "questions:",
    ]
    for domain, count in per_domain.items():
        for n in range(count):
            lines += [
                f"  - id: {domain}-{n}",
                "    type: true_false",
                f"    domain: {domain}",
                f"    stem: Statement {n} about {domain}.",
                f"    answer: {'true' if n % 2 else 'false'}",
                "    explanation: Because.",
                "    tip: A tip",
            ]
    path = tmp_path / "big.yaml"
    path.write_text("\n".join(lines) + "\n")
    result = load_decks([path])
    assert result.errors == []
    return result.decks[0]


ALLOCATION_CASES = [
    # (weights, available, count, expected, the rule checked)
    (
        {"a": 0.5, "b": 0.3, "c": 0.2},
        {"a": 12, "b": 12, "c": 12},
        20,
        {"a": 10, "b": 6, "c": 4},
        "exact proportions when they divide evenly",
    ),
    (
        {"a": 0.3, "b": 0.2, "c": 0.15, "d": 0.2, "e": 0.15},
        {k: 9 for k in "abcde"},
        15,
        {"a": 5, "b": 3, "c": 2, "d": 3, "e": 2},
        "the largest remainder gets the spare question",
    ),
    (
        {"a": 0.25, "b": 0.25, "c": 0.5},
        {k: 9 for k in "abc"},
        6,
        {"a": 2, "b": 1, "c": 3},
        "equal remainders and weights: the first declared wins",
    ),
    (
        {"a": 0.5, "b": 0.3, "c": 0.2},
        {"a": 20, "b": 2, "c": 20},
        20,
        {"a": 13, "b": 2, "c": 5},
        "a short domain gives all it has; the rest is shared by weight",
    ),
    ({"a": 0.5, "b": 0.5}, {"a": 3, "b": 0}, 10, {"a": 3}, "never more than the deck has"),
]


@pytest.mark.parametrize(("weights", "available", "count", "expected", "rule"), ALLOCATION_CASES)
def test_allocation_follows_weights(weights, available, count, expected, rule) -> None:
    assert allocate(weights, available, count) == expected, rule


def test_exam_draw_is_proportional_and_repeatable(tmp_path: Path) -> None:
    deck = _big_deck(
        tmp_path,
        {"iam": 15, "encryption": 15, "network": 15},
        {"iam": 0.5, "encryption": 0.3, "network": 0.2},
    )
    first = draw_exam(deck, 20, random.Random(11))
    assert Counter(q.domain for q in first) == {"iam": 10, "encryption": 6, "network": 4}
    assert len({q.id for q in first}) == 20
    assert [q.id for q in draw_exam(deck, 20, random.Random(11))] == [q.id for q in first]
    assert [q.id for q in draw_exam(deck, 20, random.Random(12))] != [q.id for q in first]


def test_an_unfinished_exam_survives_a_restart_and_is_graded(tmp_path: Path) -> None:
    deck = _big_deck(tmp_path, {"iam": 12, "network": 12}, {"iam": 0.5, "network": 0.5})
    path = tmp_path / "store.sqlite3"
    clock = Clock()
    with Store(path) as store:
        exam = ExamSession.start(store, deck, seed=5, clock=clock)
        assert len(exam.questions) == 20 and exam.remaining_seconds() == 30 * MINUTE
        first, second, third = (p.question for p in exam.questions[:3])
        exam.answer(first.id, first.correct_answer())
        exam.answer(second.id, not second.correct_answer(), flagged=True)
        exam.answer(second.id, second.correct_answer())  # changed; the flag stays
        exam.flag(third.id)
        letters = [p.order for p in exam.questions]

    clock.now += 10 * MINUTE
    with Store(path) as store:
        (record,) = ExamSession.unfinished(store, "big")
        exam = ExamSession.resume(store, deck, record, clock=clock)
        assert [p.question.id for p in exam.questions[:3]] == [first.id, second.id, third.id]
        assert [p.order for p in exam.questions] == letters
        assert exam.answer_of(second.id) == second.correct_answer()
        assert exam.is_flagged(second.id) and exam.is_flagged(third.id)
        assert exam.remaining_seconds() == 20 * MINUTE
        result = exam.submit()

        assert (result.correct, result.total, result.passed) == (2, 20, False)
        assert result.percent == 10.0
        assert sum(s.total for s in result.domains.values()) == 20
        assert {m.question.id for m in result.missed} == {p.question.id for p in exam.questions[2:]}
        rows = store.quiz_reviews()
        assert len(rows) == 20 and {r.mode for r in rows} == {"exam"}
        assert all(r.rating is None for r in rows)  # exams never move the schedule
        assert store.quiz_cards() == {}
        assert ExamSession.unfinished(store) == []
        with pytest.raises(ExamClosed):
            exam.answer(third.id, True)
        # The flagged and missed questions are now up for review.
        pool = ReviewSession(store, deck.questions, clock=clock).remaining()
        assert pool == 19  # all but the first, which was right and never flagged


def test_the_clock_closes_the_exam(tmp_path: Path, store: Store) -> None:
    deck = _big_deck(tmp_path, {"iam": 6}, {"iam": 1.0})
    clock = Clock()
    exam = ExamSession.start(store, deck, count=4, seed=1, clock=clock)
    # Fewer questions than mock.questions: the time is scaled (30 min for 20 -> 6 min for 4).
    assert exam.remaining_seconds() == 6 * MINUTE
    question = exam.questions[0].question
    exam.answer(question.id, question.correct_answer())
    clock.now += 6 * MINUTE
    with pytest.raises(ExamClosed, match="time is up"):
        exam.answer(exam.questions[1].question.id, True)
    result = exam.submit()
    assert (result.correct, result.total) == (1, 4)
    assert result.seconds == 6 * MINUTE


def test_an_abandoned_exam_leaves_no_trace_in_the_log(tmp_path: Path, store: Store) -> None:
    deck = _big_deck(tmp_path, {"iam": 6}, {"iam": 1.0})
    exam = ExamSession.start(store, deck, count=3, seed=1, clock=Clock())
    exam.answer(exam.questions[0].question.id, True)
    exam.abandon()
    assert store.quiz_reviews() == [] and ExamSession.unfinished(store) == []
    with pytest.raises(ExamClosed):
        exam.submit()


def test_the_core_never_imports_a_ui_toolkit() -> None:
    import subprocess
    import sys

    code = (
        "import sys, trainer.quiz, trainer.quiz.sessions, trainer.quiz.stats;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _a_wrong_answer(question):
    if question.type == "single":
        return next(o.id for o in question.options if not o.correct)
    if question.type == "multi":
        return frozenset(o.id for o in question.options if not o.correct)
    if question.type == "true_false":
        return not question.answer
    if question.type == "ordering":
        return tuple(reversed(question.correct_answer()))
    pairs = dict(question.pairs)
    first, second = list(pairs)[:2]
    pairs[first], pairs[second] = pairs[second], pairs[first]
    return pairs
