"""Lab: the instructions, your code (autosaved), and the run's output and checks side by side.

Every sandbox run, check, hint and file read or write happens in a worker; workers post the
messages below and the handlers update widgets. Saving the file in another editor re-runs the
checks by itself (watch mode).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from rich.markup import escape
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import (
    Footer,
    Header,
    Markdown,
    Static,
    TabbedContent,
    TabPane,
    Tabs,
    TextArea,
)

from trainer.app.screens.confirm import ConfirmScreen
from trainer.app.workers import WorkerScreen, background

SAVE_DELAY = 0.25  # seconds of quiet typing before the file is written
WATCH_INTERVAL = 0.5


class LabScreen(WorkerScreen):
    HELP_TITLE = "Lab"
    CSS_PATH = "lab.tcss"
    BINDINGS = [
        Binding("ctrl+r", "run", "Run+Check", priority=True),
        Binding("ctrl+g", "hint", "Hint", priority=True),
        Binding("ctrl+e", "external_editor", "$EDITOR", priority=True),
        Binding("ctrl+s", "save", "Save", show=False, priority=True),
        Binding("ctrl+t", "toggle_wide", "Wide results", priority=True),
        Binding("escape", "escape", "Cancel/leave editor", priority=True),
        Binding("h", "hint", "Hint", show=False),
        Binding("e", "external_editor", "Edit in $EDITOR", show=False),
        Binding("r", "run", "Run+Check", show=False),
        Binding("i", "show_tab('instructions')", "Instructions", show=False),
        Binding("o", "show_tab('results')", "Results", show=False),
        Binding("c", "focus_code", "Edit code", show=False),
        Binding("R", "reset", "Reset to starter", show=False),
        Binding("s", "solution", "Show solution", show=False),
    ]

    class Loaded(Message):
        def __init__(self, lab: Any, path: Path, text: str, instructions: str, passed: bool):
            super().__init__()
            self.lab, self.path, self.text, self.passed = lab, path, text, passed
            self.instructions = instructions

    class Finished(Message):
        def __init__(self, report: Any) -> None:
            super().__init__()
            self.report = report

    class Reloaded(Message):
        """The file changed outside the editor (or was reset); RUN says whether to check it."""

        def __init__(self, text: str, run: bool, note: str) -> None:
            super().__init__()
            self.text, self.run, self.note = text, run, note

    class HintShown(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, lab_id: str) -> None:
        super().__init__()
        self.lab_id = lab_id
        self.lab: Any = None
        self.path: Path | None = None
        self.passed = False
        self.running = False
        self._cancel: threading.Event | None = None
        self._saved_text: str | None = None  # what the file holds, as far as we know
        self._loading = True
        self._save_timer: Any = None
        self._hints: list[str] = []
        self._text = ""  # the editor's text, kept here so it can be saved after widgets go
        self._last_run_passed = False
        self._file_lock = threading.Lock()  # a save and a watch look never interleave

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="lab"):
            with TabbedContent(id="side", initial="instructions"):
                with TabPane("Instructions", id="instructions"):
                    yield Markdown("Loading…", id="readme")
                with TabPane("Results", id="results"), VerticalScroll():
                    yield Static("Press ctrl+r to run your code and check it.", id="verdict")
                    yield Vertical(id="checks")
                    yield Static("", id="hints")
                    yield Static("", id="output")
            with Vertical(id="code-pane"):
                yield Static("", id="status", classes="muted")
                # Read-only until the file is loaded, so no keystroke is typed into a placeholder.
                yield TextArea.code_editor(
                    "", language="python", id="code", soft_wrap=False, read_only=True
                )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#code", TextArea).focus()
        self.load()
        self.warm_sandbox()

    @background("lab-load")
    def load(self) -> None:
        from trainer.labs import load_catalog
        from trainer.labs.workspace import open_workspace

        lab = load_catalog().get(self.lab_id)
        path, _created = open_workspace(lab)
        text = path.read_text(encoding="utf-8")
        store = self.app.store
        store.set_setting("last_lab", lab.id)
        passed = store.lab_status(lab.id) == "passed"
        self.post_message(self.Loaded(lab, path, text, lab.instructions(), passed))

    @background("sandbox")
    def warm_sandbox(self) -> None:
        # The first start imports moto and binds a port; do it now, off the UI thread, so the
        # first ctrl+r is quick.
        _ = self.app.lab_session.sandbox

    def on_lab_screen_loaded(self, message: Loaded) -> None:
        self.lab, self.path, self.passed = message.lab, message.path, message.passed
        self.sub_title = message.lab.title
        self.query_one("#readme", Markdown).update(message.instructions)
        self._set_code(message.text)
        self.query_one("#code", TextArea).read_only = False
        self._saved_text = message.text
        self._show_status()
        self.set_interval(WATCH_INTERVAL, self.poll_file)

    def _set_code(self, text: str) -> None:
        self._loading = True
        self._text = text
        area = self.query_one("#code", TextArea)
        cursor = area.cursor_location
        area.load_text(text)
        lines = text.splitlines() or [""]
        row = min(cursor[0], len(lines) - 1)
        area.cursor_location = (row, min(cursor[1], len(lines[row])))
        self._loading = False

    def _show_status(self, note: str = "") -> None:
        if self.path is None:
            return
        state = "✓ passed" if self.passed else "not passed yet"
        running = " · running… (escape cancels)" if self.running else ""
        saved = "" if self._is_saved() else " · unsaved"
        tail = f" · {note}" if note else ""
        self.query_one("#status", Static).update(
            escape(f"{self.path.parent.name}/{self.path.name} · {state}{saved}{running}{tail}")
        )

    def _is_saved(self) -> bool:
        return self._saved_text == self._text

    # -- autosave -----------------------------------------------------------------------------

    @on(TextArea.Changed, "#code")
    def _edited(self, event: TextArea.Changed) -> None:
        if self._loading or self.path is None:
            return
        self._text = event.text_area.text
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self.action_save)
        self._show_status()

    def action_save(self) -> None:
        if self.path is not None and not self._is_saved():
            self.save(self._text)

    @background("save", exclusive=False)
    def save(self, text: str) -> None:
        self._write(text)
        self.app.call_from_thread(self._show_status)

    def _write(self, text: str) -> None:
        """Write atomically: a crash mid-write never leaves half a file."""
        assert self.path is not None
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        with self._file_lock:
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, self.path)
            self._saved_text = text

    def on_unmount(self) -> None:
        # Leaving the screen or quitting: the last keystrokes reach the disk too.
        if self.path is not None and self._saved_text is not None and not self._is_saved():
            self._write(self._text)

    # -- watch mode ---------------------------------------------------------------------------

    @background("watch")
    def poll_file(self) -> None:
        """One look at the file (every WATCH_INTERVAL): an outside change is reloaded and
        checked. Comparing text, not times, ignores our own saves."""
        assert self.path is not None
        with self._file_lock:
            try:
                text = self.path.read_text(encoding="utf-8")
            except (FileNotFoundError, UnicodeDecodeError):
                return
            if self._saved_text is None or text == self._saved_text:
                return
            self._saved_text = text
        self.post_message(self.Reloaded(text, run=True, note="changed on disk: checking"))

    def on_lab_screen_reloaded(self, message: Reloaded) -> None:
        self._set_code(message.text)
        self._show_status(message.note)
        if message.run:
            self.action_run()

    # -- run and check ------------------------------------------------------------------------

    def action_run(self) -> None:
        if self.lab is None or self.running:
            return
        self.running = True
        self._cancel = threading.Event()
        self.query_one("#verdict", Static).update("Running your code in the sandbox…")
        self.query_one("#side", TabbedContent).active = "results"
        self._show_status()
        self.run_check(self._text, self._cancel)

    @background("run")
    def run_check(self, text: str, cancel: threading.Event) -> None:
        try:
            if text != self._saved_text:
                self._write(text)
            assert self.path is not None
            report = self.app.lab_session.check(self.lab, self.path, cancel=cancel)
        finally:
            self.app.call_from_thread(self._run_ended)
        self.post_message(self.Finished(report))

    def _run_ended(self) -> None:
        self.running = False
        self._show_status()

    def on_lab_screen_finished(self, message: Finished) -> None:
        report = message.report
        if report.run.cancelled:
            self.query_one("#verdict", Static).update("The run was cancelled.")
            return
        verdict = "PASSED" if report.passed else "not passed yet"
        self.query_one("#verdict", Static).update(
            f"[b]{report.checks_passed}/{len(report.checks)} checks passed: {verdict}[/b]"
        )
        rows = []
        for result in report.checks:
            mark = "[green]✓[/]" if result.passed else "[red]✗[/]"
            rows.append(Static(f"{mark} {escape(result.title)}", classes="check-title"))
            rows.append(Static(escape(result.message), classes="check-message"))
        checks = self.query_one("#checks", Vertical)
        checks.remove_children()
        checks.mount_all(rows)
        output = [f"[b]run:[/b] {escape(report.run.summary(report.timeout))}"]
        for name, text in (("output", report.run.stdout), ("errors", report.run.stderr)):
            if text.strip():
                output += [f"[b]--- {name} ---[/b]", escape(text.rstrip())]
        self.query_one("#output", Static).update("\n".join(output))
        if report.passed and not self.passed:
            self.notify(f"Lab “{self.lab.title}” passed. Well done!", title="Passed")
        self.passed = self.passed or report.passed
        self._last_run_passed = report.passed
        self._show_status()

    def action_escape(self) -> None:
        if self.running and self._cancel is not None:
            self._cancel.set()
            self.notify("Cancelling the run…")
        elif self.query_one("#code", TextArea).has_focus:
            self._focus_side()
        else:
            self.app.pop_screen()

    # -- hints, reset, solution, external editor -----------------------------------------------

    def action_hint(self) -> None:
        if self.lab is not None:
            self.reveal_hint()

    @background("hint")
    def reveal_hint(self) -> None:
        hint = self.app.lab_session.reveal_hint(self.lab)
        if hint is None and self._last_run_passed:
            text = "Every check passes: no hint needed."
        elif hint is None:
            text = "No more hints: you have seen every hint for the checks still failing."
        else:
            text = f"Hint {hint.number}/{hint.total} for “{hint.check_title}”: {hint.text}"
        self.post_message(self.HintShown(text))

    def on_lab_screen_hint_shown(self, message: HintShown) -> None:
        self._hints.append(message.text)
        shown = "\n".join(f"💡 {escape(text)}" for text in self._hints)
        self.query_one("#hints", Static).update(f"\n{shown}\n")
        self.query_one("#side", TabbedContent).active = "results"
        self.notify(message.text, title="Hint", timeout=10)

    def action_reset(self) -> None:
        if self.lab is None:
            return
        question = (
            f"Put the starter of “{self.lab.title}” back in your workspace?\n"
            "Your current file is kept beside it as a .bak copy."
        )
        self.app.push_screen(ConfirmScreen(question, yes="Reset"), self._reset_confirmed)

    def _reset_confirmed(self, yes: bool | None) -> None:
        if yes:
            self.reset_workspace()

    @background("reset")
    def reset_workspace(self) -> None:
        from trainer.labs.workspace import reset_workspace

        with self._file_lock:
            path, backup = reset_workspace(self.lab)
            text = path.read_text(encoding="utf-8")
            self._saved_text = text
        note = f"reset; previous file kept as {backup.name}" if backup else "reset"
        self.post_message(self.Reloaded(text, run=False, note=note))

    def action_solution(self) -> None:
        if self.lab is None:
            return
        if self.passed:
            self.show_solution()
            return
        question = (
            "You have not passed this lab yet. Seeing the reference solution now takes away the "
            "practice. Show it anyway?"
        )
        self.app.push_screen(
            ConfirmScreen(question, yes="Show it"), lambda yes: yes and self.show_solution()
        )

    @background("solution")
    def show_solution(self) -> None:
        texts = [(p.name, p.read_text(encoding="utf-8")) for p in self.lab.solutions]
        self.app.call_from_thread(self.app.push_screen, SolutionScreen(texts))

    def action_external_editor(self) -> None:
        if self.path is None:
            return
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if not editor:
            self.notify("Set $EDITOR (or $VISUAL) to edit in your own editor.", severity="warning")
            return
        import shlex
        import subprocess

        self._write(self._text)
        with self.app.suspend():
            subprocess.call([*shlex.split(editor), str(self.path)])
        # The watcher notices the change and re-checks.

    def action_toggle_wide(self) -> None:
        """Give the instructions and results the whole width (handy at 80 columns), or the
        editor back."""
        wide = not self.has_class("-wide")
        self.set_class(wide, "-wide")
        if wide:
            self._focus_side()
        else:
            self.action_focus_code()

    def _focus_side(self) -> None:
        """Focus the Instructions/Results tabs: letters are keys again, arrows switch tabs."""
        self.query_one("#side", TabbedContent).query_one(Tabs).focus()

    def action_show_tab(self, tab: str) -> None:
        self.query_one("#side", TabbedContent).active = tab

    def action_focus_code(self) -> None:
        self.query_one("#code", TextArea).focus()

    def screen_commands(self):  # noqa: ANN201 - an iterable of SystemCommand
        yield SystemCommand("Run and check", "Run your code in the sandbox", self.action_run)
        yield SystemCommand("Reveal a hint", "The next hint for a failing check", self.action_hint)
        yield SystemCommand("Reset lab to starter", "Keeps your file as .bak", self.action_reset)
        yield SystemCommand("Show reference solution", "After a confirmation", self.action_solution)
        yield SystemCommand(
            "Edit in $EDITOR", "Open your file in your editor", self.action_external_editor
        )


class SolutionScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    SolutionScreen { align: center middle; }
    SolutionScreen > Vertical {
        width: 95%; height: 90%; border: round $success; background: $surface;
    }
    SolutionScreen TextArea { height: 1fr; }
    """
    BINDINGS = [Binding("escape,q", "dismiss", "Close")]

    def __init__(self, solutions: list[tuple[str, str]]) -> None:
        super().__init__()
        self._solutions = solutions

    def compose(self) -> ComposeResult:
        with Vertical():
            for name, text in self._solutions:
                yield Static(f"[b]{escape(name)}[/b] (read-only; escape closes)")
                yield TextArea.code_editor(text, language="python", read_only=True)
