"""Quizzes: deck loading and validation, grading, FSRS drills, reviews and timed mock exams.

The core of the quiz feature; it never imports textual or rich, so the CLI and the TUI are two
thin front ends over it.
"""

from __future__ import annotations

from pathlib import Path

from trainer.errors import UsageError
from trainer.quiz.load import LoadResult, deck_files, load_decks, validate_quiz_files
from trainer.quiz.model import Answer, Deck, Domain, Item, Mock, Option, Question

__all__ = [
    "Answer",
    "Deck",
    "Domain",
    "Item",
    "LoadResult",
    "Mock",
    "Option",
    "Question",
    "deck_files",
    "find_deck",
    "load_content_decks",
    "load_decks",
    "validate_quiz_files",
]


def load_content_decks(content: Path | None = None) -> LoadResult:
    """Every deck of the content folder's ``quizzes/`` (``trainer.paths.content_dir()`` by
    default), without checking lab links; the problems of decks that did not load included."""
    from trainer.paths import content_dir

    folder = (content or content_dir()) / "quizzes"
    return load_decks(deck_files(folder))


def find_deck(result: LoadResult, deck_id: str) -> Deck:
    """The loaded deck with this id; a UsageError naming the decks there are otherwise."""
    deck = result.deck(deck_id)
    if deck is not None:
        return deck
    if any(problem.is_error and deck_id in problem.file.stem for problem in result.problems):
        raise UsageError(f'deck "{deck_id}" did not load; run `trainer validate` to see why')
    known = ", ".join(d.id for d in result.decks) or "none"
    raise UsageError(f'no deck "{deck_id}" (decks: {known})')
