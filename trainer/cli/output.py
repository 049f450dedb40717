"""Small printing helpers shared by the command groups."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def confirm(question: str) -> bool:
    """Ask a yes/no question on the terminal; a closed stdin counts as no."""
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in {"y", "yes"}


def positive(kind: type[int] | type[float], what: str) -> Callable[[str], int | float]:
    """An argparse type: a number of KIND above zero, or a one-line usage error naming WHAT."""

    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not {what}: {text!r}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"{what} must be above zero")
        return value

    return parse
