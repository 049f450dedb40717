"""How long `trainer lab check LAB --solution FILE` takes, phase by phase.

Runs the real command N times in fresh processes and prints medians: sandbox start, setup,
learner run, check phase, engine total, and the whole command's wall time (process start,
imports, sandbox, everything). Targets (issue 2): check phase <= 50 ms, whole command <= 2 s.

    python bench/lab_check_bench.py [--lab execution-role] [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PHASES = ("sandbox_start", "setup", "run", "checks", "total")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lab", default="execution-role")
    parser.add_argument("--solution", help="default: labs/LAB/solution.py")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    solution = args.solution or str(REPO / "labs" / args.lab / "solution.py")
    command = [sys.executable, "-m", "trainer", "lab", "check", args.lab]
    command += ["--solution", solution, "--json"]
    samples: dict[str, list[float]] = {phase: [] for phase in (*PHASES, "command")}
    with tempfile.TemporaryDirectory() as home:
        env = {"TRAINER_HOME": home, "TRAINER_CONTENT": str(REPO), "PATH": "/usr/bin:/bin"}
        env |= {k: v for k, v in __import__("os").environ.items() if k in ("HOME", "PATH")}
        for _ in range(args.runs):
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
            samples["command"].append(time.perf_counter() - started)
            report = json.loads(done.stdout)
            if not report["passed"]:
                print(f"the solution did not pass: {done.stdout}", file=sys.stderr)
                return 1
            for phase in PHASES:
                samples[phase].append(report["timings"][phase])
    print(f"trainer lab check {args.lab} --solution {Path(solution).name}: {args.runs} runs")
    for phase, values in samples.items():
        print(
            f"  {phase:<14} median {statistics.median(values) * 1000:7.1f} ms"
            f"   (min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
