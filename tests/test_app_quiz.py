"""Pilot tests of the Drill and Review screens: answers shown and stored, in every mode."""

from __future__ import annotations

import asyncio
import json

from app_quiz_helpers import ScreenApp, answer_keys
from rich.console import Console
from textual.widgets import Static

from trainer.app.screens.quiz import DrillScreen
from trainer.app.widgets.question import QuestionView
from trainer.quiz import load_content_decks
from trainer.quiz.sessions import DrillSession
from trainer.store import Store

SIZE = (100, 30)


def text_of(app: ScreenApp, selector: str) -> str:
    """What a Static shows, as plain text."""
    widget = app.screen.query_one(selector)
    if isinstance(widget, Static):
        rendered = widget.render()
        return str(getattr(rendered, "plain", rendered))
    raise TypeError(selector)


def feedback_text(app: ScreenApp) -> str:
    """The verdict as plain text (it is a group of Rich renderables)."""
    widget = app.screen.query_one("#q-feedback", Static)
    console = Console(width=100, record=True, color_system=None)
    console.print(widget.content)
    return console.export_text()


async def settle(app: ScreenApp, pilot) -> None:  # noqa: ANN001
    await app.workers.wait_for_complete()
    await pilot.pause()


def test_drill_right_then_wrong_shows_verdict_and_stores_it() -> None:
    async def run() -> None:
        screen = DrillScreen(mode="drill", deck_id="iam-security", seed=11, limit=2)
        app = ScreenApp(screen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            assert screen.phase == "answering"
            view = screen.query_one(QuestionView)
            first = view.presentation
            assert first is not None
            await pilot.press(*answer_keys(first, right=True), "enter")
            await settle(app, pilot)
            assert screen.phase == "feedback"
            shown = feedback_text(app)
            assert "✓ Right" in shown
            assert first.question.tip in shown
            assert "Next review in" in shown

            await pilot.press("n")
            await settle(app, pilot)
            second = view.presentation
            assert second is not None and second.question.id != first.question.id
            await pilot.press(*answer_keys(second, right=False), "u", "enter")
            await settle(app, pilot)
            shown = feedback_text(app)
            assert "✗ Wrong" in shown
            assert "the answer: " + second.describe(second.question.correct_answer()) in shown
            if second.question.lab:
                await pilot.press("l")
                assert app.opened_labs == [second.question.lab]

            await pilot.press("enter")
            await settle(app, pilot)
            assert screen.phase == "done"
            summary = text_of(app, "#summary")
            assert "1 of 2 right (50%)" in summary
            assert second.question.id in summary
            assert not app.errors

        with Store() as store:
            rows = store.quiz_reviews()
        assert [(r.question_id, r.correct, r.mode) for r in rows] == [
            (first.question.id, True, "drill"),
            (second.question.id, False, "drill"),
        ]
        assert rows[1].flagged  # marked unsure
        assert rows[1].rating == 1  # Again

    asyncio.run(run())


def test_every_question_type_is_answered_by_keyboard() -> None:
    """One right answer per question type, typed types through the answer line."""

    async def run() -> None:
        decks = load_content_decks().decks
        ids = {}
        for deck in decks:
            for question in deck.questions:
                ids.setdefault(question.type, question.id)
        screen = DrillScreen(mode="drill", seed=3, limit=200)
        app = ScreenApp(screen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            seen: set[str] = set()
            while screen.phase == "answering" and len(seen) < 5:
                view = screen.query_one(QuestionView)
                presentation = view.presentation
                assert presentation is not None
                kind = presentation.question.type
                right = kind not in seen
                await pilot.press(*answer_keys(presentation, right=right), "enter")
                await settle(app, pilot)
                assert screen.phase == "feedback", view.query_one("#q-error", Static).content
                assert screen.feedback is not None and screen.feedback.correct is right, kind
                seen.add(kind)
                await pilot.press("n")
                await settle(app, pilot)
            assert seen == {"single", "multi", "true_false", "ordering", "matching"}

    asyncio.run(run())


def test_incomplete_answer_is_not_submitted() -> None:
    async def run() -> None:
        screen = DrillScreen(mode="drill", seed=11, limit=1)
        app = ScreenApp(screen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            await pilot.press("enter")
            await settle(app, pilot)
            assert screen.phase == "answering"
            assert "Choose an answer first" in str(screen.query_one("#q-error", Static).content)
        with Store() as store:
            assert store.quiz_reviews() == []

    asyncio.run(run())


def test_review_shows_a_missed_question_and_clears_it() -> None:
    decks = load_content_decks().decks
    deck = next(d for d in decks if d.id == "iam-security")
    with Store() as store:
        drill = DrillSession(store, deck.questions, seed=1, limit=1)
        missed = drill.next_question()
        assert missed is not None
        drill.answer(None)  # a skip is a miss

    async def run() -> None:
        screen = DrillScreen(mode="review", seed=2)
        app = ScreenApp(screen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            assert "Review · 1 left" in text_of(app, "#status")
            view = screen.query_one(QuestionView)
            assert view.presentation is not None
            assert view.presentation.question.id == missed.question.id
            await pilot.press(*answer_keys(view.presentation, right=True), "enter")
            await settle(app, pilot)
            assert "✓ Right" in feedback_text(app)
            await pilot.press("n")
            await settle(app, pilot)
            assert "1 of 1 right" in text_of(app, "#summary")

    asyncio.run(run())
    with Store() as store:
        last = store.quiz_reviews()[-1]
    assert (last.question_id, last.mode, last.correct) == (missed.question.id, "review", True)
    assert json.loads(last.answer) is not None


def test_review_with_nothing_missed_says_so() -> None:
    async def run() -> None:
        screen = DrillScreen(mode="review")
        app = ScreenApp(screen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            assert screen.phase == "empty"
            assert "Nothing to review" in text_of(app, "#summary")

    asyncio.run(run())
