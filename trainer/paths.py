"""Where user state and content live.

All user state sits under one folder: ``TRAINER_HOME`` if set, else the platform's user data
directory. Content (labs and quizzes) comes from ``--content``/``TRAINER_CONTENT`` if given, else
the copy bundled in the installed package, else the source checkout this package sits in.
"""

from __future__ import annotations

import os
from pathlib import Path

from trainer.errors import UsageError

_PACKAGE = Path(__file__).resolve().parent


def home_dir() -> Path:
    """The folder holding all user state; created on first use."""
    env = os.environ.get("TRAINER_HOME")
    if env:
        home = Path(env).expanduser()
    else:
        from platformdirs import user_data_dir

        home = Path(user_data_dir("trainer", appauthor=False))
    home.mkdir(parents=True, exist_ok=True)
    return home


def content_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding ``labs/`` and ``quizzes/``."""
    chosen = override or os.environ.get("TRAINER_CONTENT")
    if chosen:
        path = Path(chosen).expanduser()
        if not path.is_dir():
            raise UsageError(f"content folder {path} does not exist")
        return path
    bundled = _PACKAGE / "_content"
    if bundled.is_dir():
        return bundled
    return _PACKAGE.parent


def workspace_file(lab_id: str) -> Path:
    """The learner's working copy of a lab."""
    return home_dir() / "workspace" / lab_id / "main.py"


def store_path() -> Path:
    return home_dir() / "trainer.sqlite3"
