"""Assertion helpers for lab reports."""

from __future__ import annotations

from pathlib import Path

from trainer.labs import LabReport

REPO = Path(__file__).resolve().parent.parent


def failed_ids(report: LabReport) -> set[str]:
    return {c.id for c in report.checks if not c.passed}


def message(report: LabReport, check_id: str) -> str:
    return next(c.message for c in report.checks if c.id == check_id)
