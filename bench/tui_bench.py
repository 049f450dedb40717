"""How fast the TUI is: process start to the first rendered Home screen, and ctrl+r to results.

Both measured headlessly with Textual's pilot, medians over several runs. Targets (issue 6):
first frame <= 1.0 s; ctrl+r to results <= 1.5 s with a warm sandbox.

    python bench/tui_bench.py [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Run in a fresh interpreter: starts the clock before `import trainer`, exits at the first frame.
FIRST_FRAME = """
import time
started = time.perf_counter()
import asyncio
from trainer.app.app import TrainerApp
from trainer.app.screens.home import HomeScreen

async def main():
    app = TrainerApp()
    async with app.run_test(size=(100, 30)) as pilot:
        while not isinstance(app.screen, HomeScreen):
            await pilot.pause()
        await pilot.pause()  # one refresh: the Home screen is drawn
        print(time.perf_counter() - started)

asyncio.run(main())
"""


def first_frame(runs: int, env: dict[str, str]) -> list[float]:
    samples = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", FIRST_FRAME], capture_output=True, text=True, env=env, check=True
        )
        samples.append(float(done.stdout.strip().splitlines()[-1]))
    return samples


async def run_to_results(runs: int) -> list[float]:
    from trainer.app.app import TrainerApp
    from trainer.app.screens.lab import LabScreen

    samples = []
    app = TrainerApp()
    async with app.run_test(size=(100, 30)) as pilot:
        app.action_open_lab("execution-role")
        await app.workers.wait_for_complete()  # includes warming the sandbox
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LabScreen)
        screen.query_one("#code").text = (REPO / "labs/execution-role/solution.py").read_text()
        for _ in range(runs):
            started = time.perf_counter()
            await pilot.press("ctrl+r")
            while screen.running or "checks passed" not in str(
                screen.query_one("#verdict").render()
            ):
                await pilot.pause(0.005)
            samples.append(time.perf_counter() - started)
            screen.query_one("#verdict").update("")
    return samples


def report(name: str, samples: list[float], target: float) -> None:
    median = statistics.median(samples)
    verdict = "ok" if median <= target else "OVER TARGET"
    print(
        f"  {name:<28} median {median * 1000:7.1f} ms  (min {min(samples) * 1000:.1f}, "
        f"max {max(samples) * 1000:.1f}; target {target * 1000:.0f} ms: {verdict})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["TRAINER_HOME"] = home
        os.environ.setdefault("TRAINER_CONTENT", str(REPO))
        env = dict(os.environ)
        print(f"TUI, {args.runs} runs each")
        report("first frame (process start)", first_frame(args.runs, env), 1.0)
        report("ctrl+r to results (warm)", asyncio.run(run_to_results(args.runs)), 1.5)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
