"""`trainer progress [--json]`: labs passed and quiz mastery, per domain."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from trainer.cli.output import print_json
from trainer.quiz import load_content_decks
from trainer.quiz.stats import deck_counts, mastery_by_domain
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
    """Progress as plain data (the --json output): labs and quiz mastery, merged by domain id.

    A question is mastered while its latest answer, in any mode, is right and not flagged.
    """
    decks = load_content_decks()
    for problem in decks.errors:
        print(f"trainer: warning: {problem}", file=sys.stderr)
    labs = _labs()
    with Store() as store:
        lab_status = {lab_id: p.status for lab_id, p in store.lab_progress().items()}
        mastery = mastery_by_domain(store, decks.decks)
        counts = deck_counts(store, decks.decks)

    domains: dict[str, dict[str, Any]] = {}

    def domain_entry(domain_id: str, name: str) -> dict[str, Any]:
        return domains.setdefault(
            domain_id,
            {
                "name": name,
                "labs_passed": 0,
                "labs_total": 0,
                "questions": 0,
                "seen": 0,
                "mastered": 0,
                "mastery_percent": 0.0,
            },
        )

    for domain_id, m in mastery.items():
        entry = domain_entry(domain_id, m.name)
        entry.update(
            questions=m.questions,
            seen=m.seen,
            mastered=m.mastered,
            mastery_percent=round(m.percent, 1),
        )
    lab_rows = []
    for lab_id, title, domain in labs:
        status = lab_status.get(lab_id, "not started")
        lab_rows.append({"id": lab_id, "title": title, "domain": domain, "status": status})
        entry = domain_entry(domain, domain)
        entry["labs_total"] += 1
        entry["labs_passed"] += status == "passed"
    return {
        "labs": {
            "passed": sum(row["status"] == "passed" for row in lab_rows),
            "total": len(lab_rows),
            "labs": lab_rows,
        },
        "quizzes": {
            "questions": sum(m.questions for m in mastery.values()),
            "seen": sum(m.seen for m in mastery.values()),
            "mastered": sum(m.mastered for m in mastery.values()),
            "due": sum(c.due for c in counts.values()),
        },
        "domains": domains,
    }


def _labs() -> list[tuple[str, str, str]]:
    """(id, title, domain) of every lab in the catalog; none if the lab catalog is missing."""
    try:
        from trainer.labs.catalog import load_catalog
    except ModuleNotFoundError:
        return []
    catalog = load_catalog()
    return [(lab.id, lab.title, lab.domain) for lab in catalog.labs.values()]
