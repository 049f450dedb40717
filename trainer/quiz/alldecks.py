"""One exam over every deck: the decks merged into a single :class:`Deck` with the id ``all``.

The exam engine takes one deck; a full mock exam should cover every domain, and each deck holds
the questions of a few domains only. Merging keeps the engine unchanged: the merged deck's
questions keep their own ``deck_id`` (so their review-log rows name their real deck), and an
exam started on it is stored under the deck id ``all`` and resumed by rebuilding the merge.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType

from trainer.errors import UsageError
from trainer.quiz.load import LoadResult
from trainer.quiz.model import Deck, Domain, Mock

ALL_DECKS = "all"


def merge_decks(decks: Sequence[Deck]) -> Deck:
    """Every question of ``decks`` in one deck.

    Domains are merged by id, the first deck declaring one giving its name and weight (the
    decks share their domain ids and weights, as the labs do). The mock exam is the decks' mock
    exams end to end: their question counts and minutes added up (at most every question there
    is), and the strictest pass mark.
    """
    if not decks:
        raise UsageError("no quiz decks to take an exam from; see `trainer validate`")
    domains: dict[str, Domain] = {}
    for deck in decks:
        for domain_id, domain in deck.domains.items():
            domains.setdefault(domain_id, domain)
    questions = tuple(question for deck in decks for question in deck.questions)
    count = min(len(questions), sum(deck.mock.questions for deck in decks))
    # Minutes scale with the questions actually asked, as ExamSession.start scales them.
    per_question = sum(deck.mock.minutes for deck in decks) / sum(
        deck.mock.questions for deck in decks
    )
    mock = Mock(
        questions=count,
        minutes=round(per_question * count, 1),
        pass_percent=max(deck.mock.pass_percent for deck in decks),
    )
    return Deck(
        id=ALL_DECKS,
        title="All decks",
        exam=decks[0].exam,
        domains=MappingProxyType(domains),
        mock=mock,
        questions=questions,
        file=decks[0].file.parent,
    )


def exam_deck(result: LoadResult, deck_id: str | None) -> Deck:
    """The deck an exam of ``deck_id`` is taken from: the merge of every deck for ``all`` (or
    None), else the deck itself (a UsageError naming the decks there are if it is missing)."""
    from trainer.quiz import find_deck

    if deck_id in (None, ALL_DECKS):
        return merge_decks(result.decks)
    return find_deck(result, deck_id)
