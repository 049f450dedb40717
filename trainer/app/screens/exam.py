"""The timed mock exam: a deck to choose (or an unfinished exam to resume), then the clock, a
navigator, free movement and changeable answers until submit, then the result.

The exam is the core's :class:`~trainer.quiz.sessions.ExamSession`; it saves each answer the
moment it is given, so leaving (or a crash) keeps the exam to resume later. Every call into it
runs on a worker thread, one call at a time and in the order given (see ``_enqueue``).

Which deck: ``ExamScreen()`` lists the unfinished exams to resume, an exam over all decks
(``trainer.quiz.alldecks``: every domain, the decks' mock exams end to end) and each deck's own
shorter mock; ``ExamScreen(deck_id=...)`` starts one directly, and
``ExamScreen(resume_session_id=...)`` resumes one (what Home offers at start).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from trainer.app.screens.confirm import ConfirmScreen
from trainer.app.widgets.bars import bar
from trainer.app.widgets.question import QuestionView
from trainer.app.workers import WorkerScreen, background
from trainer.quiz.grading import AnswerError, Presentation
from trainer.quiz.model import Answer
from trainer.quiz.sessions import ExamClosed, ExamResult, ExamSession, Missed

# The clock turns to a warning under this many seconds.
LOW_TIME = 5 * 60


def clock_text(seconds: float) -> str:
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass(frozen=True)
class ExamChoice:
    """One entry of the deck list: resume exam ``session_id``, or start one on ``deck_id``."""

    label: str
    deck_id: str | None = None
    session_id: int | None = None


class JumpScreen(ModalScreen[int | None]):
    """Every question of the exam with its state; Enter jumps to one."""

    DEFAULT_CSS = """
    JumpScreen { align: center middle; }
    JumpScreen > Vertical {
        width: 90; max-width: 95%; height: 80%;
        border: round $accent; padding: 0 1; background: $surface;
    }
    JumpScreen OptionList { height: 1fr; }
    """
    BINDINGS = [Binding("escape,j", "dismiss(None)", "Close")]

    def __init__(self, rows: list[str], current: int) -> None:
        super().__init__()
        self._rows, self._current = rows, current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Jump to a question (• answered, ⚑ flagged) — Enter jumps, escape closes")
            yield OptionList(*[Option(row, id=str(i)) for i, row in enumerate(self._rows)])

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = self._current
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))


class ExamScreen(WorkerScreen):
    CSS_PATH = "exam.tcss"
    AUTO_FOCUS = None
    HELP_TITLE = "Mock exam"

    BINDINGS = [
        *[Binding(c, f"pick('{c}')", f"Choose option {c}", show=False) for c in "abcde"],
        Binding("t", "true_false(True)", "True (true/false questions)", show=False),
        Binding("up", "move(-1)", "Highlight the option above, or scroll", show=False),
        Binding("down", "move(1)", "Highlight the option below, or scroll", show=False),
        Binding("space", "toggle", "Select", key_display="space"),
        Binding("f", "flag", "Flag (t/f: False)"),
        Binding("exclamation_mark", "flag_any", "Flag (any question)", key_display="!", show=False),
        Binding("x", "clear", "Clear this answer", show=False),
        Binding("left,left_square_bracket", "step(-1)", "Previous", key_display="←/["),
        Binding("right,right_square_bracket", "step(1)", "Next", key_display="→/]"),
        Binding("enter", "step(1)", "Next question", show=False),
        Binding("j", "jump", "Jump"),
        Binding("s", "submit", "Submit"),
        Binding("l", "lab", "Open lab"),
        Binding("pageup", "page(-1)", "Scroll up", show=False),
        Binding("pagedown", "page(1)", "Scroll down", show=False),
        Binding("escape", "back", "Leave (saved)"),
    ]

    class Choices(Message):
        def __init__(self, choices: list[ExamChoice]) -> None:
            super().__init__()
            self.choices = choices

    class Ready(Message):
        def __init__(self, exam: ExamSession) -> None:
            super().__init__()
            self.exam = exam

    class Finished(Message):
        def __init__(self, result: ExamResult, exam: ExamSession, why: str = "") -> None:
            super().__init__()
            self.result = result
            self.exam = exam
            self.why = why

    class TimeUp(Message):
        """An answer arrived after the deadline; the exam must be submitted."""

    class Drained(Message):
        """Every queued call into the exam has run."""

    def __init__(
        self,
        resume_session_id: int | None = None,
        *,
        deck_id: str | None = None,
        count: int | None = None,
        seed: int | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__()
        self.resume_session_id = resume_session_id
        self.deck_id = deck_id
        self.count = count
        self.seed = seed
        self.clock = clock
        self.phase = "loading"  # loading -> pick -> exam -> submitting -> result
        self.exam: ExamSession | None = None
        self.result: ExamResult | None = None
        self.index = 0
        self.missed_index = 0
        # What the learner sees, kept on the UI thread; the exam on the worker side follows.
        self._answers: dict[str, Answer] = {}
        self._flags: dict[str, bool] = {}
        self._ops: deque[Callable[[], Message | None]] = deque()
        self._ops_lock = threading.Lock()
        self._busy = 0  # drains started and not yet reported
        self._leaving = False
        self._timer: Timer | None = None
        self._choices: list[ExamChoice] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with ContentSwitcher(initial="pick", id="phases"):
            with Vertical(id="pick"):
                yield Static("Loading the decks…", id="pick-title", markup=False)
                yield OptionList(id="decks")
            with Vertical(id="exam"):
                yield Static(id="clock", markup=False)
                yield Static(id="navigator", markup=False)
                with VerticalScroll(id="exam-body", can_focus=False):
                    yield QuestionView(id="question")
            with VerticalScroll(id="result", can_focus=False):
                yield Static(id="score", markup=False)
                yield Static(id="domains", markup=False)
                yield Static(id="missed-title", markup=False)
                yield QuestionView(id="missed")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Mock exam"
        store = self.app.store  # type: ignore[attr-defined]
        if self.resume_session_id is not None:
            self._resume(store, self.resume_session_id)
        elif self.deck_id is not None:
            self._start(store, self.deck_id)
        else:
            self._list(store)

    # -- workers: nothing below touches a widget ------------------------------------------

    @background("exam-load")
    def _list(self, store) -> None:  # noqa: ANN001 - trainer.store.Store
        from trainer.quiz import load_content_decks
        from trainer.quiz.alldecks import ALL_DECKS, merge_decks

        result = load_content_decks()
        choices = []
        for record in ExamSession.unfinished(store):
            answered = len(store.quiz_session_answers(record.id))
            started = time.strftime("%a %H:%M", time.localtime(record.started_at))
            choices.append(
                ExamChoice(
                    f"Resume the {record.deck_id} exam from {started}: {answered} of"
                    f" {len(record.question_ids)} answered",
                    session_id=record.id,
                )
            )
        decks = ([merge_decks(result.decks)] if len(result.decks) > 1 else []) + result.decks
        for deck in decks:
            mock = deck.mock
            what = "every domain" if deck.id == ALL_DECKS else deck.id
            choices.append(
                ExamChoice(
                    f"{deck.title} ({what}): {mock.questions} questions, {mock.minutes:g} min,"
                    f" pass {mock.pass_percent:g}%",
                    deck_id=deck.id,
                )
            )
        self.post_message(self.Choices(choices))

    @background("exam-load")
    def _start(self, store, deck_id: str) -> None:  # noqa: ANN001
        from trainer.quiz import load_content_decks
        from trainer.quiz.alldecks import exam_deck

        deck = exam_deck(load_content_decks(), deck_id)
        exam = ExamSession.start(store, deck, count=self.count, seed=self.seed, clock=self.clock)
        self.post_message(self.Ready(exam))

    @background("exam-load")
    def _resume(self, store, session_id: int) -> None:  # noqa: ANN001
        from trainer.errors import UsageError
        from trainer.quiz import load_content_decks
        from trainer.quiz.alldecks import exam_deck

        record = store.quiz_session(session_id)
        if record is None or record.mode != "exam":
            raise UsageError(f"there is no exam {session_id} to resume")
        exam = ExamSession.resume(
            store, exam_deck(load_content_decks(), record.deck_id), record, clock=self.clock
        )
        if exam.expired():
            self.post_message(self.Finished(exam.submit(), exam, "Its time ran out meanwhile."))
        else:
            self.post_message(self.Ready(exam))

    def _enqueue(self, op: Callable[[], Message | None]) -> None:
        """Run ``op`` (a call into the exam) on a worker thread, after every op queued before.

        Order matters (a changed answer must not be overtaken by the one it replaces), so ops
        wait in a queue that one drain at a time empties. The drains are not ``exclusive``:
        cancelling one must never drop an answer.
        """
        self._ops.append(op)
        self._busy += 1
        self._drain()

    @background("exam-save", exclusive=False)
    def _drain(self) -> None:
        with self._ops_lock:
            while self._ops:
                op = self._ops.popleft()
                message = op()
                if message is not None:
                    self.post_message(message)
        self.post_message(self.Drained())

    def _op(self, call: Callable[[], object]) -> Callable[[], Message | None]:
        """An op that calls into the exam; after the deadline it reports TimeUp instead."""

        def op() -> Message | None:
            try:
                call()
            except ExamClosed:
                return self.TimeUp()
            return None

        return op

    def _submit_op(self, why: str) -> Callable[[], Message | None]:
        def op() -> Message | None:
            exam = self.exam
            assert exam is not None
            if exam.finished:
                return None
            return self.Finished(exam.submit(), exam, why)

        return op

    # -- messages -----------------------------------------------------------------------------

    def on_exam_screen_choices(self, message: Choices) -> None:
        self._choices = message.choices
        self.phase = "pick"
        self.query_one("#pick-title", Static).update(
            "Choose a mock exam (Enter starts it; escape goes back)."
        )
        options = self.query_one("#decks", OptionList)
        options.clear_options()
        options.add_options([Option(c.label, id=str(i)) for i, c in enumerate(message.choices)])
        options.highlighted = 0
        options.focus()
        self.refresh_bindings()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        choice = self._choices[int(event.option.id or 0)]
        self.phase = "loading"
        self.query_one("#pick-title", Static).update("Preparing the exam…")
        store = self.app.store  # type: ignore[attr-defined]
        if choice.session_id is not None:
            self._resume(store, choice.session_id)
        else:
            self._start(store, choice.deck_id or "")

    def on_exam_screen_ready(self, message: Ready) -> None:
        exam = self.exam = message.exam
        for presentation in exam.questions:
            question_id = presentation.question.id
            self._answers[question_id] = exam.answer_of(question_id)
            self._flags[question_id] = exam.is_flagged(question_id)
        # A resumed exam opens on its first unanswered question.
        unanswered = [i for i, p in enumerate(exam.questions) if self._answer(p) is None]
        self.index = unanswered[0] if unanswered else 0
        self.phase = "exam"
        self.query_one("#phases", ContentSwitcher).current = "exam"
        self.sub_title = f"Mock exam · {exam.deck.title}"
        self._timer = self.set_interval(1.0, self._tick)
        self._show()

    def on_exam_screen_time_up(self, message: TimeUp) -> None:
        self._tick()

    def on_exam_screen_drained(self, message: Drained) -> None:
        self._busy -= 1
        if self._leaving and self._busy <= 0:
            self.dismiss()

    def on_exam_screen_finished(self, message: Finished) -> None:
        if self._timer is not None:
            self._timer.stop()
        self.exam, self.result = message.exam, message.result
        self.phase = "result"
        self.query_one("#phases", ContentSwitcher).current = "result"
        self.set_focus(None)
        self._show_result(message.why)
        self.refresh_bindings()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the answer line (ordering, matching): keep the answer, go on."""
        event.stop()
        if self._save_typed():
            self.action_step(1)

    # -- actions ------------------------------------------------------------------------------

    @property
    def view(self) -> QuestionView:
        return self.query_one("#question", QuestionView)

    @property
    def current(self) -> Presentation | None:
        return self.exam.questions[self.index] if self.exam and self.exam.questions else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show in the footer only the keys that do something now."""
        answering = {
            "pick",
            "true_false",
            "toggle",
            "flag",
            "flag_any",
            "clear",
            "jump",
            "submit",
        }
        if action in answering:
            return self.phase == "exam"
        if action == "step":
            return self.phase in ("exam", "result")
        if action == "lab":
            missed = self._missed()
            return missed is not None and bool(missed.question.lab)
        return True

    def action_pick(self, letter: str) -> None:
        if self.phase == "exam" and self.view.pick(letter):
            self._save_choice()

    def action_true_false(self, value: bool) -> None:
        if self.view.kind == "true_false":
            self.action_pick("a" if value else "b")

    def action_toggle(self) -> None:
        if self.phase == "exam" and self.view.toggle():
            self._save_choice()

    def action_move(self, delta: int) -> None:
        if self.phase == "exam" and not self.view.typed_kind:
            self.view.move(delta)
        else:
            self._body().scroll_relative(y=delta, animate=False)

    def action_page(self, delta: int) -> None:
        body = self._body()
        body.scroll_relative(y=delta * max(1, body.size.height - 2), animate=False)

    def action_flag(self) -> None:
        if self.view.kind == "true_false":
            self.action_pick("b")
        else:
            self.action_flag_any()

    def action_flag_any(self) -> None:
        presentation, exam = self.current, self.exam
        if self.phase != "exam" or presentation is None or exam is None:
            return
        question_id = presentation.question.id
        flagged = self._flags[question_id] = not self._flags.get(question_id, False)
        self.view.set_marked(flagged)
        self._enqueue(self._op(lambda: exam.flag(question_id, flagged)))
        self._status()

    def action_clear(self) -> None:
        presentation = self.current
        if self.phase != "exam" or presentation is None:
            return
        self._set_answer(presentation, None)
        self._show()

    def action_step(self, delta: int) -> None:
        if self.phase == "exam" and self.exam:
            if not self._save_typed():
                return  # stay: the line typed cannot be read (the reason is shown)
            self.index = (self.index + delta) % len(self.exam.questions)
            self._show()
        elif self.phase == "result" and self.result and self.result.missed:
            self.missed_index = (self.missed_index + delta) % len(self.result.missed)
            self._show_missed()

    def action_jump(self) -> None:
        exam = self.exam
        if self.phase != "exam" or exam is None or not self._save_typed():
            return
        rows = []
        for number, presentation in enumerate(exam.questions, start=1):
            state = "•" if self._answer(presentation) is not None else " "
            flag = "⚑" if self._flags.get(presentation.question.id) else " "
            rows.append(f"{number:>2} {state}{flag} {presentation.question.stem}")

        def jump(index: int | None) -> None:
            if index is not None:
                self.index = index
                self._show()

        self.app.push_screen(JumpScreen(rows, self.index), jump)

    def action_submit(self) -> None:
        exam = self.exam
        if self.phase != "exam" or exam is None or not self._save_typed():
            return
        numbers = {p.question.id: n for n, p in enumerate(exam.questions, start=1)}
        unanswered = [numbers[p.question.id] for p in exam.questions if self._answer(p) is None]
        flagged = [numbers[q] for q, on in self._flags.items() if on]
        lines = ["Submit the exam? Answers cannot be changed after this."]
        if unanswered:
            lines.append(
                f"{len(unanswered)} unanswered (they count as wrong):"
                f" {', '.join(map(str, unanswered))}"
            )
        else:
            lines.append("Every question is answered.")
        if flagged:
            lines.append(f"Flagged for a second look: {', '.join(map(str, sorted(flagged)))}")

        def confirmed(yes: bool | None) -> None:
            if yes and self.phase == "exam":
                self._submit("")

        self.app.push_screen(
            ConfirmScreen("\n".join(lines), yes="Submit", no="Keep working"), confirmed
        )

    def action_lab(self) -> None:
        missed = self._missed()
        if missed is not None and missed.question.lab:
            self.app.action_open_lab(missed.question.lab)  # type: ignore[attr-defined]

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.set_focus(None)  # out of the answer line: letters are keys again
            return
        if self.phase == "exam" and self.exam is not None:
            self._save_typed()
            answered = sum(self._answer(p) is not None for p in self.exam.questions)
            self.notify(
                f"Exam saved: {answered} of {len(self.exam.questions)} answered,"
                f" {clock_text(self.exam.remaining_seconds())} left. Resume it from Exam or Home.",
                title="Exam kept",
            )
            if self._busy > 0:
                self._leaving = True  # leave once the last answers are written
                return
        self.dismiss()

    def screen_commands(self):  # noqa: ANN201 - Iterable[SystemCommand]
        """Command-palette entries while this screen is open."""
        if self.phase == "exam":
            yield SystemCommand("Submit", "Asks first, listing unanswered", self.action_submit)
            yield SystemCommand("Jump to a question", "The list of questions", self.action_jump)
            yield SystemCommand(
                "Clear this answer", "Leave the question unanswered", self.action_clear
            )

    # -- helpers ------------------------------------------------------------------------------

    def _tick(self) -> None:
        """Each second: redraw the clock; at the deadline, submit."""
        exam = self.exam
        if exam is None or self.phase != "exam":
            return
        if exam.expired():
            self.notify("Time is up: the exam was submitted.", title="Exam", severity="warning")
            self._submit("Time ran out; the exam was submitted by itself.")
            return
        self._status()

    def _submit(self, why: str) -> None:
        self._save_typed()
        self.phase = "submitting"
        self.view.freeze()
        self.refresh_bindings()
        self._enqueue(self._submit_op(why))

    def _answer(self, presentation: Presentation) -> Answer:
        return self._answers.get(presentation.question.id)

    def _set_answer(self, presentation: Presentation, answer: Answer) -> None:
        exam = self.exam
        assert exam is not None
        question_id = presentation.question.id
        self._answers[question_id] = answer
        self._enqueue(self._op(lambda: exam.answer(question_id, answer)))
        self._status()

    def _save_choice(self) -> None:
        presentation = self.current
        if presentation is not None:
            self._set_answer(presentation, self.view.partial())

    def _save_typed(self) -> bool:
        """Keep what is in the answer line of an ordering or matching question; False (and the
        reason shown) when it cannot be read."""
        presentation, view = self.current, self.view
        if self.phase != "exam" or presentation is None or not view.typed_kind:
            return True
        try:
            typed = view.typed()
        except AnswerError as exc:
            view.set_error(f"Not kept: {exc}.")
            return False
        if typed.flagged and not self._flags.get(presentation.question.id):
            self.action_flag_any()
        if typed.answer != self._answer(presentation):
            self._set_answer(presentation, typed.answer)
        return True

    def _show(self) -> None:
        presentation, exam, view = self.current, self.exam, self.view
        if presentation is None or exam is None:
            return
        question_id = presentation.question.id
        view.show(
            presentation,
            heading=f"Question {self.index + 1} of {len(exam.questions)}",
            answer=self._answers.get(question_id),
            marked=self._flags.get(question_id, False),
            mark_label="flagged",
        )
        self._enqueue(self._op(lambda: exam.visit(question_id)))
        self._body().scroll_home(animate=False)
        if view.typed_kind:
            view.input.focus()
        else:
            self.set_focus(None)
        self._status()
        self.refresh_bindings()

    def _status(self) -> None:
        exam = self.exam
        if exam is None:
            return
        left = exam.remaining_seconds()
        answered = sum(self._answer(p) is not None for p in exam.questions)
        flagged = sum(self._flags.values())
        clock = self.query_one("#clock", Static)
        clock.set_class(left < LOW_TIME, "low")
        clock.update(
            f"⏱ {clock_text(left)} left · {answered} of {len(exam.questions)} answered"
            f" · {flagged} flagged · s submits"
        )
        self.query_one("#navigator", Static).update(self._navigator())

    def _navigator(self) -> str:
        """Every question as a cell: its number, • answered, ! flagged, [ ] the current one."""
        exam = self.exam
        assert exam is not None
        cells = []
        for i, presentation in enumerate(exam.questions):
            question_id = presentation.question.id
            mark = "!" if self._flags.get(question_id) else ""
            mark += "•" if self._answers.get(question_id) is not None else ""
            cell = f"{i + 1}{mark}"
            cells.append(f"[{cell}]" if i == self.index else f" {cell} ")
        width = max(len(cell) for cell in cells)
        per_row = max(1, (self.size.width - 2) // (width + 1))
        rows = [
            " ".join(cell.ljust(width) for cell in cells[start : start + per_row])
            for start in range(0, len(cells), per_row)
        ]
        return "\n".join(rows)

    def _body(self) -> VerticalScroll:
        selector = "#result" if self.phase == "result" else "#exam-body"
        return self.query_one(selector, VerticalScroll)

    def _missed(self) -> Missed | None:
        if self.phase != "result" or not self.result or not self.result.missed:
            return None
        return self.result.missed[self.missed_index]

    def _show_result(self, why: str) -> None:
        result, exam = self.result, self.exam
        assert result is not None and exam is not None
        verdict = "PASS" if result.passed else "FAIL"
        lines = [
            f"Score: {result.correct} of {result.total} right ({result.percent:.0f}%) — {verdict}",
            f"Pass mark {result.pass_percent:g}% · time taken {clock_text(result.seconds)}",
        ]
        if why:
            lines.append(why)
        self.query_one("#score", Static).update("\n".join(lines))
        domains = exam.deck.domains
        width = max((len(domains[d].name) for d in result.domains if d in domains), default=10)
        rows = ["By domain:"]
        for domain_id, score in result.domains.items():
            name = domains[domain_id].name if domain_id in domains else domain_id
            percent = 100 * score.correct / score.total if score.total else 0
            rows.append(
                f"  {name:<{width}}  {bar(score.correct, score.total, 20)}"
                f"  {score.correct}/{score.total}  {percent:.0f}%"
            )
        self.query_one("#domains", Static).update("\n".join(rows))
        missed_view = self.query_one("#missed", QuestionView)
        if not result.missed:
            self.query_one("#missed-title", Static).update("No question missed. Well done.")
            missed_view.display = False
            return
        self.missed_index = 0
        self._show_missed()

    def _show_missed(self) -> None:
        result = self.result
        assert result is not None
        missed = result.missed[self.missed_index]
        total = len(result.missed)
        self.query_one("#missed-title", Static).update(
            f"Missed question {self.missed_index + 1} of {total} — ←/→ step through"
            + (" · l opens its lab" if missed.question.lab else "")
        )
        view = self.query_one("#missed", QuestionView)
        number = next(
            n
            for n, p in enumerate(self.exam.questions, start=1)  # type: ignore[union-attr]
            if p.question.id == missed.question.id
        )
        view.show(
            missed.presentation,
            heading=f"Question {number}",
            answer=missed.answer,
            marked=missed.flagged,
            locked=True,
        )
        notes = (
            [f"Practise it in the lab {missed.question.lab}: press l."]
            if missed.question.lab
            else []
        )
        view.show_feedback(missed.answer, False, notes)
        self.refresh_bindings()
