"""Helpers shared by the tests: lab report assertions and the optional SageMaker SDK."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from trainer.labs import LabReport

REPO = Path(__file__).resolve().parent.parent


def failed_ids(report: LabReport) -> set[str]:
    return {c.id for c in report.checks if not c.passed}


def message(report: LabReport, check_id: str) -> str:
    return next(c.message for c in report.checks if c.id == check_id)


# -- labs whose Estimator solutions need the optional SageMaker SDK ---------------------------

HAS_SDK = importlib.util.find_spec("sagemaker") is not None
needs_sdk = pytest.mark.skipif(not HAS_SDK, reason='needs the SageMaker SDK: "trainer[sagemaker]"')


def solution_params(lab: Path) -> list:
    """Every reference solution of the lab folder, those that need the SDK marked needs_sdk."""
    return [
        pytest.param(p.name, marks=needs_sdk) if "estimator" in p.name else p.name
        for p in sorted(lab.glob("solution*.py"))
    ]


def hide_sdk(folder: Path) -> None:
    """Put a `sagemaker` package in FOLDER (the learner file's folder) that fails to import, as
    if the SDK were not installed."""
    (folder / "sagemaker").mkdir()
    (folder / "sagemaker" / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'sagemaker'\", name='sagemaker')\n"
    )


def assert_passes_twice(run_lab, sandbox, catalog, lab_id: str, solution: Path) -> None:
    """The solution passes on the lab's fresh state, and again when run a second time on the
    state it left; it never needed the network."""
    from trainer.labs import check_lab

    report = run_lab(lab_id, solution.read_text())
    assert report.passed, [c.message for c in report.checks if not c.passed]
    assert "labs never reach real AWS" not in report.run.stderr
    again = check_lab(catalog.get(lab_id), solution, sandbox, fresh=False)
    assert again.passed, [c.message for c in again.checks if not c.passed]
    assert again.run.exit_code == 0
