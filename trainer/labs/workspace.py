"""The learner's working copy of a lab: TRAINER_HOME/workspace/<lab>/main.py."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from trainer.errors import UsageError
from trainer.labs.model import Lab
from trainer.paths import workspace_file


def open_workspace(lab: Lab) -> tuple[Path, bool]:
    """The workspace file, copied from the starter if it does not exist yet.

    Never overwrites the learner's work. Returns (path, created)."""
    path = workspace_file(lab.id)
    if path.exists():
        return path, False
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(lab.starter, path)
    return path, True


def existing_workspace(lab: Lab) -> Path:
    path = workspace_file(lab.id)
    if not path.exists():
        raise UsageError(
            f"no workspace for {lab.id} yet: run `trainer lab open {lab.id}` first, "
            "or pass --solution FILE"
        )
    return path


def reset_workspace(lab: Lab) -> tuple[Path, Path | None]:
    """Put the starter back. The previous file is kept beside it, so nothing is lost.

    Returns (path, backup or None when there was nothing to keep)."""
    path = workspace_file(lab.id)
    backup = None
    if path.exists():
        backup = path.with_name(f"main.{time.strftime('%Y%m%d-%H%M%S')}.py.bak")
        path.replace(backup)
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(lab.starter, path)
    return path, backup
