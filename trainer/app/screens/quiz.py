"""Drill and Review: one question at a time, then the verdict, then the next.

Drill is the FSRS schedule (due questions first, then new ones); Review asks the questions
missed or flagged before. Both are the core's sessions (``trainer.quiz.sessions``); this screen
only shows them. Loading the decks and every answer (a store write) run in workers.
"""

from __future__ import annotations

import time

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header, Input, Static

from trainer.app.widgets.question import QuestionView
from trainer.app.workers import WorkerScreen, background
from trainer.quiz.grading import AnswerError, Presentation
from trainer.quiz.sessions import DrillSession, Feedback, ReviewSession

# Questions per drill round, as `trainer quiz take` asks by default.
DRILL_ROUND = 20


def when(epoch: float, now: float | None = None) -> str:
    """A due time as the learner thinks of it: "in 10 minutes", "in 3 days"."""
    seconds = max(0.0, epoch - (time.time() if now is None else now))
    if seconds < 3600:
        return f"in {max(1, round(seconds / 60))} minute(s)"
    if seconds < 2 * 86400:
        return f"in {round(seconds / 3600)} hour(s)"
    return f"in {round(seconds / 86400)} days"


class DrillScreen(WorkerScreen):
    """Drill (``mode="drill"``) or Review (``mode="review"``) over every deck, or one deck."""

    CSS_PATH = "quiz.tcss"
    AUTO_FOCUS = None  # the answer line takes focus only for questions typed into it
    HELP_TITLE = "Drill / Review"

    BINDINGS = [
        *[Binding(c, f"pick('{c}')", f"Choose option {c}", show=False) for c in "abcde"],
        Binding("t", "true_false(True)", "True (true/false questions)", show=False),
        Binding("up", "move(-1)", "Highlight the option above, or scroll", show=False),
        Binding("down", "move(1)", "Highlight the option below, or scroll", show=False),
        Binding("space", "toggle", "Select", key_display="space"),
        Binding("enter", "enter", "Submit / next"),
        Binding("u", "mark", "Unsure"),
        Binding("f", "flag", "Flag (t/f: False)"),
        Binding("s", "skip", "Skip"),
        Binding("n", "next", "Next"),
        Binding("l", "lab", "Open lab"),
        Binding("r", "again", "Another round"),
        Binding("pageup", "page(-1)", "Scroll up", show=False),
        Binding("pagedown", "page(1)", "Scroll down", show=False),
        Binding("escape", "back", "Back"),
    ]

    class Loaded(Message):
        """The session is ready, with its first question (None: nothing to ask)."""

        def __init__(self, session: DrillSession | ReviewSession, first: Presentation | None):
            super().__init__()
            self.session = session
            self.first = first

    class Graded(Message):
        def __init__(self, feedback: Feedback) -> None:
            super().__init__()
            self.feedback = feedback

    def __init__(
        self,
        mode: str = "drill",
        *,
        deck_id: str | None = None,
        limit: int | None = None,
        seed: int | None = None,
    ) -> None:
        super().__init__()
        if mode not in ("drill", "review"):
            raise ValueError(f"mode must be drill or review, not {mode!r}")
        self.mode = mode
        self.deck_id = deck_id
        self.limit = limit if limit is not None else (DRILL_ROUND if mode == "drill" else None)
        self.seed = seed
        self.session: DrillSession | ReviewSession | None = None
        # loading -> answering -> grading -> feedback -> ... -> done (or empty)
        self.phase = "loading"
        self.number = 0
        self.feedback: Feedback | None = None
        self.missed: list[Feedback] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading the decks…", id="status", markup=False)
        with VerticalScroll(id="body", can_focus=False):
            yield QuestionView(id="question")
            yield Static(id="summary", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Review" if self.mode == "review" else "Drill"
        self.query_one("#question", QuestionView).display = False
        self._load(self.app.store)  # type: ignore[attr-defined]

    # -- workers: nothing below touches a widget ------------------------------------------

    @background("quiz-load")
    def _load(self, store) -> None:  # noqa: ANN001 - trainer.store.Store
        from trainer.quiz import find_deck, load_content_decks

        result = load_content_decks()
        decks = [find_deck(result, self.deck_id)] if self.deck_id else result.decks
        questions = [question for deck in decks for question in deck.questions]
        session: DrillSession | ReviewSession
        if self.mode == "review":
            session = ReviewSession(store, questions, seed=self.seed, limit=self.limit)
        else:
            session = DrillSession(store, questions, seed=self.seed, limit=self.limit)
        self.post_message(self.Loaded(session, session.next_question()))

    @background("quiz-answer")
    def _grade(self, session: DrillSession | ReviewSession, answer, marked: bool) -> None:  # noqa: ANN001
        if isinstance(session, DrillSession):
            feedback = session.answer(answer, unsure=marked)
        else:
            feedback = session.answer(answer, flagged=marked)
        self.post_message(self.Graded(feedback))

    # -- messages -----------------------------------------------------------------------------

    def on_drill_screen_loaded(self, message: Loaded) -> None:
        self.session = message.session
        self._show(message.first)

    def on_drill_screen_graded(self, message: Graded) -> None:
        feedback = self.feedback = message.feedback
        if not feedback.correct:
            self.missed.append(feedback)
        notes = []
        if feedback.question.lab:
            notes.append(f"Practise it in the lab {feedback.question.lab}: press l.")
        if feedback.due is not None:
            notes.append(f"Next review {when(feedback.due)}.")
        self.view.show_feedback(feedback.answer, feedback.correct, notes)
        self.phase = "feedback"
        self._status()
        self.set_focus(None)
        self.refresh_bindings()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_enter()

    # -- actions ------------------------------------------------------------------------------

    @property
    def view(self) -> QuestionView:
        return self.query_one("#question", QuestionView)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show in the footer only the keys that do something now."""
        answering = {"pick", "true_false", "toggle", "mark", "flag", "skip"}
        if action in answering:
            return self.phase == "answering"
        if action == "next":
            return self.phase == "feedback"
        if action == "lab":
            return self.phase == "feedback" and bool(self.feedback and self.feedback.question.lab)
        if action == "again":
            return self.phase in ("done", "empty")
        return True

    def action_pick(self, letter: str) -> None:
        self.view.pick(letter)

    def action_true_false(self, value: bool) -> None:
        if self.view.kind == "true_false":
            self.view.pick("a" if value else "b")

    def action_toggle(self) -> None:
        self.view.toggle()

    def action_move(self, delta: int) -> None:
        if self.phase == "answering" and not self.view.typed_kind:
            self.view.move(delta)
        else:
            body = self.query_one("#body", VerticalScroll)
            body.scroll_relative(y=delta, animate=False)

    def action_page(self, delta: int) -> None:
        body = self.query_one("#body", VerticalScroll)
        body.scroll_relative(y=delta * max(1, body.size.height - 2), animate=False)

    def action_mark(self) -> None:
        self.view.set_marked(not self.view.marked)

    def action_flag(self) -> None:
        # On a true/false question f answers False (t/f); u still marks it.
        if self.view.kind == "true_false":
            self.view.pick("b")
        else:
            self.action_mark()

    def action_enter(self) -> None:
        if self.phase == "answering":
            self._submit(skip=False)
        elif self.phase == "feedback":
            self.action_next()

    def action_skip(self) -> None:
        self._submit(skip=True)

    def action_next(self) -> None:
        if self.phase == "feedback" and self.session is not None:
            self._show(self.session.next_question())

    def action_lab(self) -> None:
        if self.feedback and self.feedback.question.lab:
            self.app.action_open_lab(self.feedback.question.lab)  # type: ignore[attr-defined]

    def action_again(self) -> None:
        if self.phase in ("done", "empty"):
            self.phase, self.number, self.missed = "loading", 0, []
            self.query_one("#summary", Static).update("")
            self.query_one("#status", Static).update("Loading the decks…")
            self._load(self.app.store)  # type: ignore[attr-defined]

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.set_focus(None)  # out of the answer line: letters are keys again
        else:
            self.dismiss()

    def screen_commands(self):  # noqa: ANN201 - Iterable[SystemCommand]
        """Command-palette entries while this screen is open."""
        yield SystemCommand("Skip this question", "Counts as wrong", self.action_skip)
        yield SystemCommand("Mark unsure", "Asked again in Review", self.action_mark)
        if self.feedback and self.feedback.question.lab:
            yield SystemCommand("Open lab", self.feedback.question.lab, self.action_lab)

    # -- helpers ------------------------------------------------------------------------------

    def _submit(self, *, skip: bool) -> None:
        if self.phase != "answering" or self.session is None:
            return
        view = self.view
        if skip:
            answer, marked = None, view.marked
        else:
            try:
                typed = view.typed()
            except AnswerError as exc:
                view.set_error(f"{exc}.")
                return
            if typed.answer is None:
                view.set_error("Choose an answer first (s skips it).")
                return
            answer, marked = typed.answer, view.marked or typed.flagged
            view.set_marked(marked)
        self.phase = "grading"
        self.refresh_bindings()
        self._grade(self.session, answer, marked)

    def _show(self, presentation: Presentation | None) -> None:
        view = self.view
        self.feedback = None
        if presentation is None:
            view.display = False
            self.phase = "done" if self.number else "empty"
            self.query_one("#summary", Static).update(self._summary())
            self._status()
            self.refresh_bindings()
            return
        self.number += 1
        view.display = True
        mark_label = "unsure" if self.mode == "drill" else "flagged"
        view.show(presentation, heading=f"Question {self.number}", mark_label=mark_label)
        self.phase = "answering"
        self._status()
        self.query_one("#body", VerticalScroll).scroll_home(animate=False)
        if view.typed_kind:
            view.input.focus()
        else:
            self.set_focus(None)
        self.refresh_bindings()

    def _status(self) -> None:
        session = self.session
        if session is None:
            return
        score = f"{session.right}/{session.answered} right" if session.answered else ""
        if isinstance(session, DrillSession):
            due, new = session.counts()
            parts = ["Drill", f"{due} due", f"{new} new"]
        else:
            parts = ["Review", f"{session.remaining()} left"]
        if self.phase in ("answering", "grading", "feedback"):
            parts.append(f"question {self.number}")
        parts.append(score)
        self.query_one("#status", Static).update(" · ".join(p for p in parts if p))

    def _summary(self) -> str:
        session = self.session
        assert session is not None
        if self.phase == "empty":
            if self.mode == "review":
                return (
                    "Nothing to review: no missed or flagged questions. Well done.\n\n"
                    "r looks again · escape goes back"
                )
            return (
                "Nothing is due and every question has been drilled. Come back later.\n\n"
                "r looks again · escape goes back"
            )
        percent = 100.0 * session.right / session.answered if session.answered else 0.0
        lines = [
            f"Round over: {session.right} of {session.answered} right ({percent:.0f}%).",
        ]
        if isinstance(session, DrillSession):
            due, new = session.counts(time.time() + 86400)
            lines.append(f"Due within a day: {due}; never drilled: {new}.")
        if self.missed:
            lines += ["", "Missed (they come back in Review):"]
            lines += [f"  ✗ {f.question.id}: {f.question.tip}" for f in self.missed]
        lines += ["", "r starts another round · escape goes back"]
        return "\n".join(lines)
