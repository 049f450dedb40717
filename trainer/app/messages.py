"""Messages workers post to the UI thread. Threads never touch widgets: they post these."""

from __future__ import annotations

from textual.message import Message


class Notice(Message):
    """Something the user should see as a notification."""

    def __init__(self, text: str, severity: str = "information") -> None:
        super().__init__()
        self.text = text
        self.severity = severity
