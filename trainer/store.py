"""The SQLite store under TRAINER_HOME: lab progress, hints used, settings.

One connection per Store, WAL journaling, one transaction per write. Nothing the learner's code
prints and no secret value is ever written here: only ids, outcomes, counts and times.
Schema changes are migrations keyed by ``PRAGMA user_version``; append, never edit, a migration.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from trainer.paths import store_path

LAB_STATUSES = ("not started", "failed", "passed")

_MIGRATIONS: list[str] = [
    """
    CREATE TABLE lab_attempt (
        id INTEGER PRIMARY KEY,
        lab_id TEXT NOT NULL,
        at REAL NOT NULL,
        passed INTEGER NOT NULL,
        checks_passed INTEGER NOT NULL,
        checks_total INTEGER NOT NULL,
        failed_checks TEXT NOT NULL,
        seconds REAL NOT NULL
    );
    CREATE INDEX lab_attempt_lab ON lab_attempt (lab_id, at);
    CREATE TABLE lab_hint (
        lab_id TEXT NOT NULL,
        check_id TEXT NOT NULL,
        hint_index INTEGER NOT NULL,
        at REAL NOT NULL,
        PRIMARY KEY (lab_id, check_id, hint_index)
    );
    CREATE TABLE setting (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # -- quizzes: the append-only review log, the card cache derived from it, exam sessions --
    """
    CREATE TABLE quiz_review (
        id INTEGER PRIMARY KEY,
        at REAL NOT NULL,
        question_id TEXT NOT NULL,
        deck_id TEXT NOT NULL,
        mode TEXT NOT NULL,
        session_id INTEGER,
        answer TEXT NOT NULL,
        correct INTEGER NOT NULL,
        flagged INTEGER NOT NULL,
        seconds REAL NOT NULL,
        rating INTEGER
    );
    CREATE INDEX quiz_review_question ON quiz_review (question_id, id);
    CREATE TABLE quiz_card (
        question_id TEXT PRIMARY KEY,
        card_id INTEGER NOT NULL,
        state INTEGER NOT NULL,
        step INTEGER,
        stability REAL,
        difficulty REAL,
        due REAL NOT NULL,
        last_review REAL,
        reviews INTEGER NOT NULL,
        review_id INTEGER NOT NULL
    );
    CREATE INDEX quiz_card_due ON quiz_card (due);
    CREATE TABLE quiz_session (
        id INTEGER PRIMARY KEY,
        mode TEXT NOT NULL,
        deck_id TEXT,
        seed INTEGER NOT NULL,
        started_at REAL NOT NULL,
        deadline REAL,
        pass_percent REAL,
        questions TEXT NOT NULL,
        finished_at REAL,
        outcome TEXT
    );
    CREATE INDEX quiz_session_open ON quiz_session (mode, finished_at);
    CREATE TABLE quiz_session_answer (
        session_id INTEGER NOT NULL REFERENCES quiz_session (id),
        question_id TEXT NOT NULL,
        answer TEXT NOT NULL,
        flagged INTEGER NOT NULL,
        seconds REAL NOT NULL,
        updated_at REAL NOT NULL,
        PRIMARY KEY (session_id, question_id)
    )
    """,
]


@dataclass(frozen=True)
class LabProgress:
    lab_id: str
    status: str  # one of LAB_STATUSES
    attempts: int
    last_attempt_at: float | None
    passed_at: float | None  # first time it passed
    hints_used: int


class Store:
    """Progress kept in one SQLite file. Safe to open from several processes at once."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or store_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed whole or not at all."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(_MIGRATIONS[version:], start=version + 1):
            with self.transaction() as db:
                for statement in filter(str.strip, script.split(";")):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")

    # -- labs ------------------------------------------------------------------------------

    def record_lab_attempt(
        self, lab_id: str, *, failed_checks: list[str], checks_total: int, seconds: float
    ) -> None:
        """One check of a lab: which check ids failed (ids only, never output or messages)."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO lab_attempt"
                " (lab_id, at, passed, checks_passed, checks_total, failed_checks, seconds)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    lab_id,
                    time.time(),
                    int(not failed_checks),
                    checks_total - len(failed_checks),
                    checks_total,
                    json.dumps(failed_checks),
                    seconds,
                ),
            )

    def last_failed_checks(self, lab_id: str) -> list[str] | None:
        """Ids of the checks that failed in the latest attempt; None when never attempted."""
        row = self._db.execute(
            "SELECT failed_checks FROM lab_attempt WHERE lab_id = ? ORDER BY at DESC, id DESC",
            (lab_id,),
        ).fetchone()
        return json.loads(row[0]) if row else None

    def record_hint(self, lab_id: str, check_id: str, hint_index: int) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO lab_hint (lab_id, check_id, hint_index, at)"
                " VALUES (?, ?, ?, ?)",
                (lab_id, check_id, hint_index, time.time()),
            )

    def hints_revealed(self, lab_id: str, check_id: str) -> int:
        """How many hints of this check the learner has seen (they are revealed in order)."""
        row = self._db.execute(
            "SELECT COUNT(*) FROM lab_hint WHERE lab_id = ? AND check_id = ?", (lab_id, check_id)
        ).fetchone()
        return row[0]

    def lab_progress(self) -> dict[str, LabProgress]:
        """Progress of every lab that has any record; labs absent here are "not started"."""
        rows = self._db.execute(
            """
            SELECT lab_id, COUNT(*) AS attempts, MAX(at) AS last_at,
                   MIN(CASE WHEN passed THEN at END) AS passed_at
            FROM lab_attempt GROUP BY lab_id
            """
        ).fetchall()
        hints = dict(
            self._db.execute("SELECT lab_id, COUNT(*) FROM lab_hint GROUP BY lab_id").fetchall()
        )
        result: dict[str, LabProgress] = {}
        for row in rows:
            status = "passed" if row["passed_at"] is not None else "failed"
            result[row["lab_id"]] = LabProgress(
                row["lab_id"],
                status,
                row["attempts"],
                row["last_at"],
                row["passed_at"],
                hints.get(row["lab_id"], 0),
            )
        for lab_id, count in hints.items():
            result.setdefault(lab_id, LabProgress(lab_id, "not started", 0, None, None, count))
        return result

    def lab_status(self, lab_id: str) -> str:
        progress = self.lab_progress().get(lab_id)
        return progress.status if progress else "not started"

    # -- settings --------------------------------------------------------------------------

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self._db.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO setting (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
