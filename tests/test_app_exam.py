"""Pilot tests of the Exam screen: take and submit a short exam, leave and resume one, the
clock running out, and choosing a deck."""

from __future__ import annotations

import asyncio

from app_quiz_helpers import ScreenApp, answer_keys
from textual.widgets import OptionList, Static

from trainer.app.screens.confirm import ConfirmScreen
from trainer.app.screens.exam import ExamScreen
from trainer.app.widgets.question import QuestionView
from trainer.quiz.sessions import ExamSession
from trainer.store import Store

SIZE = (100, 30)


async def settle(app: ScreenApp, pilot) -> None:  # noqa: ANN001
    await app.workers.wait_for_complete()
    await pilot.pause()


async def answer_and_go_on(pilot, screen, presentation, *, right: bool, flag: bool = False):  # noqa: ANN001
    """Answer the shown question (flagging it too) and move to the next, as a learner would:
    in the answer line of ordering/matching, ? flags and Enter keeps it and goes on."""
    keys = answer_keys(presentation, right=right)
    view = screen.query_one("#question", QuestionView)
    if view.typed_kind:
        keys += ["question_mark"] if flag else []
        await pilot.press(*keys, "enter")
    else:
        await pilot.press(*keys, *(["exclamation_mark"] if flag else []), "right")


async def press_outside_input(pilot, screen, key: str) -> None:  # noqa: ANN001
    """A navigation key, leaving the answer line first if it has focus (escape)."""
    from textual.widgets import Input

    if isinstance(screen.focused, Input):
        await pilot.press("escape")
    await pilot.press(key)


def plain(screen, selector: str) -> str:  # noqa: ANN001
    return str(screen.query_one(selector, Static).content)


def test_take_and_submit_a_short_exam() -> None:
    async def run() -> None:
        screen = ExamScreen(deck_id="iam-security", count=4, seed=3)
        app = ScreenApp(screen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            assert screen.phase == "exam"
            exam = screen.exam
            assert exam is not None and len(exam.questions) == 4
            assert "4:" in plain(screen, "#clock") or "5:" in plain(screen, "#clock")
            view = screen.query_one("#question", QuestionView)
            first, second = exam.questions[0], exam.questions[1]

            await answer_and_go_on(pilot, screen, first, right=True)
            await settle(app, pilot)
            assert view.presentation == second
            await answer_and_go_on(pilot, screen, second, right=False, flag=True)
            await settle(app, pilot)
            # Back to the first: its answer is still picked; then on to submit.
            await press_outside_input(pilot, screen, "left_square_bracket")
            await press_outside_input(pilot, screen, "left_square_bracket")
            await settle(app, pilot)
            assert view.presentation == first
            assert "0 flagged" not in plain(screen, "#clock")
            assert "2 of 4 answered · 1 flagged" in plain(screen, "#clock")
            navigator = plain(screen, "#navigator")
            assert "[1•]" in navigator and "2!•" in navigator

            await press_outside_input(pilot, screen, "s")
            await pilot.pause()
            confirm = app.screen
            assert isinstance(confirm, ConfirmScreen)
            assert "2 unanswered (they count as wrong): 3, 4" in confirm._question
            assert "Flagged for a second look: 2" in confirm._question
            await pilot.press("y")
            await settle(app, pilot)

            assert screen.phase == "result"
            score = plain(screen, "#score")
            assert "Score: 1 of 4 right (25%) — FAIL" in score
            domains = plain(screen, "#domains")
            assert "Identity and access" in domains and "1/4  25%" in domains
            assert "Missed question 1 of 3" in plain(screen, "#missed-title")
            missed_view = screen.query_one("#missed", QuestionView)
            assert missed_view.presentation == second
            await pilot.press("right")
            await pilot.pause()
            assert "Missed question 2 of 3" in plain(screen, "#missed-title")
            assert not app.errors

        with Store() as store:
            assert ExamSession.unfinished(store) == []
            rows = [r for r in store.quiz_reviews() if r.mode == "exam"]
        assert [r.correct for r in rows] == [True, False, False, False]
        assert rows[1].flagged

    asyncio.run(run())


def test_leave_mid_exam_and_resume_with_answers_kept() -> None:
    async def first_sitting() -> tuple[int, list[str]]:
        screen = ExamScreen(deck_id="iam-security", count=4, seed=8)
        app = ScreenApp(screen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            exam = screen.exam
            assert exam is not None
            first, second = exam.questions[0], exam.questions[1]
            await answer_and_go_on(pilot, screen, first, right=True)
            await settle(app, pilot)
            await answer_and_go_on(pilot, screen, second, right=False, flag=True)
            await settle(app, pilot)
            await press_outside_input(pilot, screen, "escape")  # leave
            await settle(app, pilot)
            assert app.screen is not screen
            return exam.id, [p.question.id for p in exam.questions]

    session_id, ids = asyncio.run(first_sitting())
    with Store() as store:
        saved = store.quiz_session_answers(session_id)
        assert set(saved) == set(ids[:2])
        assert saved[ids[1]].flagged

    async def second_sitting() -> None:
        screen = ExamScreen(resume_session_id=session_id)
        app = ScreenApp(screen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            assert screen.phase == "exam"
            exam = screen.exam
            assert exam is not None and exam.id == session_id
            # It opens on the first unanswered question, with the count and flag kept.
            assert screen.index == 2
            assert "2 of 4 answered · 1 flagged" in plain(screen, "#clock")
            await press_outside_input(pilot, screen, "j")
            await pilot.pause()
            await pilot.press("home", "enter")
            await pilot.pause()
            view = screen.query_one("#question", QuestionView)
            assert screen.index == 0
            assert view.partial() == exam.answer_of(ids[0]) is not None
            await press_outside_input(pilot, screen, "right")
            await pilot.pause()
            assert view.marked  # the flag of the second question

    asyncio.run(second_sitting())


def test_time_running_out_submits_the_exam() -> None:
    now = [1_000_000.0]

    async def run() -> None:
        screen = ExamScreen(deck_id="iam-security", count=2, seed=1, clock=lambda: now[0])
        app = ScreenApp(screen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            assert screen.exam is not None
            now[0] += 24 * 3600
            screen._tick()
            await settle(app, pilot)
            assert screen.phase == "result"
            assert "submitted by itself" in plain(screen, "#score")

    asyncio.run(run())
    with Store() as store:
        assert ExamSession.unfinished(store) == []


def test_deck_list_offers_all_decks_and_resuming() -> None:
    async def run() -> None:
        screen = ExamScreen()
        app = ScreenApp(screen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            options = screen.query_one("#decks", OptionList)
            labels = [
                str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
            ]
            assert labels[0].startswith("All decks (every domain): 55 questions")
            assert any(label.startswith("IAM security") for label in labels)
            await pilot.press("enter")  # all decks
            await settle(app, pilot)
            assert screen.phase == "exam"
            assert screen.exam is not None and screen.exam.deck.id == "all"
            assert len({p.question.deck_id for p in screen.exam.questions}) == 3
            await press_outside_input(pilot, screen, "escape")
            await settle(app, pilot)

        screen = ExamScreen()
        app = ScreenApp(screen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            options = screen.query_one("#decks", OptionList)
            assert str(options.get_option_at_index(0).prompt).startswith("Resume the all exam")
            await pilot.press("enter")
            await settle(app, pilot)
            assert screen.phase == "exam" and screen.exam is not None

    asyncio.run(run())
