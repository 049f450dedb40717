"""A one-line text chart of percentages, on a fixed 0-100 scale (unlike Textual's Sparkline,
which scales each line to its own range, so one answer would look like a leap)."""

from __future__ import annotations

from collections.abc import Sequence

BLOCKS = "▁▂▃▄▅▆▇█"


def percent_line(values: Sequence[float]) -> str:
    """One block per value: ▁ for 0% up to █ for 100%; readable without colour."""
    top = len(BLOCKS) - 1
    return "".join(BLOCKS[round(max(0.0, min(100.0, v)) / 100 * top)] for v in values)
