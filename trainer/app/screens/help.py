"""The help overlay: every key of the screen underneath, and the app's own."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

GLOBAL_KEYS = [
    ("?", "this help"),
    ("ctrl+p", "command palette: every action, searchable"),
    ("escape", "back / close"),
    ("ctrl+q", "quit (your work is saved)"),
]


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 70; max-width: 95%; height: auto; max-height: 90%;
        border: round $accent; padding: 1 2; background: $surface;
    }
    """
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self._under = under

    def compose(self) -> ComposeResult:
        rows = []
        for binding in self._under.BINDINGS:
            if isinstance(binding, Binding) and binding.description:
                key = binding.key_display or binding.key.replace("_", " ")
                rows.append((key, binding.description))
        title = getattr(self._under, "HELP_TITLE", type(self._under).__name__)
        text = [f"[b]{title}[/b]", ""]
        text += [f"  [b]{key:<14}[/b] {what}" for key, what in rows]
        text += ["", "[b]Everywhere[/b]", ""]
        text += [f"  [b]{key:<14}[/b] {what}" for key, what in GLOBAL_KEYS]
        with VerticalScroll():
            yield Static("\n".join(text))
