"""`trainer lab ...`: list, show, open, check, watch, reset, hint."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from trainer.cli.output import confirm, positive, print_json
from trainer.errors import UsageError
from trainer.labs import Lab, LabReport, load_catalog
from trainer.labs.session import LabSession
from trainer.labs.workspace import existing_workspace, open_workspace, reset_workspace
from trainer.store import Store

PASS, FAIL = "✓", "✗"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    lab = subparsers.add_parser("lab", help="hands-on labs against a simulated AWS")
    commands = lab.add_subparsers(dest="lab_command", metavar="COMMAND", required=True)

    p = commands.add_parser("list", help="every lab with its status")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_list)

    p = commands.add_parser("show", help="print a lab's instructions")
    p.add_argument("lab")
    p.set_defaults(func=cmd_show)

    p = commands.add_parser("open", help="create your workspace file from the starter")
    p.add_argument("lab")
    p.set_defaults(func=cmd_open)

    p = commands.add_parser("check", help="run your code in a fresh sandbox and check the result")
    p.add_argument("lab")
    p.add_argument("--solution", metavar="FILE", help="check FILE instead of your workspace file")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument(
        "--timeout",
        type=positive(float, "a number of seconds"),
        metavar="S",
        help="time limit for your code",
    )
    p.set_defaults(func=cmd_check)

    p = commands.add_parser("watch", help="re-check whenever your workspace file is saved")
    p.add_argument("lab")
    p.add_argument(
        "--timeout",
        type=positive(float, "a number of seconds"),
        metavar="S",
        help="time limit for your code",
    )
    p.set_defaults(func=cmd_watch)

    p = commands.add_parser("reset", help="put the starter back in your workspace")
    p.add_argument("lab")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=cmd_reset)

    p = commands.add_parser("hint", help="reveal the next hint")
    p.add_argument("lab")
    p.add_argument("check", nargs="?", help="the check to get a hint for (default: first failing)")
    p.set_defaults(func=cmd_hint)


def _lab(lab_id: str) -> Lab:
    catalog = load_catalog()
    for problem in catalog.problems:
        print(f"trainer: warning: {problem}", file=sys.stderr)
    return catalog.get(lab_id)


def cmd_list(args: argparse.Namespace) -> int:
    catalog = load_catalog()
    for problem in catalog.problems:
        print(f"trainer: warning: broken lab skipped: {problem}", file=sys.stderr)
    with Store() as store:
        progress = store.lab_progress()
    rows = []
    for lab in catalog.labs.values():
        entry = progress.get(lab.id)
        rows.append(
            {
                "id": lab.id,
                "title": lab.title,
                "status": entry.status if entry else "not started",
                "domain": lab.domain,
                "needs": list(lab.needs),
                "summary": lab.summary,
            }
        )
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("no labs found")
        return 0
    width = max(len(r["id"]) for r in rows)
    for row in rows:
        mark = {"passed": PASS, "failed": FAIL}.get(row["status"], " ")
        print(
            f"{mark} {row['id']:<{width}}  {row['status']:<11}  {row['domain']:<10}  {row['title']}"
        )
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    lab = _lab(args.lab)
    print(lab.instructions().rstrip())
    print("\nChecks:")
    for spec in lab.checks:
        print(f"  - {spec.title}")
    return 0


def cmd_open(args: argparse.Namespace) -> int:
    lab = _lab(args.lab)
    path, created = open_workspace(lab)
    with Store() as store:
        store.set_setting("last_lab", lab.id)
    note = "created from the starter" if created else "your work so far"
    print(path)
    print(f"({note}; edit it, then run `trainer lab check {lab.id}`)", file=sys.stderr)
    return 0


def _code_path(lab: Lab, solution: str | None) -> Path:
    if solution is None:
        return existing_workspace(lab)
    path = Path(solution).expanduser()
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    return path


def cmd_check(args: argparse.Namespace) -> int:
    lab = _lab(args.lab)
    code = _code_path(lab, args.solution)
    with LabSession() as session:
        report = session.check(lab, code, timeout=args.timeout)
    if args.json:
        print_json(report.to_json())
    else:
        print_report(lab, report)
    return 0 if report.passed else 1


def print_report(lab: Lab, report: LabReport) -> None:
    """The human-readable report: how the code ended, its output, then every check."""
    run = report.run
    print(f"{lab.id}: {lab.title}")
    print(f"run: {run.summary(report.timeout)} ({run.seconds:.1f} s)")
    for name, text in (("output", run.stdout), ("errors", run.stderr)):
        if text.strip():
            print(f"--- {name} ---")
            print(text.rstrip())
    if run.stdout.strip() or run.stderr.strip():
        print("---")
    for result in report.checks:
        mark = PASS if result.passed else FAIL
        print(f"{mark} {result.title}")
        print(f"    {result.message}")
    verdict = "PASSED" if report.passed else "not passed yet"
    print(f"{report.checks_passed}/{len(report.checks)} checks passed: {verdict}")
    if not report.passed:
        print(f"stuck? `trainer lab hint {lab.id}` reveals a hint")


def cmd_watch(args: argparse.Namespace) -> int:
    lab = _lab(args.lab)
    path = existing_workspace(lab)
    print(f"watching {path} (Ctrl-C to stop)")
    with LabSession() as session:
        last = None
        try:
            while True:
                stamp = _stamp(path)
                if stamp != last:
                    time.sleep(0.3)  # debounce: editors often write a file in several steps
                    if _stamp(path) != stamp:
                        continue
                    last = stamp
                    if stamp is None:
                        print(f"{path} is gone; waiting for it to come back")
                        continue
                    print(f"\n=== {time.strftime('%H:%M:%S')} checking {lab.id} ===")
                    report = session.check(lab, path, timeout=args.timeout)
                    print_report(lab, report)
                    if report.passed:
                        print("all checks pass: well done. Keep editing, or Ctrl-C to stop.")
                time.sleep(0.2)
        except KeyboardInterrupt:
            print("\nstopped watching")
    return 0


def _stamp(path: Path) -> tuple[float, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_mtime, stat.st_size


def cmd_reset(args: argparse.Namespace) -> int:
    lab = _lab(args.lab)
    if not args.yes and not confirm(f"Replace your {lab.id} workspace with the starter?"):
        print("nothing changed")
        return 1
    path, backup = reset_workspace(lab)
    print(path)
    if backup:
        print(f"(your previous file is kept as {backup})", file=sys.stderr)
    return 0


def cmd_hint(args: argparse.Namespace) -> int:
    lab = _lab(args.lab)
    with LabSession() as session:
        hint = session.reveal_hint(lab, args.check)
    if hint is None:
        print("no more hints: every hint for the checks still failing has been shown")
        return 0
    print(f"hint {hint.number}/{hint.total} for “{hint.check_title}”:")
    print(f"  {hint.text}")
    return 0
