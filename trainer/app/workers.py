"""How the screens run blocking work: in a thread, never killing the app on error.

The app's Worker.StateChanged handler turns every error into a notification instead.
"""

from __future__ import annotations

from textual import work


def background(group: str, *, exclusive: bool = True):  # noqa: ANN201 - a decorator
    """`@work(thread=True)` for screen methods doing disk, store or sandbox work."""
    return work(thread=True, exclusive=exclusive, group=group, exit_on_error=False)
