"""Pilot test of the Progress screen: the numbers shown are the store's."""

from __future__ import annotations

import asyncio
import re

from app_quiz_helpers import ScreenApp
from rich.console import Console
from textual.widgets import Static

from trainer.app.screens.progress import ProgressScreen
from trainer.labs import load_catalog
from trainer.progress import progress_report
from trainer.quiz import load_content_decks
from trainer.quiz.insights import retention_forecast, weakest_tips
from trainer.quiz.sessions import DrillSession
from trainer.store import Store

SIZE = (100, 30)


def render_plain(renderable) -> str:  # noqa: ANN001
    console = Console(width=100, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def seed_store() -> tuple[str, list[str]]:
    """One lab passed, one failed; four drill answers: right, wrong, wrong, right."""
    labs = list(load_catalog().labs)
    deck = next(d for d in load_content_decks().decks if d.id == "iam-security")
    with Store() as store:
        store.record_lab_attempt(labs[0], failed_checks=[], checks_total=3, seconds=1.0)
        store.record_lab_attempt(labs[1], failed_checks=["x"], checks_total=3, seconds=1.0)
        drill = DrillSession(store, deck.questions, seed=4, limit=4)
        missed = []
        for right in (True, False, False, True):
            shown = drill.next_question()
            assert shown is not None
            question = shown.question
            drill.answer(question.correct_answer() if right else None)
            if not right:
                missed.append(question.tip)
    return labs[0], missed


def test_progress_shows_the_store_numbers() -> None:
    passed_lab, missed_tips = seed_store()
    with Store() as store:
        report, _ = progress_report(store)
        forecast = retention_forecast(store.quiz_cards().values())
        weakest = weakest_tips(store.quiz_reviews(), load_content_decks().decks)
    assert sum(tip.misses for tip in weakest) == 2
    assert set(missed_tips) <= {tip.tip for tip in weakest}

    async def run() -> None:
        screen = ProgressScreen()
        app = ScreenApp(screen)
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            labs = render_plain(screen.query_one("#labs", Static).content)
            assert f"Labs: 1 of {report['labs']['total']} passed" in labs
            assert re.search(rf"✓ +{passed_lab} +passed", labs)
            title = str(screen.query_one("#mastery-title", Static).content)
            quizzes = report["quizzes"]
            assert f"{quizzes['mastered']} of {quizzes['questions']} questions mastered" in title
            assert quizzes["mastered"] == 2 and quizzes["seen"] == 4
            iam = report["domains"]["iam"]
            rows = str(screen.query_one("#mastery", Static).content).splitlines()
            assert any(
                row.startswith("Identity and access")
                and f"{iam['mastered']}/{iam['questions']}" in row
                for row in rows
            )
            assert len(rows) == 5
            assert all(row.endswith("▁" * 29 + row[-1]) for row in rows)  # 30 days, fixed scale
            retention = str(screen.query_one("#retention", Static).content)
            assert f"Retention ({forecast.cards} questions drilled)" in retention
            assert f"due now {forecast.due_now}" in retention
            assert f"30 days {forecast.due_30d}" in retention
            weak = str(screen.query_one("#weak", Static).content)
            for tip in weakest:
                assert f"{tip.misses:>2} of {tip.answers:<2} {tip.tip}" in weak

    asyncio.run(run())


def test_progress_of_a_new_learner() -> None:
    async def run() -> None:
        screen = ProgressScreen()
        app = ScreenApp(screen)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert "no question drilled yet" in str(screen.query_one("#retention", Static).content)
            assert "none missed yet" in str(screen.query_one("#weak", Static).content)

    asyncio.run(run())
