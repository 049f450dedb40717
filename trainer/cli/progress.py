"""`trainer progress [--json]`: labs passed and quiz mastery, per domain."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from trainer.cli.output import print_json
from trainer.progress import progress_report
from trainer.store import Store


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("progress", help="labs passed and quiz mastery per domain")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_progress)


def cmd_progress(args: argparse.Namespace) -> int:
    report = build_report()
    if args.json:
        print_json(report)
        return 0
    labs, quizzes = report["labs"], report["quizzes"]
    print(f"Labs passed: {labs['passed']} of {labs['total']}")
    print(
        f"Quiz questions mastered: {quizzes['mastered']} of {quizzes['questions']}"
        f" ({quizzes['seen']} answered at least once, {quizzes['due']} due now)"
    )
    if not report["domains"]:
        return 0
    print()
    width = max(len(entry["name"]) for entry in report["domains"].values())
    print(f"{'domain':<{width}}  {'labs':>7}  {'mastered':>13}")
    for entry in report["domains"].values():
        lab_part = f"{entry['labs_passed']}/{entry['labs_total']}"
        quiz_part = f"{entry['mastered']}/{entry['questions']} ({entry['mastery_percent']:.0f}%)"
        print(f"{entry['name']:<{width}}  {lab_part:>7}  {quiz_part:>13}")
    return 0


def build_report() -> dict[str, Any]:
    with Store() as store:
        report, problems = progress_report(store)
    for problem in problems:
        print(f"trainer: warning: {problem}", file=sys.stderr)
    return report
