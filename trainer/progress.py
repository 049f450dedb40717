"""Progress as plain data: labs passed and quiz mastery, merged by domain id.

Shared by `trainer progress` and the TUI's Home and Progress screens; no UI here.
"""

from __future__ import annotations

from typing import Any

from trainer.labs.catalog import Catalog, load_catalog
from trainer.problems import Problem
from trainer.quiz import LoadResult, load_content_decks
from trainer.quiz.stats import deck_counts, mastery_by_domain
from trainer.store import Store


def progress_report(
    store: Store, *, catalog: Catalog | None = None, decks: LoadResult | None = None
) -> tuple[dict[str, Any], list[Problem]]:
    """Progress (the `trainer progress --json` shape) and the problems of decks that did not
    load. A question is mastered while its latest answer, in any mode, is right and not flagged.
    A caller that has the catalog or the decks loaded already passes them in.
    """
    decks = decks or load_content_decks()
    catalog = catalog or load_catalog()
    labs = [(lab.id, lab.title, lab.domain) for lab in catalog.labs.values()]
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
    report = {
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
    return report, decks.errors
