"""Counts for lists and progress: what is due, what is new, and mastery per domain."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from trainer.quiz.model import Deck
from trainer.quiz.scheduler import ensure_cards_current
from trainer.store import Store


@dataclass(frozen=True)
class DeckCounts:
    questions: int
    due: int  # drilled before and due now
    new: int  # never drilled


def deck_counts(
    store: Store, decks: Sequence[Deck], now: float | None = None
) -> dict[str, DeckCounts]:
    """Question, due and new counts of each deck, by deck id."""
    ensure_cards_current(store)
    now = time.time() if now is None else now
    due_times = store.quiz_due_times()
    result = {}
    for deck in decks:
        ids = [question.id for question in deck.questions]
        result[deck.id] = DeckCounts(
            questions=len(ids),
            due=sum(1 for qid in ids if qid in due_times and due_times[qid] <= now),
            new=sum(1 for qid in ids if qid not in due_times),
        )
    return result


@dataclass(frozen=True)
class DomainMastery:
    """A question is *seen* once answered in any mode, and *mastered* while its latest answer is
    right and not flagged (a miss or a flag puts it back into review)."""

    domain_id: str
    name: str
    questions: int
    seen: int
    mastered: int

    @property
    def percent(self) -> float:
        return 100.0 * self.mastered / self.questions if self.questions else 0.0


def mastery_by_domain(store: Store, decks: Sequence[Deck]) -> dict[str, DomainMastery]:
    """Mastery of every domain the decks declare, merged across decks by domain id (the ids
    are shared with the labs); a domain takes the name given by the first deck declaring it."""
    latest = store.latest_quiz_reviews()
    names: dict[str, str] = {}
    counts: dict[str, list[int]] = {}
    for deck in decks:
        for domain_id, domain in deck.domains.items():
            names.setdefault(domain_id, domain.name)
            counts.setdefault(domain_id, [0, 0, 0])
        for question in deck.questions:
            entry = counts[question.domain]
            entry[0] += 1
            row = latest.get(question.id)
            if row is not None:
                entry[1] += 1
                entry[2] += row.correct and not row.flagged
    return {
        domain_id: DomainMastery(domain_id, names[domain_id], *entry)
        for domain_id, entry in counts.items()
    }
