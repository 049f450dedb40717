"""One quiz question, shared by the Drill/Review and Exam screens: the stem, the lettered
choices (with a highlight to move and a selection to change), a line to type into for ordering
and matching, and after an answer the verdict with every option's why.

The widget holds only what the learner has picked so far; turning that into an Answer goes
through the core's parser (``trainer.quiz.grading.parse_typed``), the same one the CLI uses,
and grading stays in the core. Keys belong to the screens; they call the methods here.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from trainer.quiz.grading import LETTERS, Presentation, TypedAnswer, parse_typed
from trainer.quiz.model import Answer

# What to do, per question type, shown above the choices.
INSTRUCTIONS = {
    "single": "choose one",
    "multi": "choose {select}",
    "true_false": "true or false",
    "ordering": "put in order, first to last",
    "matching": "match each number to a letter",
}
# The line typed for ordering and matching, as the CLI reads it.
PLACEHOLDERS = {
    "ordering": "the letters first to last, e.g. c a b, then Enter (? marks it)",
    "matching": "number then letter for each, e.g. 1b 2a 3c, then Enter (? marks it)",
}


class QuestionView(Vertical):
    """Shows one :class:`Presentation`; ``pick``/``move``/``toggle`` change the selection,
    ``typed`` reads it, ``show_feedback`` turns the view into the verdict."""

    DEFAULT_CSS = """
    QuestionView { height: auto; padding: 0 1; }
    QuestionView #q-heading { color: $text-muted; }
    QuestionView #q-stem { margin: 1 0; text-style: bold; }
    QuestionView #q-prompts { margin-bottom: 1; }
    QuestionView #q-input { margin-top: 1; display: none; }
    QuestionView.typed #q-input { display: block; }
    QuestionView #q-error { color: $error; height: auto; }
    QuestionView #q-feedback { margin-top: 1; height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.presentation: Presentation | None = None
        self._picked: list[str] = []  # letters, in the order picked
        self._cursor = 0
        self._locked = False
        self._marked = False
        self._mark_label = "flagged"
        self._heading = ""

    def compose(self) -> ComposeResult:
        yield Static(id="q-heading", markup=False)
        yield Static(id="q-stem", markup=False)
        yield Static(id="q-prompts", markup=False)
        yield Static(id="q-choices")
        yield Input(id="q-input")
        yield Static(id="q-error", markup=False)
        yield Static(id="q-feedback")

    # -- what the screens call ------------------------------------------------------------

    @property
    def kind(self) -> str:
        return self.presentation.question.type if self.presentation else ""

    @property
    def typed_kind(self) -> bool:
        """Ordering and matching are answered by typing a line into the Input."""
        return self.kind in ("ordering", "matching")

    @property
    def locked(self) -> bool:
        return self._locked

    @property
    def marked(self) -> bool:
        return self._marked

    @property
    def input(self) -> Input:
        return self.query_one("#q-input", Input)

    def show(
        self,
        presentation: Presentation,
        *,
        heading: str,
        answer: Answer = None,
        marked: bool = False,
        mark_label: str = "flagged",
        locked: bool = False,
    ) -> None:
        """Show a question with ``answer`` (None: nothing) already picked."""
        self.presentation = presentation
        self._heading = heading
        self._marked = marked
        self._mark_label = mark_label
        self._locked = locked
        self._cursor = 0
        self._picked = self._letters_of(answer)
        question = presentation.question
        self.set_class(self.typed_kind and not locked, "typed")
        self.query_one("#q-stem", Static).update(question.stem)
        prompts = self.query_one("#q-prompts", Static)
        prompts.display = question.type == "matching"
        prompts.update(
            "\n".join(f"{n}. {prompt.text}" for n, prompt in enumerate(question.prompts, 1))
        )
        self.input.value = presentation.describe(answer) if self.typed_kind and answer else ""
        self.input.placeholder = PLACEHOLDERS.get(question.type, "")
        self.input.disabled = locked
        self.query_one("#q-feedback", Static).update("")
        self.set_error("")
        self._render_heading()
        self._render_choices()

    def set_error(self, text: str) -> None:
        self.query_one("#q-error", Static).update(text)

    def set_marked(self, marked: bool) -> None:
        self._marked = marked
        self._render_heading()

    def freeze(self) -> None:
        """No more changes (the answer is in, or the exam is closed)."""
        self._locked = True
        self.input.disabled = True
        self.remove_class("typed")
        self._render_choices()

    def pick(self, letter: str) -> bool:
        """Choose (single, true/false) or toggle (multi) the entry under ``letter``; True if
        the selection changed. Typed questions take letters through the Input instead."""
        if self._locked or self.presentation is None or self.typed_kind:
            return False
        if letter not in LETTERS[: self._count()]:
            return False
        self._cursor = LETTERS.index(letter)
        if self.kind == "multi":
            if letter in self._picked:
                self._picked.remove(letter)
            else:
                self._picked.append(letter)
        elif self._picked == [letter]:
            return False
        else:
            self._picked = [letter]
        self.set_error("")
        self._render_choices()
        return True

    def toggle(self) -> bool:
        """Pick the highlighted entry (space)."""
        return self.pick(LETTERS[self._cursor])

    def move(self, delta: int) -> None:
        if self._locked or self.typed_kind or not self._count():
            return
        self._cursor = (self._cursor + delta) % self._count()
        self._render_choices()

    def typed(self) -> TypedAnswer:
        """The selection read as the CLI reads a typed line: the answer (None if nothing is
        picked) and whether a ``?`` was typed. Raises AnswerError (a readable hint) when the
        selection is not a complete answer, e.g. two letters for a choose-3."""
        assert self.presentation is not None
        if self.typed_kind:
            line = self.input.value
        elif self.kind == "true_false":
            line = {"a": "t", "b": "f"}.get("".join(self._picked), "")
        else:
            line = " ".join(sorted(self._picked))
        return parse_typed(self.presentation, line)

    def partial(self) -> Answer:
        """The selection as an answer even when incomplete (an exam keeps a half-chosen multi,
        graded wrong until completed); None if nothing is picked. Typed questions: as typed."""
        assert self.presentation is not None
        if self.kind == "multi":
            chosen = [self.presentation.order[LETTERS.index(c)] for c in self._picked]
            return frozenset(chosen) or None
        return self.typed().answer

    def show_feedback(self, answer: Answer, correct: bool, notes: list[str]) -> None:
        """Turn the view into the verdict on ``answer``: right or wrong, the right answer,
        every option's why, the explanation and tip, then ``notes`` (lab, next review...)."""
        assert self.presentation is not None
        presentation, question = self.presentation, self.presentation.question
        self._picked = self._letters_of(answer)
        self.freeze()
        right = presentation.describe(question.correct_answer())
        verdict = Text()
        if correct:
            verdict.append("✓ Right", style="bold green")
        elif answer is None:
            verdict.append("✗ Not answered", style="bold red")
            verdict.append(f"; the answer: {right}")
        else:
            verdict.append("✗ Wrong", style="bold red")
            verdict.append(f": you answered {presentation.describe(answer)}; the answer: {right}")
        if self._marked:
            verdict.append(f" ({self._mark_label})")
        parts: list[RenderableType] = [verdict]
        if question.type == "ordering":
            parts.append(self._right_order())
        elif question.type == "matching":
            parts.append(self._right_pairs(answer))
        parts.append(Text(""))
        parts.append(Text(question.explanation))
        parts.append(Text.assemble(("Tip: ", "bold"), question.tip))
        parts.extend(Text(note, style="italic") for note in notes)
        self.query_one("#q-feedback", Static).update(Group(*parts))
        self._render_choices(feedback=True)

    # -- drawing ---------------------------------------------------------------------------

    def _count(self) -> int:
        return len(self.presentation.choices()) if self.presentation else 0

    def _letters_of(self, answer: Answer) -> list[str]:
        if answer is None or self.presentation is None or self.typed_kind:
            return []
        if self.kind == "true_false":
            return ["a" if answer else "b"]
        if self.kind == "single":
            return [self.presentation.letter_of(answer)]  # type: ignore[arg-type]
        return sorted(self.presentation.letter_of(i) for i in answer)  # type: ignore[union-attr]

    def _render_heading(self) -> None:
        if self.presentation is None:
            return
        question = self.presentation.question
        what = INSTRUCTIONS[question.type].format(select=question.select)
        mark = f" · ⚑ {self._mark_label}" if self._marked else ""
        self.query_one("#q-heading", Static).update(
            f"{self._heading} · {question.domain} · {what}{mark}"
        )

    def _render_choices(self, *, feedback: bool = False) -> None:
        """The lettered entries as a grid (marker, text), so long texts wrap under their text.
        Symbols carry the meaning, colour only repeats it (NO_COLOR stays readable)."""
        if self.presentation is None:
            return
        presentation, question = self.presentation, self.presentation.question
        typed = self.typed_kind  # no highlight: the letters are typed into the answer line
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(no_wrap=True)
        table.add_column(ratio=1)
        for index, (letter, text) in enumerate(presentation.choices()):
            picked = letter in self._picked
            if question.type == "multi":
                box = "[x]" if picked else "[ ]"
            elif question.type in ("single", "true_false"):
                box = "(•)" if picked else "( )"
            else:
                box = ""
            pointer = "›" if index == self._cursor and not (self._locked or typed) else " "
            body = Text(text)
            style = "reverse" if pointer == "›" else ""
            if feedback and question.type in ("single", "multi", "true_false"):
                ok = self._is_right_entry(index)
                pointer = "✓" if ok else ("✗" if picked else " ")
                style = "green" if ok else ("red" if picked else "")
                why = self._why(index)
                if why:
                    body.append("\n")
                    body.append(why, style="italic dim")
            marker = Text(" ".join(filter(None, (pointer, box, f"{letter})"))), style=style)
            table.add_row(marker, body)
        self.query_one("#q-choices", Static).update(table)

    def _is_right_entry(self, index: int) -> bool:
        presentation, question = self.presentation, self.presentation.question  # type: ignore[union-attr]
        if question.type == "true_false":
            return (index == 0) == bool(question.answer)
        return question.option(presentation.order[index]).correct

    def _why(self, index: int) -> str | None:
        presentation, question = self.presentation, self.presentation.question  # type: ignore[union-attr]
        if question.type not in ("single", "multi"):
            return None
        return question.option(presentation.order[index]).why

    def _right_order(self) -> Text:
        presentation, question = self.presentation, self.presentation.question  # type: ignore[union-attr]
        text = Text("Right order:", style="bold")
        for n, item in enumerate(question.items, 1):
            text.append(f"\n  {n}. {presentation.letter_of(item.id)}) {item.text}")
        return text

    def _right_pairs(self, answer: Answer) -> Text:
        presentation, question = self.presentation, self.presentation.question  # type: ignore[union-attr]
        given = dict(answer) if answer else {}  # type: ignore[arg-type]
        responses = {response.id: response.text for response in question.responses}
        text = Text("Right pairs:", style="bold")
        for n, prompt in enumerate(question.prompts, 1):
            response_id = question.pairs[prompt.id]
            ok = given.get(prompt.id) == response_id
            mark = "✓" if ok else "✗"
            text.append(f"\n  {mark} {n}. {prompt.text} → ", style="green" if ok else "red")
            text.append(f"{presentation.letter_of(response_id)}) {responses[response_id]}")
        return text
