"""Typed quiz content: decks, domains, questions and the answers a learner can give.

Objects here are built once by :mod:`trainer.quiz.load` from validated YAML; the rest of the code
trusts them (ids are unique within their lists, every cross reference resolves).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias

QUESTION_TYPES = ("single", "multi", "true_false", "ordering", "matching")

# What a learner's answer is, per question type. ``None`` everywhere means "not answered".
#   single     -> str              the chosen option id
#   multi      -> frozenset[str]   the chosen option ids
#   true_false -> bool
#   ordering   -> tuple[str, ...]  item ids, first to last
#   matching   -> Mapping[str, str] prompt id -> response id
Answer: TypeAlias = str | frozenset[str] | bool | tuple[str, ...] | Mapping[str, str] | None


@dataclass(frozen=True)
class Option:
    """One choice of a ``single`` or ``multi`` question."""

    id: str
    text: str
    correct: bool = False
    why: str | None = None
    fixed: bool = False  # keeps its place when the others are shuffled


@dataclass(frozen=True)
class Item:
    """An ``ordering`` item, or a ``matching`` prompt or response."""

    id: str
    text: str


@dataclass(frozen=True)
class Question:
    """One question. Fields that do not apply to its ``type`` are empty or None."""

    id: str
    type: str
    domain: str
    stem: str
    explanation: str
    tip: str
    deck_id: str
    file: Path
    line: int
    tags: tuple[str, ...] = ()
    lab: str | None = None
    references: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()  # single, multi
    select: int | None = None  # multi
    shuffle: bool = True  # single, multi
    answer: bool | None = None  # true_false
    items: tuple[Item, ...] = ()  # ordering, in the right order
    prompts: tuple[Item, ...] = ()  # matching
    responses: tuple[Item, ...] = ()  # matching
    pairs: Mapping[str, str] = field(default_factory=dict)  # matching: prompt id -> response id

    def correct_answer(self) -> Answer:
        """The one answer graded as right."""
        if self.type == "single":
            return next(option.id for option in self.options if option.correct)
        if self.type == "multi":
            return frozenset(option.id for option in self.options if option.correct)
        if self.type == "true_false":
            return self.answer
        if self.type == "ordering":
            return tuple(item.id for item in self.items)
        return self.pairs

    def option(self, option_id: str) -> Option:
        return next(option for option in self.options if option.id == option_id)


@dataclass(frozen=True)
class Domain:
    id: str
    name: str
    weight: float


@dataclass(frozen=True)
class Mock:
    """The mock exam of a deck: how many questions, how long, and the pass mark."""

    questions: int
    minutes: float
    pass_percent: float


@dataclass(frozen=True)
class Deck:
    id: str
    title: str
    exam: str | None
    domains: Mapping[str, Domain]
    mock: Mock
    questions: tuple[Question, ...]
    file: Path

    def question(self, question_id: str) -> Question | None:
        return self._by_id.get(question_id)

    @property
    def _by_id(self) -> dict[str, Question]:
        # Cached on first use; the dataclass is frozen, so go through object.__setattr__.
        cached = self.__dict__.get("_index")
        if cached is None:
            cached = {question.id: question for question in self.questions}
            object.__setattr__(self, "_index", cached)
        return cached
