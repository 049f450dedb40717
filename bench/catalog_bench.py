"""The whole lab catalog: time to prove it (`trainer validate --deep`), and each lab's check
phase on a warm sandbox (median of several runs of its reference solution).

Targets (issue 4): check phase <= 50 ms median per lab; the catalog proved in <= 60 s.

    python bench/catalog_bench.py [--runs 5] [--skip-deep]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def check_phases(runs: int) -> None:
    from trainer.labs import check_lab, load_catalog
    from trainer.sandbox import Sandbox

    catalog = load_catalog(REPO)
    print(f"check phase per lab, warm sandbox, reference solution.py, {runs} runs")
    with Sandbox() as sandbox:
        for lab in catalog.labs.values():
            samples, calls = [], 0
            for _ in range(runs + 1):  # the first run warms moto's backends for this lab
                report = check_lab(lab, lab.folder / "solution.py", sandbox)
                if not report.passed:
                    failing = [c.id for c in report.checks if not c.passed]
                    print(f"  {lab.id}: the solution did not pass ({failing})", file=sys.stderr)
                    break
                samples.append(report.timings["checks"])
                calls = len(report.checks)
            if len(samples) > 1:
                median = statistics.median(samples[1:]) * 1000
                verdict = "ok" if median <= 50 else "over the 50 ms target"
                print(f"  {lab.id:<20} {median:6.1f} ms  ({calls} checks; {verdict})")


def deep_validation() -> None:
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, TRAINER_HOME=home, TRAINER_CONTENT=str(REPO))
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "trainer", "validate", "--deep"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - started
    verdict = "ok" if seconds <= 60 else "over the 60 s target"
    summary = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    print(
        f"trainer validate --deep: {seconds:.1f} s, exit {done.returncode} ({verdict}); {summary}"
    )
    import importlib.util

    if importlib.util.find_spec("sagemaker"):
        print("  (the SageMaker SDK is installed, so the Estimator solutions were proved too)")
    else:
        print("  (the SageMaker SDK is not installed: the Estimator solutions were skipped)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-deep", action="store_true", help="only the check phases")
    args = parser.parse_args()
    os.environ.setdefault("TRAINER_HOME", tempfile.mkdtemp())
    check_phases(args.runs)
    if not args.skip_deep:
        deep_validation()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
