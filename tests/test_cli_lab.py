"""The `trainer lab` and `trainer validate` contract, driven as a user would drive it."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO

from trainer.cli import main
from trainer.paths import store_path, workspace_file

SOLUTION = str(REPO / "labs/execution-role/solution.py")


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_every_lab_with_its_status(capsys):
    code, out, _ = cli(capsys, "lab", "list", "--json")
    assert code == 0
    labs = {lab["id"]: lab for lab in json.loads(out)}
    assert labs["execution-role"]["status"] == "not started"
    assert labs["execution-role"]["title"] == "The SageMaker execution role"


def test_open_copies_the_starter_once_and_never_overwrites(capsys):
    code, out, _ = cli(capsys, "lab", "open", "execution-role")
    path = Path(out.strip())
    assert code == 0 and path == workspace_file("execution-role")
    assert path.read_text() == (REPO / "labs/execution-role/starter.py").read_text()
    path.write_text("# my work\n")
    cli(capsys, "lab", "open", "execution-role")
    assert path.read_text() == "# my work\n"


def test_check_exit_codes_and_json(capsys):
    cli(capsys, "lab", "open", "execution-role")
    code, out, _ = cli(capsys, "lab", "check", "execution-role", "--json")
    report = json.loads(out)
    assert code == 1 and report["passed"] is False
    assert report["lab"] == "execution-role"
    assert set(report["run"]) >= {"exit_code", "timed_out", "stdout", "stderr"}
    assert {c["id"] for c in report["checks"]} >= {"role-exists"}
    assert all(set(c) >= {"id", "title", "passed", "message"} for c in report["checks"])

    code, out, _ = cli(capsys, "lab", "check", "execution-role", "--solution", SOLUTION)
    assert code == 0
    assert "4/4 checks passed: PASSED" in out


def test_learner_file_passing_is_recorded_as_progress(capsys, tmp_path):
    mine = tmp_path / "mine.py"
    shutil.copy(SOLUTION, mine)
    assert cli(capsys, "lab", "check", "execution-role", "--solution", str(mine))[0] == 0
    code, out, _ = cli(capsys, "lab", "list", "--json")
    assert {lab["id"]: lab["status"] for lab in json.loads(out)}["execution-role"] == "passed"


def test_checking_the_reference_solution_is_not_the_learners_attempt(capsys):
    cli(capsys, "lab", "check", "execution-role", "--solution", SOLUTION)
    _, out, _ = cli(capsys, "lab", "list", "--json")
    assert {lab["id"]: lab["status"] for lab in json.loads(out)}["execution-role"] == "not started"


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["lab", "check", "no-such-lab"], ["no lab 'no-such-lab'", "execution-role"]),
        (["lab", "show", "nope"], ["no lab 'nope'", "execution-role"]),
        (["lab", "check", "execution-role", "--solution", "/nonexistent.py"], ["no such file"]),
        (["lab", "check", "execution-role"], ["trainer lab open execution-role"]),
        (["validate", "/no/such/path"], ["no such file or folder"]),
    ],
)
def test_user_errors_are_one_line_and_exit_2(capsys, argv, words):
    code, out, err = cli(capsys, *argv)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("trainer: error: ")
    assert "Traceback" not in err
    for word in words:
        assert word in err


def test_timeout_option_is_applied(capsys, tmp_path):
    slow = tmp_path / "slow.py"
    slow.write_text("import time\ntime.sleep(60)\n")
    code, out, _ = cli(
        capsys,
        "lab",
        "check",
        "execution-role",
        "--solution",
        str(slow),
        "--timeout",
        "1",
        "--json",
    )
    report = json.loads(out)
    assert code == 1 and report["run"]["timed_out"] is True
    assert "1 s time limit" in report["run"]["summary"]


def test_secrets_and_output_never_reach_the_store(capsys, tmp_path):
    leaky = tmp_path / "leaky.py"
    leaky.write_text('print("password=hunter2-SECRET")\n')
    cli(capsys, "lab", "check", "execution-role", "--solution", str(leaky))
    dump = "\n".join(sqlite3.connect(store_path()).iterdump())
    assert "hunter2-SECRET" not in dump
    assert "execution-role" in dump  # the attempt itself was recorded


def test_reset_asks_first_and_keeps_the_previous_file(capsys, monkeypatch):
    cli(capsys, "lab", "open", "execution-role")
    path = workspace_file("execution-role")
    path.write_text("# my work\n")
    monkeypatch.setattr("sys.stdin", open("/dev/null"))  # noqa: SIM115 - closed stdin: no
    code, out, _ = cli(capsys, "lab", "reset", "execution-role")
    assert code == 1 and path.read_text() == "# my work\n"
    code, out, err = cli(capsys, "lab", "reset", "execution-role", "--yes")
    assert code == 0 and path.read_text().startswith('"""Lab: the SageMaker execution role.')
    backups = list(path.parent.glob("main.*.py.bak"))
    assert [b.read_text() for b in backups] == ["# my work\n"]


def test_hints_are_revealed_one_at_a_time_and_counted(capsys):
    _, first, _ = cli(capsys, "lab", "hint", "execution-role")
    _, second, _ = cli(capsys, "lab", "hint", "execution-role")
    assert "hint 1/2" in first and "hint 2/2" in second
    assert first != second
    _, out, _ = cli(capsys, "lab", "hint", "execution-role", "trust-grants-only-assume-role")
    assert "hint 1/2" in out and "Least privilege" in out
    code, _, err = cli(capsys, "lab", "hint", "execution-role", "bogus")
    assert code == 2 and "checks: role-exists" in err


BROKEN_LAB = """\
format_version: 1
id: broken-lab
title: Broken
summary: s
section: s
domain: security
checks:
  - id: one
    title: One
    check: iam.no_such_check
"""


def test_validate_reports_file_and_line(capsys, tmp_path):
    folder = tmp_path / "labs" / "broken-lab"
    folder.mkdir(parents=True)
    (folder / "lab.yaml").write_text(BROKEN_LAB)
    code, out, _ = cli(capsys, "validate", str(folder))
    assert code == 1
    lines = out.splitlines()
    assert f"{folder / 'lab.yaml'}:6: domain 'security' is not one of" in out
    assert any(
        line.startswith(f"{folder / 'lab.yaml'}:8: check one: unknown check") for line in lines
    )
    assert f"{folder / 'lab.yaml'}:1: lab folder has no starter.py" in out


def test_validate_reports_invalid_yaml_with_its_line(capsys, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "lab.yaml").write_text("id: bad\ntitle: [unclosed\nsummary: x\n")
    code, out, _ = cli(capsys, "validate", str(folder))
    assert code == 1 and f"{folder / 'lab.yaml'}:3: invalid YAML" in out


def test_a_broken_lab_does_not_hide_the_others(capsys, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(REPO / "labs" / "execution-role", content / "labs" / "execution-role")
    (content / "labs" / "broken").mkdir()
    (content / "labs" / "broken" / "lab.yaml").write_text("id: [\n")
    code, out, err = cli(capsys, "--content", str(content), "lab", "list", "--json")
    assert code == 0 and [lab["id"] for lab in json.loads(out)] == ["execution-role"]  # only
    assert "broken lab skipped" in err and "lab.yaml:2" in err


def test_validate_deep_proves_labs_in_parallel(capfd):
    labs = [str(REPO / "labs" / name) for name in ("execution-role", "common-permissions")]
    code = main(["validate", *labs, "--deep", "--jobs", "2"])
    out, err = capfd.readouterr()  # the worker processes write to the same stderr
    assert code == 0, out
    assert "2 lab(s), 0 quiz file(s), proved: 0 error(s)" in err
    assert "common-permissions: solution_page_managed.py run a second time" in err


def test_validate_deep_catches_a_starter_that_already_passes(capsys, tmp_path):
    folder = tmp_path / "execution-role"
    shutil.copytree(REPO / "labs" / "execution-role", folder)
    shutil.copy(folder / "solution.py", folder / "starter.py")
    code, out, _ = cli(capsys, "validate", str(folder), "--deep")
    assert code == 1 and "the starter already passes every check" in out


def test_python_dash_m_trainer_works():
    done = subprocess.run(
        [sys.executable, "-m", "trainer", "lab", "list"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and "execution-role" in done.stdout


def test_the_core_never_imports_textual():
    core = (
        "trainer.sandbox, trainer.labs, trainer.labs.session, trainer.labs.validate, "
        "trainer.checks, trainer.policy, trainer.quiz, trainer.quiz.sessions, trainer.progress, "
        "trainer.store, trainer.paths, trainer.cli"
    )
    code = (
        f"import sys, importlib\n"
        f"for m in {core.split(', ')!r}: importlib.import_module(m)\n"
        "import trainer.checks as c; c.primitive_names()\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]\n"
        "print(bad)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_watch_rechecks_when_the_file_is_saved():
    import os
    import signal
    import time

    main(["lab", "open", "execution-role"])
    env = dict(os.environ)
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "trainer", "lab", "watch", "execution-role"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    seen: list[str] = []

    def wait_for(text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            seen.append(line)
            if text in line:
                return
        raise AssertionError(f"never saw {text!r} in {''.join(seen)}")

    try:
        wait_for("0/4 checks passed")
        workspace_file("execution-role").write_text(Path(SOLUTION).read_text())
        wait_for("4/4 checks passed: PASSED")
    finally:
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "stopped watching" in out
    assert "Traceback" not in "".join(seen) + out
