"""Shared fixtures: every test gets its own TRAINER_HOME and no AWS settings of the user's;
lab tests share one sandbox per session (reset before each use) because starting moto is the
slow part."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import REPO

from trainer.labs import LabReport, check_lab, load_catalog
from trainer.sandbox import Sandbox


@pytest.fixture(autouse=True)
def trainer_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "trainer-home"
    monkeypatch.setenv("TRAINER_HOME", str(home))
    monkeypatch.setenv("TRAINER_CONTENT", str(REPO))
    for key in list(os.environ):
        if key.startswith("AWS_"):
            monkeypatch.delenv(key)
    return home


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as box:
        yield box


@pytest.fixture(scope="session")
def catalog():
    return load_catalog(REPO)


@pytest.fixture
def run_lab(sandbox: Sandbox, catalog, tmp_path: Path):
    """check_code(lab_id, source) -> LabReport: run SOURCE as the learner's code for the lab."""

    def check_code(lab_id: str, source: str, timeout: float | None = None) -> LabReport:
        path = tmp_path / f"{lab_id}-attempt.py"
        path.write_text(textwrap.dedent(source))
        return check_lab(catalog.get(lab_id), path, sandbox, timeout=timeout)

    return check_code
