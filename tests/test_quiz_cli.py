"""`trainer quiz list|take|grade` and `trainer progress`, driven like a user or a script would."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO

from trainer.cli import main
from trainer.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "quizzes"


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A content folder with the sample deck and the real labs."""
    root = tmp_path / "content"
    (root / "quizzes").mkdir(parents=True)
    shutil.copy(FIXTURES / "good-sample.yaml", root / "quizzes" / "sample.yaml")
    (root / "labs").symlink_to(REPO / "labs")
    monkeypatch.setenv("TRAINER_CONTENT", str(root))
    return root


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """run(*argv, stdin="") -> (exit code, stdout, stderr)"""

    def invoke(*argv: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def use_home(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setenv("TRAINER_HOME", str(path))


def logged(home: Path) -> list:
    with Store(home / "trainer.sqlite3") as store:
        return store.quiz_reviews()


def test_list_shows_question_and_due_counts(content: Path, run) -> None:
    code, out, _ = run("quiz", "list", "--json")
    assert code == 0
    assert json.loads(out) == [
        {"id": "sample", "title": "Sample deck for tests", "questions": 6, "due": 0, "new": 6}
    ]
    code, out, _ = run("quiz", "list")
    assert "sample" in out and "6 questions" in out


def test_a_drill_with_the_same_seed_repeats_and_grades_typed_answers(
    content: Path, run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # First pass: skip everything; each skip prints the right answer in the letters shown.
    use_home(monkeypatch, tmp_path / "first")
    code, out, _ = run("quiz", "take", "sample", "--seed", "7", "--count", "6", stdin="\n" * 6)
    assert code == 0
    answers = re.findall(r"^Skipped\. The answer: (.+)$", out, re.MULTILINE)
    assert len(answers) == 6
    assert "Summary: 0/6 right (0%)." in out
    assert all(not row.correct for row in logged(tmp_path / "first"))

    # Same seed, fresh home: same questions under the same letters, so those answers are right.
    use_home(monkeypatch, tmp_path / "second")
    code, out, _ = run(
        "quiz", "take", "sample", "--seed", "7", "--count", "6", stdin="\n".join(answers) + "\n"
    )
    assert code == 0 and out.count("\nRight.") == 6
    assert "Summary: 6/6 right (100%)." in out
    rows = logged(tmp_path / "second")
    assert [row.correct for row in rows] == [True] * 6
    assert {row.mode for row in rows} == {"drill"}


def test_a_closed_stdin_ends_the_session_and_keeps_what_was_answered(
    content: Path, run, trainer_home: Path
) -> None:
    code, out, _ = run("quiz", "take", "--seed", "1", stdin="")
    assert code == 0 and "No answers given." in out
    assert logged(trainer_home) == []

    code, out, _ = run("quiz", "take", "--seed", "1", stdin="\n?\n")  # a skip, then a flag
    assert code == 0 and "Summary: 0/2 right" in out
    rows = logged(trainer_home)
    assert [(row.correct, row.flagged) for row in rows] == [(False, False), (False, True)]


def test_an_unreadable_line_is_explained_and_asked_again(content: Path, run) -> None:
    code, out, _ = run("quiz", "take", "--seed", "1", "--count", "1", stdin="zz top\n\n")
    assert code == 0
    assert "try again" in out and "Skipped." in out


def test_a_mock_exam_through_stdin(
    content: Path, run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_home(monkeypatch, tmp_path / "first")
    # Skip all 5 on the first pass; end of input on the second look submits.
    code, out, _ = run("quiz", "take", "sample", "--mode", "exam", "--seed", "3", stdin="\n" * 5)
    assert code == 0
    assert "Mock exam: Sample deck for tests. 5 questions, 10:00, pass mark 72%." in out
    assert "Second look: 5 flagged or unanswered." in out
    assert "Result: 0/5 right (0%): FAIL (pass mark 72%)" in out
    assert "By domain:\n  " in out
    answers = [
        re.sub(r"\) .*$", "", answer)
        for answer in re.findall(r"you answered -; the answer: (.+)$", out, re.MULTILINE)
    ]
    assert len(answers) == 5
    assert "Practise it: trainer lab show execution-role" in out or "trust-principal" not in out

    use_home(monkeypatch, tmp_path / "second")
    stdin = "\n".join(answers) + "\n"
    code, out, _ = run("quiz", "take", "sample", "--mode", "exam", "--seed", "3", stdin=stdin)
    assert code == 0 and "Result: 5/5 right (100%): PASS" in out
    assert "Missed:" not in out
    assert len(logged(tmp_path / "second")) == 5


def test_an_exam_left_mid_way_is_resumed(content: Path, run, trainer_home: Path) -> None:
    code, out, _ = run("quiz", "take", "sample", "--mode", "exam", "--seed", "4", stdin="?\n")
    assert code == 0 and "Exam saved: 0 of 5 answered" in out
    assert logged(trainer_home) == []  # nothing reaches the log before submit

    code, out, _ = run("quiz", "take", "sample", "--mode", "exam", stdin="\n" + "\n" * 8)
    assert "You have an unfinished exam" in out
    assert "Result: 0/5 right (0%): FAIL" in out
    assert out.count("(flagged)") == 1  # the flag survived the restart
    assert len(logged(trainer_home)) == 5

    # The flagged and missed questions are now up for review.
    code, out, _ = run("quiz", "take", "--mode", "review", stdin="")
    assert "Review: 5 missed or flagged question(s)." in out


def test_review_with_nothing_missed(content: Path, run) -> None:
    code, out, _ = run("quiz", "take", "--mode", "review")
    assert code == 0 and "Nothing to review" in out


def _answers_file(tmp_path: Path, text: str, suffix: str = ".yaml") -> Path:
    path = tmp_path / f"answers{suffix}"
    path.write_text(text)
    return path


def test_grade_an_answers_file_without_touching_the_schedule(
    content: Path, run, tmp_path: Path, trainer_home: Path
) -> None:
    answers = _answers_file(
        tmp_path,
        """
        trust-principal: a
        s3-resources: [a, b]
        kms-at-rest: false
        key-steps: [create, allow, train]
        endpoint-purpose: {api: a, runtime: b, s3: c}
        """.replace("\n        ", "\n"),
    )
    code, out, _ = run("quiz", "grade", "sample", "--answers", str(answers), "--json")
    assert code == 0
    assert json.loads(out) == {
        "score_percent": 80.0,
        "passed": True,
        "domains": {
            "iam": {"correct": 2, "total": 2},
            "encryption": {"correct": 1, "total": 2},
            "network": {"correct": 1, "total": 1},
        },
        "questions": [
            {"id": "trust-principal", "correct": True},
            {"id": "s3-resources", "correct": True},
            {"id": "kms-at-rest", "correct": False},
            {"id": "key-steps", "correct": True},
            {"id": "endpoint-purpose", "correct": True},
        ],
    }
    assert logged(trainer_home) == []

    json_answers = _answers_file(tmp_path, '{"trust-principal": "b"}', ".json")
    code, out, _ = run("quiz", "grade", "sample", "--answers", str(json_answers))
    assert code == 0 and "0/1 right (0%), FAIL" in out


GRADE_ERRORS = [
    ("nope: a\n", 'has no question "nope"', "an unknown question id"),
    ("s3-resources: a\n", "expected a list of option ids", "a letter for a multi"),
    ("trust-principal: [a, b\n", "invalid YAML", "an answers file that is not YAML"),
    ("- a\n", "expected a map of question id to answer", "a list instead of a map"),
]


@pytest.mark.parametrize(("text", "message", "rule"), GRADE_ERRORS)
def test_grade_errors_are_one_line_with_exit_2(
    content: Path, run, tmp_path: Path, text: str, message: str, rule: str
) -> None:
    answers = _answers_file(tmp_path, text)
    code, out, err = run("quiz", "grade", "sample", "--answers", str(answers))
    assert code == 2, rule
    assert message in err and err.count("\n") == 1 and err.startswith("trainer: error: ")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("quiz", "take", "nosuch"), 'no deck "nosuch" (decks: sample)'),
        (("quiz", "grade", "nosuch", "--answers", "x.yaml"), 'no deck "nosuch"'),
        (("quiz", "grade", "sample", "--answers", "/no/such/file.yaml"), "cannot read"),
    ],
)
def test_user_errors_are_one_line(content: Path, run, argv: tuple[str, ...], message: str) -> None:
    code, _, err = run(*argv)
    assert code == 2 and message in err and err.count("\n") == 1


def test_an_exam_without_a_deck_covers_every_deck(content: Path, run) -> None:
    shutil.copy(FIXTURES / "warn-wording.yaml", content / "quizzes" / "other.yaml")
    code, out, _ = run("quiz", "take", "--mode", "exam", "--seed", "2")
    assert code == 0 and "Mock exam: All decks." in out
    # The exam is kept under the deck id "all", as the TUI keeps it, so either can resume it.
    with Store() as store:
        assert [record.deck_id for record in store.open_quiz_sessions("exam")] == ["all"]
    code, out, _ = run("quiz", "take", "all", "--mode", "exam")
    assert code == 0 and "You have an unfinished exam" in out


def test_progress_reports_labs_and_mastery_per_domain(content: Path, run, tmp_path: Path) -> None:
    answers = "\n".join(["", "", "", "", "", ""]) + "\n"
    run("quiz", "take", "sample", "--seed", "1", "--count", "6", stdin=answers)
    code, out, _ = run("progress", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["quizzes"] == {"questions": 6, "seen": 6, "mastered": 0, "due": 0}
    iam = report["domains"]["iam"]
    assert (iam["questions"], iam["seen"], iam["mastered"]) == (2, 2, 0)
    lab_ids = {lab["id"] for lab in report["labs"]["labs"]}
    assert "execution-role" in lab_ids and report["labs"]["passed"] == 0
    assert iam["labs_total"] >= 1
    code, out, _ = run("progress")
    assert "Labs passed: 0 of" in out and "Identity and access" in out


def test_a_killed_process_keeps_every_earlier_answer(content: Path, trainer_home: Path) -> None:
    env = {**os.environ, "TRAINER_HOME": str(trainer_home), "TRAINER_CONTENT": str(content)}
    child = subprocess.Popen(
        [sys.executable, "-m", "trainer", "quiz", "take", "sample", "--seed", "2"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    assert child.stdin and child.stdout
    try:
        for _ in range(2):
            child.stdin.write("\n")  # skip: graded wrong, logged at once
            child.stdin.flush()
        # Wait until the third question is on screen, then kill without warning.
        for line in child.stdout:
            if line.startswith("[3]"):
                break
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    rows = logged(trainer_home)
    assert len(rows) == 2 and all(row.mode == "drill" for row in rows)
