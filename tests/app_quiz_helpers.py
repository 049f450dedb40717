"""Helpers for the quiz screens' pilot tests: an app that opens one screen, and the keys that
answer a shown question right or wrong, for every question type."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.screen import Screen

import trainer.app.app
from trainer.app.app import TrainerApp
from trainer.quiz.grading import LETTERS, Presentation


class ScreenApp(TrainerApp):
    """The real app (store, help, worker errors) opening ``screen`` instead of Home, and
    recording the labs it is asked to open instead of opening them."""

    # CSS_PATH is relative to the module defining the class; point it back at the app's.
    CSS_PATH = str(Path(trainer.app.app.__file__).with_name("app.tcss"))

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self._first = screen
        self.opened_labs: list[str] = []
        self.errors: list[str] = []

    def on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # Textual would run TrainerApp.on_mount too, opening Home
        self.push_screen(self._first)

    def action_open_lab(self, lab_id: str) -> None:
        self.opened_labs.append(lab_id)

    def notify(self, message: str, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        if kwargs.get("severity") == "error":
            self.errors.append(str(message))
        super().notify(message, *args, **kwargs)


def answer_keys(presentation: Presentation, *, right: bool) -> list[str]:
    """Pilot keys answering the question (not yet Enter): right, or wrong in a plain way."""
    question = presentation.question
    kind = question.type
    if kind == "true_false":
        value = question.answer if right else not question.answer
        return ["t" if value else "f"]
    correct = question.correct_answer()
    if kind == "single":
        if right:
            return [presentation.letter_of(correct)]  # type: ignore[arg-type]
        wrong = next(i for i in presentation.order if i != correct)
        return [presentation.letter_of(wrong)]
    if kind == "multi":
        chosen = sorted(correct)  # type: ignore[arg-type]
        if not right:
            other = next(i for i in presentation.order if i not in correct)  # type: ignore[operator]
            chosen = [*chosen[1:], other]
        # Reach letters past e with the arrows and space, as a learner would.
        keys: list[str] = []
        cursor = 0
        for option_id in chosen:
            index = presentation.order.index(option_id)
            if index < 5:
                keys.append(LETTERS[index])
                cursor = index
            else:
                step = "down" if index > cursor else "up"
                keys += [step] * abs(index - cursor) + ["space"]
                cursor = index
        return keys
    if kind == "ordering":
        order = list(correct)  # type: ignore[arg-type]
        if not right:
            order[0], order[1] = order[1], order[0]
        return [presentation.letter_of(i) for i in order]  # "cab" reads as "c a b"
    pairs = dict(correct)  # type: ignore[arg-type]
    prompts = [prompt.id for prompt in question.prompts]
    if not right:
        pairs[prompts[0]], pairs[prompts[1]] = pairs[prompts[1]], pairs[prompts[0]]
    line = " ".join(
        f"{n}{presentation.letter_of(pairs[p])}" for n, p in enumerate(prompts, start=1)
    )
    return [{" ": "space"}.get(c, c) for c in line]
