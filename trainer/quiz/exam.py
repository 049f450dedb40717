"""Drawing a mock exam: ``mock.questions`` across the deck's domains in proportion to weight."""

from __future__ import annotations

import math
import random
from fractions import Fraction

from trainer.quiz.model import Deck, Question


def allocate(weights: dict[str, float], available: dict[str, int], count: int) -> dict[str, int]:
    """How many questions each domain gets out of ``count``.

    Proportional to weight by the largest-remainder method; a domain with fewer questions than
    its share gives them all and its surplus is shared among the others by weight. Ties go to
    the heavier domain, then to the one declared first. The counts sum to ``count`` (or to every
    available question, if fewer).
    """
    count = min(count, sum(available.values()))
    # Exact arithmetic: 15 * 0.2 must be 3, not 2.9999999999999996 floored to 2.
    weights = {d: Fraction(repr(w)) for d, w in weights.items()}  # type: ignore[misc]
    quota: dict[str, int] = {}
    active = [d for d in weights if available.get(d, 0) > 0]
    remaining = count
    while active:
        total = sum(weights[d] for d in active)
        share = {d: remaining * weights[d] / total for d in active}
        full = [d for d in active if share[d] >= available[d]]
        if not full:
            break
        for domain in full:
            quota[domain] = available[domain]
            remaining -= available[domain]
            active.remove(domain)
    if active:
        total = sum(weights[d] for d in active)
        share = {d: remaining * weights[d] / total for d in active}
        floors = {d: math.floor(share[d]) for d in active}
        leftover = remaining - sum(floors.values())
        order = sorted(
            active,
            key=lambda d: (-(share[d] - floors[d]), -weights[d], list(weights).index(d)),
        )
        for domain in order[:leftover]:
            floors[domain] += 1
        quota.update(floors)
    return {d: quota[d] for d in weights if quota.get(d)}


def draw_exam(deck: Deck, count: int, rng: random.Random) -> list[Question]:
    """``count`` questions of ``deck`` (or all it has), spread over domains by weight, in a
    random order; the same ``rng`` state gives the same exam."""
    by_domain: dict[str, list[Question]] = {}
    for question in deck.questions:
        by_domain.setdefault(question.domain, []).append(question)
    weights = {d: domain.weight for d, domain in deck.domains.items()}
    quota = allocate(weights, {d: len(qs) for d, qs in by_domain.items()}, count)
    drawn: list[Question] = []
    for domain, number in quota.items():
        drawn.extend(rng.sample(by_domain[domain], number))
    rng.shuffle(drawn)
    return drawn
