"""Text progress bars that read without colour (NO_COLOR) as well as with it."""

from __future__ import annotations


def bar(done: float, total: float, width: int = 20) -> str:
    """A bar like `██████░░░░` for DONE out of TOTAL; empty totals draw an empty bar."""
    share = done / total if total else 0.0
    filled = round(share * width)
    return "█" * filled + "░" * (width - filled)
