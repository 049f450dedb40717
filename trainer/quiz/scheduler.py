"""Spaced repetition with FSRS (the ``fsrs`` package, as in Anki): one card per question.

A card is keyed by the question's stable id, so editing a question's text never resets its
schedule. Its state is a pure function of the drill answers in the review log: ``replay`` feeds
them through the scheduler in order, and the store's card table is only a cache of that result
(``rebuild_cards`` recomputes it). Interval fuzzing is off so that replay is deterministic.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime

from fsrs import Card, Rating, Scheduler, State

from trainer.quiz.model import Question
from trainer.store import QuizCard, QuizReview, Store

# Change this whenever the scheduler's settings change: the card cache is rebuilt from the log.
SCHEDULER_VERSION = "fsrs6/default/no-fuzz/1"
_SETTING = "quiz.scheduler"

_scheduler = Scheduler(enable_fuzzing=False)


def card_id(question_id: str) -> int:
    """The FSRS card id of a question: a stable 63-bit hash of its id (never of its text)."""
    digest = hashlib.sha256(question_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def quick_seconds(question: Question) -> float:
    """Answers at most this fast (and right) rate Easy. Reading time grows with the choices
    shown, so the limit is a base plus a little per option, item, prompt or response."""
    shown = len(question.options) + len(question.items) + len(question.prompts)
    shown += len(question.responses) or (2 if question.type == "true_false" else 0)
    return 6.0 + 1.5 * shown


def rating_for(correct: bool, *, unsure: bool, seconds: float, quick_limit: float) -> Rating:
    """Wrong rates Again; right rates Good, Hard when marked unsure, Easy when right and quick."""
    if not correct:
        return Rating.Again
    if unsure:
        return Rating.Hard
    if seconds <= quick_limit:
        return Rating.Easy
    return Rating.Good


def review(previous: QuizCard | None, question_id: str, rating: Rating, at: float) -> QuizCard:
    """The card after one more review at epoch time ``at``; ``previous`` None is a new card."""
    card = _to_fsrs(previous) if previous else Card(card_id=card_id(question_id), due=_dt(at))
    updated, _log = _scheduler.review_card(card, rating, review_datetime=_dt(at))
    return QuizCard(
        question_id=question_id,
        card_id=updated.card_id,
        state=int(updated.state),
        step=updated.step,
        stability=updated.stability,
        difficulty=updated.difficulty,
        due=updated.due.timestamp(),
        last_review=updated.last_review.timestamp() if updated.last_review else None,
        reviews=(previous.reviews if previous else 0) + 1,
        review_id=previous.review_id if previous else 0,
    )


def replay(question_id: str, reviews: Iterable[QuizReview]) -> QuizCard | None:
    """The card a question's log rows lead to (rows without a rating are skipped)."""
    card: QuizCard | None = None
    for row in reviews:
        if row.rating is None:
            continue
        card = review(card, question_id, Rating(row.rating), row.at)
        card = QuizCard(**{**card.__dict__, "review_id": row.id or 0})
    return card


def rebuild_cards(store: Store) -> int:
    """Recompute every card from the review log and replace the cache; the number of cards."""
    by_question: dict[str, list[QuizReview]] = {}
    for row in store.quiz_reviews():
        if row.rating is not None:
            by_question.setdefault(row.question_id, []).append(row)
    cards = [replay(question_id, rows) for question_id, rows in by_question.items()]
    store.replace_quiz_cards([card for card in cards if card is not None])
    store.set_setting(_SETTING, SCHEDULER_VERSION)
    return len(cards)


def ensure_cards_current(store: Store) -> None:
    """Rebuild the card cache if it was built by other scheduler settings (or never)."""
    if store.get_setting(_SETTING) != SCHEDULER_VERSION:
        rebuild_cards(store)


def is_learning(card: QuizCard) -> bool:
    """True while a card is in its first learning or relearning steps (minutes apart)."""
    return card.state in (State.Learning, State.Relearning)


def _dt(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _to_fsrs(card: QuizCard) -> Card:
    return Card(
        card_id=card.card_id,
        state=State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=_dt(card.due),
        last_review=_dt(card.last_review) if card.last_review is not None else None,
    )


def retrievability(card: QuizCard, at: float) -> float:
    """The probability (0-1) that the learner recalls the card's question at epoch time ``at``,
    by the FSRS forgetting curve; 0 for a card never reviewed."""
    if card.last_review is None or card.stability is None:
        return 0.0
    return float(_scheduler.get_card_retrievability(_to_fsrs(card), _dt(at)))
