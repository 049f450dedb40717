"""How the screens run blocking work: in a thread, never killing the app on error, and every
error shown to the user.

Textual posts a worker's state changes to the node that started it, without bubbling, so each
screen that runs workers derives from WorkerScreen, which hands them to the app's one handler.
"""

from __future__ import annotations

from textual import work
from textual.screen import Screen
from textual.worker import Worker


def background(group: str, *, exclusive: bool = True):  # noqa: ANN201 - a decorator
    """`@work(thread=True)` for screen methods doing disk, store or sandbox work."""
    return work(thread=True, exclusive=exclusive, group=group, exit_on_error=False)


class WorkerScreen(Screen[None]):
    """A screen whose workers' errors reach the user as notifications."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.app.report_worker_state(event)  # type: ignore[attr-defined]
