"""Regenerate the SVG screenshots in docs/ (shown in the README).

    python docs/screenshots.py

Runs the real app headlessly with a throw-away TRAINER_HOME, so the pictures show a learner
part-way through: a lab checked once, one drill question answered.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent
REPO = DOCS.parent
SIZE = (110, 32)


async def shoot() -> None:
    from trainer.app.app import TrainerApp

    async def settle(app, pilot) -> None:
        for _ in range(2):
            await app.workers.wait_for_complete()
            await pilot.pause()

    app = TrainerApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.save_screenshot("home.svg", str(DOCS))

        app.action_open_lab("common-permissions")
        await settle(app, pilot)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        app.save_screenshot("lab.svg", str(DOCS))

        app.action_home()
        await settle(app, pilot)
        app.action_drill(seed=11)
        await settle(app, pilot)
        while app.screen.view.typed_kind:  # a typed ordering/matching question: skip to a choice
            await pilot.press("escape", "s")  # leave the answer line, then skip
            await settle(app, pilot)
            await pilot.press("n")
            await settle(app, pilot)
        await pilot.press("b", "enter")
        await settle(app, pilot)
        app.save_screenshot("drill.svg", str(DOCS))

        app.action_home()
        await settle(app, pilot)
        app.action_progress()
        await settle(app, pilot)
        app.save_screenshot("progress.svg", str(DOCS))


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        os.environ["TRAINER_HOME"] = home
        os.environ.setdefault("TRAINER_CONTENT", str(REPO))
        asyncio.run(shoot())
    print("wrote", ", ".join(sorted(p.name for p in DOCS.glob("*.svg"))))


if __name__ == "__main__":
    main()
