"""Labs: the catalog with status, domain and needs; Enter opens a lab."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static

from trainer.app.workers import WorkerScreen, background

MARKS = {"passed": "✓ passed", "failed": "✗ failed", "not started": "· new"}


class LabsScreen(WorkerScreen):
    HELP_TITLE = "Labs"
    BINDINGS = [
        Binding("enter", "open", "Open lab", show=True),
        Binding("escape", "app.pop_screen", "Back"),
    ]
    DEFAULT_CSS = """
    LabsScreen DataTable { height: 1fr; }
    LabsScreen #summary { padding: 0 1; height: auto; }
    """

    class Loaded(Message):
        def __init__(self, rows: list[tuple[str, str, str, str, str]]) -> None:
            super().__init__()
            self.rows = rows

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="summary", classes="muted")
        yield DataTable(id="labs", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("status", "lab", "domain", "needs", "title")
        table.focus()
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    @background("labs")
    def load(self) -> None:
        from trainer.labs import load_catalog

        catalog = load_catalog()
        progress = self.app.store.lab_progress()
        rows = []
        for lab in catalog.labs.values():
            entry = progress.get(lab.id)
            status = entry.status if entry else "not started"
            needs = ", ".join(lab.needs) or "—"
            rows.append((MARKS[status], lab.id, lab.domain, needs, lab.title))
        self.post_message(self.Loaded(rows))

    def on_labs_screen_loaded(self, message: Loaded) -> None:
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        for row in message.rows:
            table.add_row(*row, key=row[1])
        table.move_cursor(row=min(cursor, max(len(message.rows) - 1, 0)))
        done = sum(row[0] == MARKS["passed"] for row in message.rows)
        self.query_one("#summary", Static).update(
            f"{done} of {len(message.rows)} labs passed · Enter opens a lab"
        )

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.app.action_open_lab(event.row_key.value)

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
            self.app.action_open_lab(key.value)
