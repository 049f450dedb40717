"""The SQLite store under TRAINER_HOME: lab progress, hints used, settings.

One connection per Store, WAL journaling, one transaction per write. Nothing the learner's code
prints and no secret value is ever written here: only ids, outcomes, counts and times.
Schema changes are migrations keyed by ``PRAGMA user_version``; append, never edit, a migration.
"""

from __future__ import annotations

import json
import sqlite3
import threading
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
    """Progress kept in one SQLite file. Safe to open from several processes at once, and to
    share between threads (the TUI's workers): writes are serialised by a lock."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or store_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(
            self.path, timeout=10, isolation_level=None, check_same_thread=False
        )
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
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _migrate(self) -> None:
        # The version is read inside the write transaction, so two processes opening a new
        # store at once cannot both apply the same migration.
        if self._db.execute("PRAGMA user_version").fetchone()[0] == len(_MIGRATIONS):
            return
        with self.transaction() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(_MIGRATIONS[version:], start=version + 1):
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
        """One lab's status, as lab_progress would give it."""
        row = self._db.execute(
            "SELECT COUNT(*), MAX(passed) FROM lab_attempt WHERE lab_id = ?", (lab_id,)
        ).fetchone()
        if not row[0]:
            return "not started"
        return "passed" if row[1] else "failed"

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

    # -- quizzes ---------------------------------------------------------------------------
    # The review log (quiz_review) is append-only: one row per answer. quiz_card caches the FSRS
    # state derived from it and can always be rebuilt from the log (trainer.quiz.scheduler).

    def record_quiz_review(self, review: QuizReview, card: QuizCard | None = None) -> int:
        """Append one answer to the log, and update its card, in one transaction; the row id."""
        with self.transaction() as db:
            review_id = _insert_review(db, review)
            if card is not None:
                _upsert_card(db, QuizCard(**{**card.__dict__, "review_id": review_id}))
        return review_id

    def quiz_reviews(self, question_id: str | None = None) -> list[QuizReview]:
        """Log rows in the order they were given, of one question or of all."""
        if question_id is None:
            rows = self._db.execute("SELECT * FROM quiz_review ORDER BY id")
        else:
            rows = self._db.execute(
                "SELECT * FROM quiz_review WHERE question_id = ? ORDER BY id", (question_id,)
            )
        return [_review_from_row(row) for row in rows]

    def latest_quiz_reviews(self) -> dict[str, QuizReview]:
        """The most recent log row of each question ever answered."""
        rows = self._db.execute(
            "SELECT * FROM quiz_review WHERE id IN"
            " (SELECT MAX(id) FROM quiz_review GROUP BY question_id)"
        )
        return {row["question_id"]: _review_from_row(row) for row in rows}

    def quiz_card(self, question_id: str) -> QuizCard | None:
        row = self._db.execute(
            "SELECT * FROM quiz_card WHERE question_id = ?", (question_id,)
        ).fetchone()
        return _card_from_row(row) if row else None

    def quiz_cards(self) -> dict[str, QuizCard]:
        """Every card that has been drilled, by question id."""
        return {
            row["question_id"]: _card_from_row(row)
            for row in self._db.execute("SELECT * FROM quiz_card")
        }

    def quiz_due_times(self) -> dict[str, float]:
        """When each drilled card is next due (epoch seconds), by question id."""
        return dict(self._db.execute("SELECT question_id, due FROM quiz_card").fetchall())

    def replace_quiz_cards(self, cards: Iterator[QuizCard] | list[QuizCard]) -> None:
        """Swap the whole card cache for ``cards`` atomically (used to rebuild it from the log)."""
        with self.transaction() as db:
            db.execute("DELETE FROM quiz_card")
            for card in cards:
                _upsert_card(db, card)

    def start_quiz_session(
        self,
        *,
        mode: str,
        deck_id: str | None,
        seed: int,
        question_ids: list[str],
        deadline: float | None = None,
        pass_percent: float | None = None,
        started_at: float | None = None,
    ) -> int:
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO quiz_session"
                " (mode, deck_id, seed, started_at, deadline, pass_percent, questions)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    mode,
                    deck_id,
                    seed,
                    time.time() if started_at is None else started_at,
                    deadline,
                    pass_percent,
                    json.dumps(question_ids),
                ),
            )
            return int(cursor.lastrowid or 0)

    def quiz_session(self, session_id: int) -> QuizSessionRecord | None:
        row = self._db.execute("SELECT * FROM quiz_session WHERE id = ?", (session_id,)).fetchone()
        return _session_from_row(row) if row else None

    def open_quiz_sessions(self, mode: str, deck_id: str | None = None) -> list[QuizSessionRecord]:
        """Sessions of ``mode`` neither submitted nor abandoned, oldest first."""
        query = "SELECT * FROM quiz_session WHERE mode = ? AND finished_at IS NULL"
        params: tuple[object, ...] = (mode,)
        if deck_id is not None:
            query += " AND deck_id = ?"
            params += (deck_id,)
        rows = self._db.execute(query + " ORDER BY id", params)
        return [_session_from_row(row) for row in rows]

    def save_quiz_session_answer(
        self, session_id: int, question_id: str, answer: str, *, flagged: bool, seconds: float
    ) -> None:
        """Keep the current answer (JSON) of one question of an unfinished session."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO quiz_session_answer"
                " (session_id, question_id, answer, flagged, seconds, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (session_id, question_id) DO UPDATE SET answer = excluded.answer,"
                " flagged = excluded.flagged, seconds = excluded.seconds,"
                " updated_at = excluded.updated_at",
                (session_id, question_id, answer, int(flagged), seconds, time.time()),
            )

    def quiz_session_answers(self, session_id: int) -> dict[str, QuizSessionAnswer]:
        rows = self._db.execute(
            "SELECT * FROM quiz_session_answer WHERE session_id = ?", (session_id,)
        )
        return {
            row["question_id"]: QuizSessionAnswer(
                row["question_id"], row["answer"], bool(row["flagged"]), row["seconds"]
            )
            for row in rows
        }

    def finish_quiz_session(
        self, session_id: int, outcome: str, reviews: list[QuizReview] | None = None
    ) -> bool:
        """Close a session (outcome "submitted", "abandoned" or "ended") and append its
        ``reviews`` to the log, all in one transaction. False if it was already closed."""
        with self.transaction() as db:
            cursor = db.execute(
                "UPDATE quiz_session SET finished_at = ?, outcome = ?"
                " WHERE id = ? AND finished_at IS NULL",
                (time.time(), outcome, session_id),
            )
            if cursor.rowcount == 0:
                return False
            for review in reviews or []:
                _insert_review(db, review)
        return True


# -- quizzes: rows of the quiz tables ------------------------------------------------------


@dataclass(frozen=True)
class QuizReview:
    """One answer in the review log. ``answer`` is JSON; ``rating`` is the FSRS rating it gave
    the card (1-4), or None when the answer did not move the schedule (exam, review)."""

    question_id: str
    deck_id: str
    mode: str
    answer: str
    correct: bool
    flagged: bool
    seconds: float
    at: float
    rating: int | None = None
    session_id: int | None = None
    id: int | None = None


@dataclass(frozen=True)
class QuizCard:
    """The cached FSRS state of one question, as of log row ``review_id``. Times are epoch s."""

    question_id: str
    card_id: int
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: float
    last_review: float | None
    reviews: int
    review_id: int = 0


@dataclass(frozen=True)
class QuizSessionRecord:
    id: int
    mode: str
    deck_id: str | None
    seed: int
    started_at: float
    deadline: float | None
    pass_percent: float | None
    question_ids: list[str]
    finished_at: float | None
    outcome: str | None


@dataclass(frozen=True)
class QuizSessionAnswer:
    question_id: str
    answer: str  # JSON
    flagged: bool
    seconds: float


def _insert_review(db: sqlite3.Connection, review: QuizReview) -> int:
    cursor = db.execute(
        "INSERT INTO quiz_review (at, question_id, deck_id, mode, session_id, answer, correct,"
        " flagged, seconds, rating) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            review.at,
            review.question_id,
            review.deck_id,
            review.mode,
            review.session_id,
            review.answer,
            int(review.correct),
            int(review.flagged),
            review.seconds,
            review.rating,
        ),
    )
    return int(cursor.lastrowid or 0)


def _upsert_card(db: sqlite3.Connection, card: QuizCard) -> None:
    db.execute(
        "INSERT OR REPLACE INTO quiz_card (question_id, card_id, state, step, stability,"
        " difficulty, due, last_review, reviews, review_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            card.question_id,
            card.card_id,
            card.state,
            card.step,
            card.stability,
            card.difficulty,
            card.due,
            card.last_review,
            card.reviews,
            card.review_id,
        ),
    )


def _review_from_row(row: sqlite3.Row) -> QuizReview:
    return QuizReview(
        question_id=row["question_id"],
        deck_id=row["deck_id"],
        mode=row["mode"],
        answer=row["answer"],
        correct=bool(row["correct"]),
        flagged=bool(row["flagged"]),
        seconds=row["seconds"],
        at=row["at"],
        rating=row["rating"],
        session_id=row["session_id"],
        id=row["id"],
    )


def _card_from_row(row: sqlite3.Row) -> QuizCard:
    # The table's columns are the dataclass's fields, in the same order.
    return QuizCard(*tuple(row))


def _session_from_row(row: sqlite3.Row) -> QuizSessionRecord:
    return QuizSessionRecord(
        id=row["id"],
        mode=row["mode"],
        deck_id=row["deck_id"],
        seed=row["seed"],
        started_at=row["started_at"],
        deadline=row["deadline"],
        pass_percent=row["pass_percent"],
        question_ids=json.loads(row["questions"]),
        finished_at=row["finished_at"],
        outcome=row["outcome"],
    )
