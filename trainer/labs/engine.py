"""Checking a lab: fresh sandbox state, the lab's setup, the learner's code, then every check."""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainer.checks import CheckContext, CheckResult, get_primitive, run_check
from trainer.errors import ContentError
from trainer.labs.model import Lab
from trainer.labs.setup import run_setup
from trainer.sandbox import DEFAULT_TIMEOUT, LearnerProcess, RunResult, Sandbox


@dataclass(frozen=True)
class LabReport:
    lab_id: str
    run: RunResult
    checks: tuple[CheckResult, ...]
    timeout: float
    timings: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def passed(self) -> bool:
        """Every check passed. How the code ended does not matter: the state is what counts."""
        return all(c.passed for c in self.checks)

    @property
    def checks_passed(self) -> int:
        return sum(c.passed for c in self.checks)

    def to_json(self) -> dict[str, Any]:
        return {
            "lab": self.lab_id,
            "passed": self.passed,
            "run": self.run.to_json() | {"summary": self.run.summary(self.timeout)},
            "checks": [c.to_json() for c in self.checks],
            "timings": {name: round(seconds, 4) for name, seconds in self.timings.items()},
        }


def prepare(lab: Lab, sandbox: Sandbox) -> None:
    """Give the sandbox the lab's starting state (from empty). A failing setup is a broken lab."""
    sandbox.reset()
    try:
        run_setup(sandbox, lab.setup)
    except Exception as exc:  # noqa: BLE001 - report which lab is broken, in one line
        raise ContentError(f"{lab.yaml_path}: setup failed: {type(exc).__name__}: {exc}") from exc


def run_checks(lab: Lab, sandbox: Sandbox, run: RunResult | None = None) -> list[CheckResult]:
    """Every check of the lab, in order; none stops the others."""
    ctx = CheckContext(sandbox=sandbox, run=run)
    return [
        run_check(ctx, spec.id, spec.title, spec.check, spec.args, risk=spec.risk, fixed=spec.fixed)
        for spec in lab.checks
    ]


def check_lab(
    lab: Lab,
    code: Path,
    sandbox: Sandbox,
    *,
    timeout: float | None = None,
    cancel: threading.Event | None = None,
    fresh: bool = True,
    process: LearnerProcess | None = None,
) -> LabReport:
    """Run CODE as the learner's solution of LAB in SANDBOX and check the resulting state.

    With FRESH (the default) the sandbox is reset and the lab's setup runs first; without it,
    CODE runs on whatever state the sandbox holds (to prove a solution can run twice). PROCESS
    is a LearnerProcess for CODE the caller started earlier (so it loads while the sandbox
    starts); check_lab closes it. Without one, one is started here, before the setup."""
    limit = timeout or lab.timeout or DEFAULT_TIMEOUT
    timings: dict[str, float] = {}
    with contextlib.ExitStack() as stack:
        process = stack.enter_context(process or LearnerProcess(code))
        started = time.perf_counter()
        if fresh:
            prepare(lab, sandbox)
        timings["setup"] = time.perf_counter() - started
        # Load moto's backends and make the checks' clients while the code runs, so neither
        # the code's first calls nor the check phase pay for that.
        warmer = threading.Thread(target=_warm_clients, args=(lab, sandbox), daemon=True)
        warmer.start()
        mark = time.perf_counter()
        run = process.run(sandbox.endpoint_url, timeout=limit, cancel=cancel)
        timings["run"] = time.perf_counter() - mark
        warmer.join()

    mark = time.perf_counter()
    results = run_checks(lab, sandbox, run)
    timings["checks"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    return LabReport(lab.id, run, tuple(results), limit, timings)


def _warm_clients(lab: Lab, sandbox: Sandbox) -> None:
    services = {
        service
        for spec in lab.checks
        if (primitive := get_primitive(spec.check))
        for service in primitive.services
    }
    for service in sorted(services):
        sandbox.warm(service)
