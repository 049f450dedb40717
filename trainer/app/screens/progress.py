"""Progress: labs passed, quiz mastery per domain now and over the last 30 days, the FSRS
retention forecast and the tips missed most. All numbers come from the core
(``trainer.progress`` and ``trainer.quiz.insights``), computed in a worker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header, Static

from trainer.app.widgets.bars import bar
from trainer.app.widgets.chart import percent_line
from trainer.app.workers import WorkerScreen, background
from trainer.quiz.insights import Forecast, WeakTip

HISTORY_DAYS = 30
NAME_WIDTH = 22  # a domain's name, cut to fit 80 columns with its bar and chart
LAB_MARKS = {"passed": "✓", "failed": "✗", "not started": "·"}


@dataclass(frozen=True)
class ProgressData:
    """Everything the screen shows, gathered off the UI thread."""

    report: dict[str, Any]  # trainer.progress.progress_report's shape
    history: dict[str, list[float]]  # domain id -> mastery percent per day, oldest first
    forecast: Forecast
    weak: list[WeakTip]


class ProgressScreen(WorkerScreen):
    CSS_PATH = "progress.tcss"
    AUTO_FOCUS = None
    HELP_TITLE = "Progress"

    BINDINGS = [
        Binding("r", "refresh_data", "Refresh"),
        Binding("up", "scroll(-1)", "Scroll up", show=False),
        Binding("down", "scroll(1)", "Scroll down", show=False),
        Binding("pageup", "scroll(-10)", "Scroll a page up", show=False),
        Binding("pagedown", "scroll(10)", "Scroll a page down", show=False),
        Binding("escape", "back", "Back"),
    ]

    class Loaded(Message):
        def __init__(self, data: ProgressData) -> None:
            super().__init__()
            self.data = data

    def __init__(self) -> None:
        super().__init__()
        self.data: ProgressData | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="progress-body", can_focus=False):
            yield Static("Counting…", id="labs", markup=False)
            yield Static(id="mastery-title", classes="title", markup=False)
            yield Static(id="mastery", markup=False)
            yield Static(id="retention", markup=False)
            yield Static(id="weak", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Progress"
        self._gather(self.app.store)  # type: ignore[attr-defined]

    @background("progress")
    def _gather(self, store) -> None:  # noqa: ANN001 - trainer.store.Store
        from trainer.progress import progress_report
        from trainer.quiz import load_content_decks
        from trainer.quiz.insights import mastery_history, retention_forecast, weakest_tips

        loaded = load_content_decks()
        # progress_report also brings the card cache up to date.
        report, _problems = progress_report(store, decks=loaded)
        decks = loaded.decks
        reviews = store.quiz_reviews()
        self.post_message(
            self.Loaded(
                ProgressData(
                    report=report,
                    history=mastery_history(reviews, decks, days=HISTORY_DAYS),
                    forecast=retention_forecast(store.quiz_cards().values()),
                    weak=weakest_tips(reviews, decks, limit=5),
                )
            )
        )

    def on_progress_screen_loaded(self, message: Loaded) -> None:
        self.data = message.data
        report = message.data.report
        self._show_labs(report["labs"])
        self._show_mastery(report, message.data.history)
        self._show_retention(message.data.forecast)
        self._show_weak(message.data.weak)

    def action_refresh_data(self) -> None:
        self._gather(self.app.store)  # type: ignore[attr-defined]

    def action_scroll(self, lines: int) -> None:
        self.query_one("#progress-body", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_back(self) -> None:
        self.dismiss()

    def screen_commands(self):  # noqa: ANN201 - Iterable[SystemCommand]
        """Command-palette entries while this screen is open."""
        yield SystemCommand("Refresh progress", "Count again", self.action_refresh_data)

    # -- drawing ----------------------------------------------------------------------------

    def _show_labs(self, labs: dict[str, Any]) -> None:
        meter = bar(labs["passed"], labs["total"])
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(ratio=1)
        for row in labs["labs"]:
            mark = LAB_MARKS.get(row["status"], "?")
            table.add_row(f" {mark}", row["id"], row["status"], row["title"])
        heading = Text(f"Labs: {labs['passed']} of {labs['total']} passed  {meter}")
        self.query_one("#labs", Static).update(Group(heading, table))

    def _show_mastery(self, report: dict[str, Any], history: dict[str, list[float]]) -> None:
        quizzes = report["quizzes"]
        self.query_one("#mastery-title", Static).update(
            f"Quiz mastery: {quizzes['mastered']} of {quizzes['questions']} questions mastered"
            f" ({quizzes['seen']} answered, {quizzes['due']} due now);"
            f" the chart: mastery over the last {HISTORY_DAYS} days"
        )
        rows = []
        for domain_id, entry in report["domains"].items():
            if not entry["questions"]:
                continue
            meter = bar(entry["mastered"], entry["questions"], 10)
            rows.append(
                f"{entry['name'][:NAME_WIDTH]:<{NAME_WIDTH}} {meter}"
                f" {entry['mastered']:>2}/{entry['questions']:<2} {entry['mastery_percent']:>3.0f}%"
                f" {percent_line(history.get(domain_id, []))}"
            )
        self.query_one("#mastery", Static).update("\n".join(rows))

    def _show_retention(self, forecast: Forecast) -> None:
        if not forecast.cards:
            text = "Retention: no question drilled yet; the forecast starts with your first drill."
        else:
            recall = (
                f"{100 * forecast.average_recall:.0f}%"
                if forecast.average_recall is not None
                else "-"
            )
            text = (
                f"Retention ({forecast.cards} questions drilled): due now {forecast.due_now}"
                f" · within 1 day {forecast.due_1d} · 7 days {forecast.due_7d}"
                f" · 30 days {forecast.due_30d}\nAverage chance of recall now: {recall}"
            )
        self.query_one("#retention", Static).update(text)

    def _show_weak(self, weak: list[WeakTip]) -> None:
        if not weak:
            text = "Weakest tips: none missed yet."
        else:
            lines = ["Weakest tips (misses of answers):"]
            for tip in weak:
                lab = f" [lab {tip.lab}]" if tip.lab else ""
                lines.append(f"  {tip.misses:>2} of {tip.answers:<2} {tip.tip}{lab}")
            text = "\n".join(lines)
        self.query_one("#weak", Static).update(text)
