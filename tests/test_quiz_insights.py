"""Core additions for the TUI: the all-decks exam deck, mastery over time, the retention
forecast and the weakest tips."""

from __future__ import annotations

import random

import pytest

from trainer.errors import UsageError
from trainer.quiz import load_content_decks
from trainer.quiz.alldecks import ALL_DECKS, exam_deck, merge_decks
from trainer.quiz.insights import DAY, mastery_history, retention_forecast, weakest_tips
from trainer.quiz.scheduler import retrievability
from trainer.quiz.sessions import DrillSession, ExamSession
from trainer.store import QuizReview, Store

NOW = 1_800_000_000.0


def review(question_id: str, correct: bool, at: float, flagged: bool = False) -> QuizReview:
    return QuizReview(question_id, "d", "drill", "null", correct, flagged, 1.0, at)


def test_merged_deck_holds_every_question_and_adds_up_the_mock_exams() -> None:
    decks = load_content_decks().decks
    merged = merge_decks(decks)
    assert merged.id == ALL_DECKS
    assert len(merged.questions) == sum(len(d.questions) for d in decks)
    assert merged.mock.questions == sum(d.mock.questions for d in decks)
    assert merged.mock.minutes == pytest.approx(sum(d.mock.minutes for d in decks))
    assert set(merged.domains) == {"iam", "encryption", "secrets", "network", "governance"}
    assert merged.question(decks[1].questions[0].id) is decks[1].questions[0]


def test_an_all_decks_exam_is_resumed_by_rebuilding_the_merge() -> None:
    result = load_content_decks()
    with Store() as store:
        exam = ExamSession.start(store, exam_deck(result, None), count=10, seed=5)
        assert exam.record.deck_id == ALL_DECKS
        assert {p.question.domain for p in exam.questions} == set(exam.deck.domains)
        first = exam.questions[0].question
        exam.answer(first.id, first.correct_answer())
        record = store.quiz_session(exam.id)
        again = ExamSession.resume(store, exam_deck(result, record.deck_id), record)
        assert again.answer_of(first.id) == first.correct_answer()
        assert again.submit().correct == 1


def test_exam_deck_of_an_unknown_id_names_the_decks() -> None:
    with pytest.raises(UsageError, match="decks: encryption-and-secrets"):
        exam_deck(load_content_decks(), "nope")


def test_mastery_history_follows_the_latest_answer_per_day() -> None:
    deck = next(d for d in load_content_decks().decks if d.id == "iam-security")
    q1, q2 = deck.questions[0].id, deck.questions[1].id
    total = len(deck.questions)
    rows = [
        review(q1, True, NOW - 2.5 * DAY),  # mastered two days ago
        review(q2, True, NOW - 1.5 * DAY),  # and another one yesterday
        review(q1, False, NOW - 0.5 * DAY),  # lost today
        review(q2, True, NOW - 0.4 * DAY, flagged=True),  # flagged: not mastered either
    ]
    history = mastery_history(rows, [deck], days=4, now=NOW)
    assert history["iam"] == pytest.approx([0.0, 100 / total, 200 / total, 0.0])
    assert history["network"] == [0.0] * 4  # declared, no questions in this deck


def test_retention_forecast_counts_due_cards_and_recall() -> None:
    deck = next(d for d in load_content_decks().decks if d.id == "iam-security")
    clock = [NOW]
    with Store() as store:
        drill = DrillSession(store, deck.questions, seed=1, limit=3, clock=lambda: clock[0])
        for right in (True, True, False):
            shown = drill.next_question()
            drill.answer(shown.question.correct_answer() if right else None, seconds=60)
        cards = list(store.quiz_cards().values())
    forecast = retention_forecast(cards, now=NOW + 60)
    assert forecast.cards == 3
    assert forecast.due_now <= forecast.due_1d <= forecast.due_7d <= forecast.due_30d == 3
    assert forecast.due_1d >= 1  # the miss comes back within minutes
    assert 0.0 < forecast.average_recall <= 1.0
    assert all(retrievability(card, NOW + 30 * DAY) < 1.0 for card in cards)
    assert retention_forecast([], now=NOW).average_recall is None


def test_weakest_tips_rank_by_misses() -> None:
    decks = load_content_decks().decks
    by_tip: dict[str, list[str]] = {}
    for question in (q for deck in decks for q in deck.questions):
        by_tip.setdefault(question.tip, []).append(question.id)
    tips = list(by_tip)
    rng = random.Random(0)
    rows = [review(rng.choice(by_tip[tips[0]]), False, NOW) for _ in range(3)]
    rows += [review(by_tip[tips[1]][0], False, NOW), review(by_tip[tips[1]][0], True, NOW)]
    rows += [review(by_tip[tips[2]][0], True, NOW)]  # never missed: left out
    weak = weakest_tips(rows, decks)
    assert [(t.tip, t.misses, t.answers) for t in weak] == [(tips[0], 3, 3), (tips[1], 1, 2)]
    assert weak[0].question_ids == tuple(by_tip[tips[0]])
