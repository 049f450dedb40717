"""The `trainer` command: parse arguments, call the core, print, pick the exit code.

Each command group lives in its own module exposing ``add_parser(subparsers)``; every handler
takes the parsed arguments and returns the exit code. Errors a user can cause are TrainerError
subclasses, caught here once and printed as one line.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from trainer import __version__
from trainer.errors import TrainerError

_GROUPS = ("lab", "validate", "policy", "quiz", "progress")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trainer",
        description="Hands-on, offline exam prep for AWS ML security.",
    )
    parser.add_argument("--version", action="version", version=f"trainer {__version__}")
    parser.add_argument(
        "--content",
        metavar="DIR",
        help="content folder holding labs/ and quizzes/ (default: $TRAINER_CONTENT or bundled)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in _GROUPS:
        importlib.import_module(f"trainer.cli.{group}").add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.content:
        os.environ["TRAINER_CONTENT"] = args.content
    handler = getattr(args, "func", None)
    try:
        if handler is None:
            return _no_command()
        return handler(args)
    except TrainerError as exc:
        print(f"trainer: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("trainer: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # stdout closed early (e.g. `trainer lab list | head`): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _no_command() -> int:
    from trainer.app import run_app  # Textual is imported only for the app

    return run_app()
