"""A non-editable install carries the bundled labs and quizzes and finds them by itself."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from helpers import REPO


def test_wheel_ships_the_content_and_finds_it(tmp_path: Path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("trainer-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "trainer/_content/labs/execution-role/lab.yaml" in names
    assert "trainer/_content/labs/execution-role/solution.py" in names
    assert any(n.startswith("trainer/_content/quizzes/") and n.endswith(".yaml") for n in names)
    assert "trainer/sandbox/guest/_trainer_guard.py" in names

    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    env = {k: v for k, v in os.environ.items() if k != "TRAINER_CONTENT"}
    env["PYTHONPATH"] = str(target)
    probe = (
        "import trainer.paths as p, trainer.labs as l; "
        "print(p.content_dir()); print(sorted(l.load_catalog().labs))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    folder, labs = done.stdout.splitlines()
    assert folder == str(target / "trainer" / "_content")
    assert "execution-role" in labs and "common-permissions" in labs
