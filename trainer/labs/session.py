"""A study session's lab work: one sandbox kept warm, progress kept in the store.

The CLI and the TUI both go through this, so recording progress and revealing hints behave the
same everywhere.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from trainer.errors import UsageError
from trainer.labs.engine import LabReport, check_lab
from trainer.labs.model import Lab
from trainer.sandbox import LearnerProcess, Sandbox
from trainer.store import Store


@dataclass(frozen=True)
class Hint:
    check_id: str
    check_title: str
    number: int  # 1-based
    total: int
    text: str


class LabSession:
    def __init__(self, store: Store | None = None) -> None:
        self.store = store or Store()
        self._sandbox: Sandbox | None = None
        self._lock = threading.Lock()
        self.sandbox_start_seconds = 0.0

    @property
    def sandbox(self) -> Sandbox:
        """The session's simulated AWS, started on first use."""
        with self._lock:
            if self._sandbox is None:
                started = time.perf_counter()
                self._sandbox = Sandbox().start()
                self.sandbox_start_seconds = time.perf_counter() - started
            return self._sandbox

    def close(self) -> None:
        if self._sandbox is not None:
            self._sandbox.stop()
            self._sandbox = None
        self.store.close()

    def __enter__(self) -> LabSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def check(
        self,
        lab: Lab,
        code: Path,
        *,
        timeout: float | None = None,
        cancel: threading.Event | None = None,
    ) -> LabReport:
        """Check CODE against LAB on fresh sandbox state and record the attempt.

        Checking one of the lab's own files (starter, reference solutions) is not the learner's
        attempt and is not recorded."""
        if not code.is_file():
            raise UsageError(f"no such file: {code}")
        # The child interpreter starts first and loads while the sandbox starts (on first use).
        with LearnerProcess(code) as process:
            report = check_lab(
                lab, code, self.sandbox, timeout=timeout, cancel=cancel, process=process
            )
        report.timings["sandbox_start"] = self.sandbox_start_seconds
        own_file = code.resolve().parent == lab.folder.resolve()
        if not own_file and not report.run.cancelled:
            self.store.record_lab_attempt(
                lab.id,
                failed_checks=[c.id for c in report.checks if not c.passed],
                checks_total=len(report.checks),
                seconds=report.timings.get("total", 0.0),
            )
        return report

    def reveal_hint(self, lab: Lab, check_id: str | None = None) -> Hint | None:
        """The next unseen hint, for CHECK_ID or else for the first check that failed last time
        (the first check with hints when never attempted). None when there is nothing left."""
        if check_id is not None:
            spec = lab.check_spec(check_id)
            if spec is None:
                ids = ", ".join(c.id for c in lab.checks)
                raise UsageError(f"lab {lab.id} has no check {check_id!r}; checks: {ids}")
            candidates = [spec]
        else:
            failed = self.store.last_failed_checks(lab.id)
            candidates = [c for c in lab.checks if failed is None or c.id in failed]
        for spec in candidates:
            seen = self.store.hints_revealed(lab.id, spec.id)
            if seen < len(spec.hints):
                self.store.record_hint(lab.id, spec.id, seen)
                return Hint(spec.id, spec.title, seen + 1, len(spec.hints), spec.hints[seen])
        return None
