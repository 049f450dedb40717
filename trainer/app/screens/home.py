"""Home: progress per domain, the suggested next step, and the way to everything else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from trainer.app.widgets.bars import bar
from trainer.app.workers import WorkerScreen, background


@dataclass(frozen=True)
class Summary:
    """What Home shows, gathered off the UI thread."""

    report: dict[str, Any]
    next_lab: tuple[str, str] | None  # (id, title)
    last_lab: tuple[str, str] | None
    due: int
    review: int
    unfinished_exam: Any  # a QuizSessionRecord or None


class HomeScreen(WorkerScreen):
    HELP_TITLE = "Home"
    CSS_PATH = "home.tcss"
    BINDINGS = [
        Binding("c", "continue", "Continue"),
        Binding("l", "app.labs", "Labs"),
        Binding("d", "app.drill", "Drill"),
        Binding("x", "app.exam", "Exam"),
        Binding("r", "app.review", "Review"),
        Binding("p", "app.progress", "Progress"),
    ]

    class Loaded(Message):
        def __init__(self, summary: Summary) -> None:
            super().__init__()
            self.summary = summary

    def __init__(self) -> None:
        super().__init__()
        self._summary: Summary | None = None
        self._asked_about_exam = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static("Loading your progress…", id="domains")
            yield Static("", id="next-step", classes="title")
            yield OptionList(id="menu")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#menu", OptionList).focus()
        self.refresh_summary()

    def on_screen_resume(self) -> None:
        self.refresh_summary()

    @background("home")
    def refresh_summary(self) -> None:
        from trainer.labs import load_catalog
        from trainer.progress import progress_report
        from trainer.quiz import load_content_decks
        from trainer.quiz.sessions import ExamSession, review_pool

        store = self.app.store
        catalog = load_catalog()
        decks = load_content_decks()
        report, _problems = progress_report(store, catalog=catalog, decks=decks)
        passed = {row["id"] for row in report["labs"]["labs"] if row["status"] == "passed"}
        next_lab = catalog.next_lab(passed)
        last_id = store.get_setting("last_lab")
        last = catalog.labs.get(last_id) if last_id else None
        questions = [q for deck in decks.decks for q in deck.questions]
        unfinished = ExamSession.unfinished(store)
        self.post_message(
            self.Loaded(
                Summary(
                    report=report,
                    next_lab=(next_lab.id, next_lab.title) if next_lab else None,
                    last_lab=(last.id, last.title) if last else None,
                    due=report["quizzes"]["due"],
                    review=len(review_pool(store, questions)),
                    unfinished_exam=unfinished[0] if unfinished else None,
                )
            )
        )

    def on_home_screen_loaded(self, message: Loaded) -> None:
        summary = self._summary = message.summary
        self.query_one("#domains", Static).update(self._domain_table(summary.report))
        self.query_one("#next-step", Static).update(f"Next: {self._next_step(summary)}")
        menu = self.query_one("#menu", OptionList)
        highlighted = menu.highlighted
        menu.clear_options()
        if summary.last_lab:
            menu.add_option(Option(f"Continue lab: {summary.last_lab[1]}", id="continue"))
        if summary.next_lab and summary.next_lab != summary.last_lab:
            menu.add_option(Option(f"Next lab: {summary.next_lab[1]}", id="next"))
        menu.add_option(Option("Labs — the catalog", id="labs"))
        menu.add_option(Option(f"Drill — {summary.due} due", id="drill"))
        menu.add_option(Option("Exam — a timed mock exam", id="exam"))
        menu.add_option(Option(f"Review — {summary.review} missed or flagged", id="review"))
        menu.add_option(Option("Progress", id="progress"))
        menu.highlighted = highlighted if highlighted is not None else 0
        if summary.unfinished_exam is not None and not self._asked_about_exam:
            self._asked_about_exam = True
            self.app.push_screen(ResumeExam(summary.unfinished_exam), self._resume_exam)

    @staticmethod
    def _domain_table(report: dict[str, Any]) -> str:
        lines = ["[b]Progress by domain[/b]", ""]
        lines.append(f"{'':<30} {'labs':<16} quiz mastery")
        for entry in report["domains"].values():
            labs = f"{entry['labs_passed']}/{entry['labs_total']}"
            quiz = f"{entry['mastered']}/{entry['questions']}"
            lines.append(
                f"{entry['name'][:30]:<30} {bar(entry['labs_passed'], entry['labs_total'], 8)} "
                f"{labs:<6} {bar(entry['mastered'], entry['questions'], 12)} {quiz}"
            )
        return "\n".join(lines)

    @staticmethod
    def _next_step(summary: Summary) -> str:
        if summary.due:
            return f"{summary.due} questions due — press d to drill"
        if summary.next_lab:
            return f"lab “{summary.next_lab[1]}” — press c or Enter on it"
        return "everything is done for now — take a mock exam (x)"

    @on(OptionList.OptionSelected, "#menu")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id
        if choice == "continue":
            self.action_continue()
        elif choice == "next" and self._summary and self._summary.next_lab:
            self.app.action_open_lab(self._summary.next_lab[0])
        else:
            getattr(self.app, f"action_{choice}")()

    def action_continue(self) -> None:
        summary = self._summary
        target = summary and (summary.last_lab or summary.next_lab)
        if target:
            self.app.action_open_lab(target[0])
        else:
            self.app.action_labs()

    def _resume_exam(self, choice: str | None) -> None:
        if choice == "resume":
            from trainer.app.screens.exam import ExamScreen

            self.app.push_screen(ExamScreen(resume_session_id=self._summary.unfinished_exam.id))
        elif choice == "abandon":
            self.abandon_exam(self._summary.unfinished_exam)

    @background("home-exam")
    def abandon_exam(self, record: Any) -> None:
        from trainer.quiz import load_content_decks
        from trainer.quiz.alldecks import exam_deck
        from trainer.quiz.sessions import ExamSession

        deck = exam_deck(load_content_decks(), record.deck_id)
        ExamSession.resume(self.app.store, deck, record).abandon()
        self.app.call_from_thread(self.notify, "The unfinished exam was abandoned.")
        self.refresh_summary()


class ResumeExam(ModalScreen[str]):
    """Asks what to do with an exam left unfinished last time."""

    DEFAULT_CSS = """
    ResumeExam { align: center middle; }
    ResumeExam > Vertical {
        width: 60; height: auto; border: round $warning; padding: 1 2; background: $surface;
    }
    ResumeExam Button { margin: 1 1 0 0; }
    """
    BINDINGS = [
        Binding("r", "choose('resume')", "Resume"),
        Binding("a", "choose('abandon')", "Abandon"),
        Binding("escape", "choose('later')", "Later"),
    ]

    def __init__(self, record: Any) -> None:
        super().__init__()
        self._record = record

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("[b]You have an unfinished mock exam.[/b]")
            yield Static("Resume it where you left off (r), or abandon it (a)?")
            yield Button("Resume", id="resume", variant="primary")
            yield Button("Abandon", id="abandon", variant="error")
            yield Button("Later", id="later")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
