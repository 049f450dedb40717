"""Pilot tests of the lab flow in the TUI: open a lab, run the starter (checks fail), load the
solution, run again (checks pass, progress recorded), quit and resume."""

from __future__ import annotations

import asyncio

from helpers import REPO
from textual.widgets import OptionList, Static, TabbedContent, TextArea

from trainer.app.app import TrainerApp
from trainer.app.screens.home import HomeScreen
from trainer.app.screens.lab import LabScreen
from trainer.app.screens.labs import LabsScreen
from trainer.paths import workspace_file
from trainer.store import Store

STARTER = (REPO / "labs/execution-role/starter.py").read_text()
SOLUTION = (REPO / "labs/execution-role/solution.py").read_text()


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def open_lab(app, pilot) -> LabScreen:
    """Start at Home, open the execution-role lab, wait until it is loaded."""
    await settle(app, pilot)
    app.action_open_lab("execution-role")
    await settle(app, pilot)
    assert isinstance(app.screen, LabScreen)
    return app.screen


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def results_text(screen) -> str:
    """Everything the Results tab shows: the verdict, then each check's title and message."""
    return "\n".join(str(widget.render()) for widget in screen.query("#results Static"))


def test_open_run_fix_and_pass_a_lab():
    async def scenario() -> None:
        app = TrainerApp()
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await open_lab(app, pilot)
            area = screen.query_one("#code", TextArea)
            assert area.text == STARTER
            assert workspace_file("execution-role").read_text() == STARTER

            await pilot.press("ctrl+r")
            await settle(app, pilot)
            results = results_text(screen)
            assert "0/4 checks passed" in results
            assert "no role named SageMakerExecutionRole" in results
            assert screen.query_one("#side", TabbedContent).active == "results"

            area.text = SOLUTION  # as if the learner typed it
            await pilot.pause()
            await pilot.press("ctrl+r")
            await settle(app, pilot)
            assert "4/4 checks passed: PASSED" in text_of(screen, "#verdict")
            assert "passed" in text_of(screen, "#status")
            assert workspace_file("execution-role").read_text() == SOLUTION
        with Store() as store:
            assert store.lab_status("execution-role") == "passed"

    asyncio.run(scenario())


def test_typing_is_saved_even_when_quitting_at_once_and_home_offers_to_continue():
    async def first_session() -> None:
        app = TrainerApp()
        async with app.run_test(size=(100, 30)) as pilot:
            area = (await open_lab(app, pilot)).query_one("#code", TextArea)
            area.focus()
            area.move_cursor((0, 0))
            await pilot.press(*"# mine", "enter")
            await pilot.press("ctrl+q")  # well inside the autosave delay

    async def second_session() -> None:
        app = TrainerApp()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            assert isinstance(app.screen, HomeScreen)
            menu = app.screen.query_one("#menu", OptionList)
            assert "Continue lab: The SageMaker execution role" in str(
                menu.get_option_at_index(0).prompt
            )
            await pilot.press("c")
            await settle(app, pilot)
            assert app.screen.query_one("#code", TextArea).text.startswith("# mine\n")

    asyncio.run(first_session())
    assert workspace_file("execution-role").read_text() == "# mine\n" + STARTER
    asyncio.run(second_session())


def test_letters_type_in_the_editor_and_act_outside_it():
    async def scenario() -> None:
        app = TrainerApp()
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await open_lab(app, pilot)
            area = screen.query_one("#code", TextArea)
            area.focus()
            area.move_cursor((0, 0))
            await pilot.press("h", "r", "s")  # hint, run, solution keys outside the editor
            await settle(app, pilot)
            assert area.text.startswith("hrs")
            assert isinstance(app.screen, LabScreen)
            await pilot.press("escape")  # leave the editor
            await pilot.press("h")
            await settle(app, pilot)
            assert "Hint 1/2" in text_of(screen, "#hints")

    asyncio.run(scenario())


def test_an_outside_save_reloads_and_rechecks():
    async def scenario() -> None:
        app = TrainerApp()
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await open_lab(app, pilot)
            workspace_file("execution-role").write_text(SOLUTION)
            screen.poll_file()  # what the watch timer does every half second
            await settle(app, pilot)
            assert screen.query_one("#code", TextArea).text == SOLUTION
            assert "4/4 checks passed" in text_of(screen, "#verdict")

    asyncio.run(scenario())


def test_labs_screen_lists_the_catalog_and_opens_a_lab():
    async def scenario() -> None:
        app = TrainerApp()
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            await pilot.press("l")
            await settle(app, pilot)
            assert isinstance(app.screen, LabsScreen)
            assert "labs passed" in text_of(app.screen, "#summary")
            await pilot.press("enter")
            await settle(app, pilot)
            assert isinstance(app.screen, LabScreen)
            assert app.screen.lab_id == "execution-role"

    asyncio.run(scenario())


def test_a_worker_error_is_a_notification_not_a_crash():
    async def scenario() -> None:
        app = TrainerApp()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            app.action_open_lab("no-such-lab")  # its loading worker raises a UsageError
            await settle(app, pilot)
            assert app.is_running
            messages = [n.message for n in app._notifications]
            assert any("no lab 'no-such-lab'" in m for m in messages), messages

    asyncio.run(scenario())


def test_escape_cancels_a_hanging_run():
    async def scenario() -> None:
        app = TrainerApp()
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await open_lab(app, pilot)
            screen.query_one("#code", TextArea).text = "import time\ntime.sleep(60)\n"
            await pilot.pause()
            await pilot.press("ctrl+r")
            while not screen.running:  # the run worker has started
                await pilot.pause()
            await pilot.press("escape")
            await settle(app, pilot)
            assert not screen.running
            assert "cancelled" in text_of(screen, "#verdict")
        with Store() as store:  # a cancelled run is not an attempt
            assert store.lab_status("execution-role") == "not started"

    asyncio.run(scenario())
