"""Grading, and the two ways an answer arrives: as data (an answers file, the store) or typed.

Grading is all or nothing, as on the exam: a ``multi`` is right only with exactly the correct set,
an ``ordering`` only in exactly the right order, a ``matching`` only with every pair right, and an
unanswered question is wrong.

Typed answers refer to what the learner *sees*: options, items and responses are shown under
letters in a shuffled order (a :class:`Presentation`), matching prompts under numbers. Answers as
data refer to the ids in the deck, so they do not depend on any shuffle.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from trainer.errors import UsageError
from trainer.quiz.model import Answer, Question


class AnswerError(UsageError):
    """An answer that cannot be read for this question (not merely a wrong one)."""


LETTERS = string.ascii_lowercase


def is_correct(question: Question, answer: Answer) -> bool:
    """True only for exactly the right answer; None (unanswered) is wrong."""
    if answer is None:
        return False
    expected = question.correct_answer()
    if question.type == "matching":
        return isinstance(answer, Mapping) and dict(answer) == dict(expected)  # type: ignore[arg-type]
    return answer == expected


# -- answers as data -----------------------------------------------------------------------


def answer_from_data(question: Question, value: Any) -> Answer:
    """Read an answer given as data (YAML/JSON), by deck ids.

    A letter (option id) for ``single``, a list of option ids for ``multi``, a boolean for
    ``true_false``, a list of every item id for ``ordering``, a map of every prompt id to a
    response id for ``matching``; null is "not answered". Raises AnswerError, naming the
    question, for anything else.
    """
    if value is None:
        return None
    where = f'question "{question.id}"'
    kind = question.type
    if kind == "single":
        option_id = _scalar_id(value)
        if option_id is None or option_id not in _option_ids(question):
            raise AnswerError(
                f"{where}: expected one option id ({', '.join(_option_ids(question))}),"
                f" got {value!r}"
            )
        return option_id
    if kind == "multi":
        if not isinstance(value, list) or not value:
            raise AnswerError(
                f"{where}: expected a list of option ids ({', '.join(_option_ids(question))}),"
                f" got {value!r}"
            )
        chosen = [_scalar_id(entry) for entry in value]
        unknown = [v for v, c in zip(value, chosen, strict=True) if c not in _option_ids(question)]
        if unknown:
            raise AnswerError(f"{where}: {unknown[0]!r} is not an option of this question")
        if len(set(chosen)) != len(chosen):
            raise AnswerError(f"{where}: an option is chosen twice")
        return frozenset(c for c in chosen if c is not None)
    if kind == "true_false":
        if not isinstance(value, bool):
            raise AnswerError(f"{where}: expected true or false, got {value!r}")
        return value
    if kind == "ordering":
        item_ids = [item.id for item in question.items]
        if not isinstance(value, list):
            raise AnswerError(
                f"{where}: expected a list of the item ids in order ({', '.join(item_ids)}),"
                f" got {value!r}"
            )
        order = tuple(_scalar_id(entry) or "" for entry in value)
        if sorted(order) != sorted(item_ids):
            raise AnswerError(
                f"{where}: expected each of the items {', '.join(item_ids)} exactly once,"
                f" got {list(value)!r}"
            )
        return order
    # matching
    prompt_ids = [prompt.id for prompt in question.prompts]
    response_ids = {response.id for response in question.responses}
    if not isinstance(value, Mapping):
        raise AnswerError(f"{where}: expected a map of prompt id to response id, got {value!r}")
    pairs: dict[str, str] = {}
    for key, response in value.items():
        prompt_id, response_id = _scalar_id(key), _scalar_id(response)
        if prompt_id not in prompt_ids:
            raise AnswerError(f"{where}: {key!r} is not a prompt of this question")
        if response_id not in response_ids:
            raise AnswerError(f"{where}: {response!r} is not a response of this question")
        pairs[prompt_id] = response_id  # type: ignore[index]
    missing = [prompt_id for prompt_id in prompt_ids if prompt_id not in pairs]
    if missing:
        raise AnswerError(f"{where}: no response given for prompt {', '.join(missing)}")
    return MappingProxyType(pairs)


def answer_to_data(answer: Answer) -> Any:
    """The JSON-ready form of an answer; ``answer_from_data`` reads it back."""
    if isinstance(answer, frozenset):
        return sorted(answer)
    if isinstance(answer, tuple):
        return list(answer)
    if isinstance(answer, Mapping):
        return dict(answer)
    return answer


def _scalar_id(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | str):
        return str(value)
    return None


def _option_ids(question: Question) -> list[str]:
    return [option.id for option in question.options]


# -- answers as typed ----------------------------------------------------------------------


@dataclass(frozen=True)
class Presentation:
    """How a question is shown: which id sits under which letter.

    ``order`` holds the ids shown under a, b, c...: option ids (single, multi), item ids
    (ordering) or response ids (matching). Matching prompts are shown in deck order under 1, 2, 3.
    """

    question: Question
    order: tuple[str, ...]

    def letter_of(self, entry_id: str) -> str:
        return LETTERS[self.order.index(entry_id)]

    def choices(self) -> list[tuple[str, str]]:
        """(letter, text) for each lettered entry, in the order shown."""
        question = self.question
        texts: dict[str, str]
        if question.type in ("single", "multi"):
            texts = {option.id: option.text for option in question.options}
        elif question.type == "ordering":
            texts = {item.id: item.text for item in question.items}
        elif question.type == "matching":
            texts = {response.id: response.text for response in question.responses}
        else:
            return [("a", "True"), ("b", "False")]
        return [(LETTERS[index], texts[entry_id]) for index, entry_id in enumerate(self.order)]

    def describe(self, answer: Answer) -> str:
        """An answer as the learner would type it, e.g. ``a, c`` or ``1b 2a``; "-" if none."""
        if answer is None:
            return "-"
        question = self.question
        if question.type == "true_false":
            return "true" if answer else "false"
        if question.type == "single":
            return self.letter_of(answer)  # type: ignore[arg-type]
        if question.type == "multi":
            return ", ".join(sorted(self.letter_of(option_id) for option_id in answer))  # type: ignore[union-attr]
        if question.type == "ordering":
            return " ".join(self.letter_of(item_id) for item_id in answer)  # type: ignore[union-attr]
        pairs: Mapping[str, str] = answer  # type: ignore[assignment]
        return " ".join(
            f"{number}{self.letter_of(pairs[prompt.id])}"
            for number, prompt in enumerate(question.prompts, start=1)
            if prompt.id in pairs
        )


def present(question: Question, rng: random.Random) -> Presentation:
    """Shuffle a question for showing: options (unless ``shuffle: false``; ``fixed`` options keep
    their place), ordering items (always, or the answer would show) and matching responses."""
    kind = question.type
    if kind in ("single", "multi"):
        ids = [option.id for option in question.options]
        if not question.shuffle:
            return Presentation(question, tuple(ids))
        fixed = {i for i, option in enumerate(question.options) if option.fixed}
        movable = [ids[i] for i in range(len(ids)) if i not in fixed]
        rng.shuffle(movable)
        shuffled = iter(movable)
        order = tuple(ids[i] if i in fixed else next(shuffled) for i in range(len(ids)))
        return Presentation(question, order)
    if kind == "ordering":
        ids = [item.id for item in question.items]
        order = list(ids)
        # An order shown as already right would give the answer away.
        while order == ids:
            rng.shuffle(order)
        return Presentation(question, tuple(order))
    if kind == "matching":
        order = [response.id for response in question.responses]
        rng.shuffle(order)
        return Presentation(question, tuple(order))
    return Presentation(question, ())


@dataclass(frozen=True)
class TypedAnswer:
    """One line the learner typed: the answer (None when skipped) and whether it was flagged."""

    answer: Answer
    flagged: bool = False


_TRUE = {"a", "t", "true", "y", "yes"}
_FALSE = {"b", "f", "false", "n", "no"}


def parse_typed(presentation: Presentation, line: str) -> TypedAnswer:
    """Read one typed line: ``a``; ``a,c`` or ``a c``; ``c a b`` for ordering; ``1b 2a 3c`` for
    matching; ``t``/``f`` for true/false; empty to skip; a ``?`` anywhere flags the question.

    Raises AnswerError with a one-line hint when the line cannot be read.
    """
    text = line.strip().lower()
    flagged = "?" in text
    text = text.replace("?", " ").strip()
    if not text:
        return TypedAnswer(None, flagged)
    question = presentation.question
    kind = question.type
    letters = LETTERS[: len(presentation.order)]
    if kind == "true_false":
        if text in _TRUE:
            return TypedAnswer(True, flagged)
        if text in _FALSE:
            return TypedAnswer(False, flagged)
        raise AnswerError("answer t (true) or f (false)")
    if kind == "matching":
        return TypedAnswer(_parse_matching(presentation, text, letters), flagged)
    tokens = _letter_tokens(text)
    unknown = [token for token in tokens if token not in letters]
    if unknown:
        raise AnswerError(f"{unknown[0]!r} is not one of the letters {letters[0]}-{letters[-1]}")
    if kind == "single":
        if len(tokens) != 1:
            raise AnswerError(f"choose one letter, {letters[0]}-{letters[-1]}")
        return TypedAnswer(presentation.order[letters.index(tokens[0])], flagged)
    if len(set(tokens)) != len(tokens):
        raise AnswerError("a letter appears twice")
    if kind == "multi":
        if len(tokens) != question.select:
            raise AnswerError(f"choose {question.select} letters (you gave {len(tokens)})")
        return TypedAnswer(
            frozenset(presentation.order[letters.index(token)] for token in tokens), flagged
        )
    # ordering
    if len(tokens) != len(letters):
        raise AnswerError(f"put all {len(letters)} letters in order, e.g. {' '.join(letters)}")
    return TypedAnswer(tuple(presentation.order[letters.index(token)] for token in tokens), flagged)


def _letter_tokens(text: str) -> list[str]:
    parts = [part for part in re.split(r"[\s,;]+", text) if part]
    # "ac" is a compact "a c": every letter is one character.
    if len(parts) == 1 and len(parts[0]) > 1 and parts[0].isalpha():
        return list(parts[0])
    return parts


def _parse_matching(presentation: Presentation, text: str, letters: str) -> Mapping[str, str]:
    prompts = presentation.question.prompts
    pairs: dict[str, str] = {}
    for token in (part for part in re.split(r"[\s,;]+", text) if part):
        match = re.fullmatch(r"(\d+)[-:=]?([a-z])", token)
        if not match:
            raise AnswerError(f"{token!r}: write each pair as number then letter, e.g. 1b 2a 3c")
        number, letter = int(match[1]), match[2]
        if not 1 <= number <= len(prompts):
            raise AnswerError(f"there is no prompt {number} (1-{len(prompts)})")
        if letter not in letters:
            raise AnswerError(f"{letter!r} is not one of the letters {letters[0]}-{letters[-1]}")
        prompt_id = prompts[number - 1].id
        if prompt_id in pairs:
            raise AnswerError(f"prompt {number} is matched twice")
        pairs[prompt_id] = presentation.order[letters.index(letter)]
    missing = [str(n) for n, prompt in enumerate(prompts, start=1) if prompt.id not in pairs]
    if missing:
        raise AnswerError(f"match every prompt; missing {', '.join(missing)}")
    return MappingProxyType(pairs)


def answers_equal(first: Answer, second: Answer) -> bool:
    """Compare answers, treating any two mappings with the same pairs as equal."""
    if isinstance(first, Mapping) and isinstance(second, Mapping):
        return dict(first) == dict(second)
    return first == second


def presentation_seed(seed: int, question_id: str) -> random.Random:
    """The random source for one question's shuffle: the same seed and id give the same letters,
    wherever the question falls in the session (so a resumed exam shows the same letters)."""
    return random.Random(f"{seed}:{question_id}")
