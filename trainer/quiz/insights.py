"""What the Progress screen shows beyond today's counts: mastery over time, the retention
forecast of the FSRS cards, and the tips missed most. Pure functions of the store's rows."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from trainer.quiz.model import Deck, Question
from trainer.quiz.scheduler import retrievability
from trainer.store import QuizCard, QuizReview

DAY = 86400.0


def mastery_history(
    reviews: Iterable[QuizReview],
    decks: Sequence[Deck],
    *,
    days: int = 30,
    now: float | None = None,
) -> dict[str, list[float]]:
    """Mastery percent of each domain at the end of each of the last ``days`` days, oldest
    first (the last value is now). Mastered has the meaning of ``stats.mastery_by_domain``:
    the question's latest answer, as of that moment, is right and not flagged. ``reviews``
    must be in log order (``Store.quiz_reviews()``)."""
    now = time.time() if now is None else now
    questions = {question.id: question for deck in decks for question in deck.questions}
    totals: dict[str, int] = {}
    for deck in decks:
        for domain_id in deck.domains:
            totals.setdefault(domain_id, 0)
    for question in questions.values():
        totals[question.domain] += 1
    # Day k ends at now - (days - 1 - k) days; the last day ends now.
    ends = [now - (days - 1 - k) * DAY for k in range(days)]
    history: dict[str, list[float]] = {domain_id: [] for domain_id in totals}
    mastered: dict[str, bool] = {}
    day = 0
    for row in reviews:
        question = questions.get(row.question_id)
        if question is None:
            continue  # a question no longer in any deck
        while day < days and row.at > ends[day]:
            _snapshot(history, totals, mastered, questions)
            day += 1
        if day == days:
            break
        mastered[row.question_id] = row.correct and not row.flagged
    while day < days:
        _snapshot(history, totals, mastered, questions)
        day += 1
    return history


def _snapshot(
    history: dict[str, list[float]],
    totals: Mapping[str, int],
    mastered: Mapping[str, bool],
    questions: Mapping[str, Question],
) -> None:
    counts = dict.fromkeys(totals, 0)
    for question_id, is_mastered in mastered.items():
        counts[questions[question_id].domain] += is_mastered
    for domain_id, total in totals.items():
        history[domain_id].append(100.0 * counts[domain_id] / total if total else 0.0)


@dataclass(frozen=True)
class Forecast:
    """How the drilled cards stand: how many are due now and within 1, 7 and 30 days (each
    count includes the ones before), and their average probability of recall now."""

    cards: int
    due_now: int
    due_1d: int
    due_7d: int
    due_30d: int
    average_recall: float | None  # 0-1; None with no card reviewed yet


def retention_forecast(cards: Iterable[QuizCard], now: float | None = None) -> Forecast:
    now = time.time() if now is None else now
    cards = list(cards)
    recalls = [retrievability(card, now) for card in cards if card.last_review is not None]
    return Forecast(
        cards=len(cards),
        due_now=sum(card.due <= now for card in cards),
        due_1d=sum(card.due <= now + DAY for card in cards),
        due_7d=sum(card.due <= now + 7 * DAY for card in cards),
        due_30d=sum(card.due <= now + 30 * DAY for card in cards),
        average_recall=sum(recalls) / len(recalls) if recalls else None,
    )


@dataclass(frozen=True)
class WeakTip:
    """An exam tip and how its questions went: misses (wrong answers) out of answers, the
    questions drilling it, and the lab that practises it (the first one named)."""

    tip: str
    misses: int
    answers: int
    question_ids: tuple[str, ...]
    lab: str | None


def weakest_tips(
    reviews: Iterable[QuizReview], decks: Sequence[Deck], *, limit: int = 5
) -> list[WeakTip]:
    """The tips with the most wrong answers in the review log, most missed first (ties: the
    lower share of right answers first, then the tip's text); tips never missed are left out."""
    questions = {question.id: question for deck in decks for question in deck.questions}
    misses: dict[str, int] = {}
    answers: dict[str, int] = {}
    for row in reviews:
        question = questions.get(row.question_id)
        if question is None:
            continue
        answers[question.tip] = answers.get(question.tip, 0) + 1
        misses[question.tip] = misses.get(question.tip, 0) + (not row.correct)
    by_tip: dict[str, list[Question]] = {}
    for question in questions.values():
        by_tip.setdefault(question.tip, []).append(question)
    weak = [
        WeakTip(
            tip=tip,
            misses=count,
            answers=answers[tip],
            question_ids=tuple(q.id for q in by_tip[tip]),
            lab=next((q.lab for q in by_tip[tip] if q.lab), None),
        )
        for tip, count in misses.items()
        if count > 0
    ]
    weak.sort(key=lambda t: (-t.misses, (t.answers - t.misses) / t.answers, t.tip))
    return weak[:limit]
