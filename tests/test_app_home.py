"""Pilot tests of Home, the help overlay and the command palette entries."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import OptionList, Static

from trainer.app.app import TrainerApp
from trainer.app.screens.exam import ExamScreen
from trainer.app.screens.help import HelpScreen
from trainer.app.screens.home import HomeScreen, ResumeExam
from trainer.app.screens.lab import LabScreen
from trainer.quiz import load_content_decks
from trainer.quiz.alldecks import ALL_DECKS, exam_deck
from trainer.quiz.sessions import ExamSession
from trainer.store import Store


async def settle(app, pilot) -> None:
    for _ in range(2):
        await app.workers.wait_for_complete()
        await pilot.pause()


def leave_an_exam_unfinished() -> int:
    with Store() as store:
        deck = exam_deck(load_content_decks(), ALL_DECKS)
        exam = ExamSession.start(store, deck, count=3, seed=7)
        return exam.id


def test_home_shows_domains_and_every_entry():
    async def scenario() -> None:
        app = TrainerApp()
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, HomeScreen)
            domains = str(screen.query_one("#domains", Static).render())
            for name in ("Identity and access", "Encryption at rest", "Network isolation"):
                assert name in domains
            menu = screen.query_one("#menu", OptionList)
            entries = [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]
            assert entries[0].startswith("Next lab: The SageMaker execution role")
            assert any(e.startswith("Drill") for e in entries)
            assert any(e.startswith("Review") for e in entries)
            await pilot.press("enter")
            await settle(app, pilot)
            assert isinstance(app.screen, LabScreen) and app.screen.lab_id == "execution-role"

    asyncio.run(scenario())


@pytest.mark.parametrize("choice", ["a", "r"])
def test_an_unfinished_exam_is_offered_for_resume_or_abandon(choice):
    exam_id = leave_an_exam_unfinished()

    async def scenario() -> None:
        app = TrainerApp()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            assert isinstance(app.screen, ResumeExam)
            await pilot.press(choice)
            await settle(app, pilot)
            if choice == "r":
                assert isinstance(app.screen, ExamScreen)
                assert app.screen.resume_session_id == exam_id

    asyncio.run(scenario())
    with Store() as store:
        still_open = [record.id for record in ExamSession.unfinished(store)]
    assert still_open == ([] if choice == "a" else [exam_id])


def test_help_lists_the_keys_of_the_screen_underneath():
    async def scenario() -> None:
        app = TrainerApp()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            app.action_open_lab("execution-role")
            await settle(app, pilot)
            await pilot.press("escape")  # leave the editor so "?" is not typed
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            text = str(app.screen.query_one(Static).render())
            assert "ctrl+r" in text and "Run+Check" in text and "Hint" in text
            assert "ctrl+p" in text
            await pilot.press("escape")
            assert isinstance(app.screen, LabScreen)

    asyncio.run(scenario())


def test_the_palette_has_an_entry_for_every_action():
    async def scenario() -> None:
        app = TrainerApp()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            app.action_open_lab("execution-role")
            await settle(app, pilot)
            titles = {command.title for command in app.get_system_commands(app.screen)}
            assert {"Labs", "Drill", "Review", "Exam", "Progress", "Help"} <= titles
            assert "Open lab: The SageMaker execution role" in titles
            assert {"Run and check", "Reveal a hint", "Reset lab to starter"} <= titles

    asyncio.run(scenario())
