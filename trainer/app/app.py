"""TrainerApp: routes between screens, owns the shared lab session and store, and turns every
worker error into a notification."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from trainer.errors import TrainerError


class TrainerApp(App[None]):
    TITLE = "trainer"
    SUB_TITLE = "AWS ML security, hands-on"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._lab_session = None  # trainer.labs.session.LabSession, made on first use
        self._store = None
        self._core_lock = threading.Lock()  # workers may ask for these at the same time
        self.lab_titles: list[tuple[str, str]] = []  # (id, title), filled by a worker at start

    # -- shared core objects (made lazily, off the start-up path) -------------------------

    @property
    def store(self):  # noqa: ANN201 - trainer.store.Store
        """The store, shared by the screens and their workers (it is thread-safe)."""
        with self._core_lock:
            if self._store is None:
                from trainer.store import Store

                self._store = Store()
            return self._store

    @property
    def lab_session(self):  # noqa: ANN201 - trainer.labs.session.LabSession
        """One sandbox for the whole study session; started by the first worker that needs it."""
        store = self.store
        with self._core_lock:
            if self._lab_session is None:
                from trainer.labs.session import LabSession

                self._lab_session = LabSession(store)
            return self._lab_session

    # -- lifecycle --------------------------------------------------------------------------

    def on_mount(self) -> None:
        from trainer.app.screens.home import HomeScreen

        self.push_screen(HomeScreen())
        self.load_lab_titles()

    def on_unmount(self) -> None:
        if self._lab_session is not None:
            self._lab_session.close()  # also closes the store
        elif self._store is not None:
            self._store.close()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.report_worker_state(event)

    def report_worker_state(self, event: Worker.StateChanged) -> None:
        """The one handler of worker errors, for the app's workers and (through WorkerScreen)
        every screen's: each error reaches the user as a notification; none is silent."""
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        if isinstance(error, TrainerError):
            self.notify(str(error), title="Cannot do that", severity="error")
        else:
            name = type(error).__name__
            self.notify(f"{name}: {error}", title=f"{event.worker.name} failed", severity="error")

    # -- navigation ---------------------------------------------------------------------------

    def action_help(self) -> None:
        from trainer.app.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_home(self) -> None:
        from trainer.app.screens.home import HomeScreen

        while len(self.screen_stack) > 2 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()

    def action_labs(self) -> None:
        from trainer.app.screens.labs import LabsScreen

        self.push_screen(LabsScreen())

    def action_open_lab(self, lab_id: str) -> None:
        from trainer.app.screens.lab import LabScreen

        self.push_screen(LabScreen(lab_id))

    def action_drill(self, seed: int | None = None) -> None:
        from trainer.app.screens.quiz import DrillScreen

        self.push_screen(DrillScreen(mode="drill", seed=seed))

    def action_review(self) -> None:
        from trainer.app.screens.quiz import DrillScreen

        self.push_screen(DrillScreen(mode="review"))

    def action_exam(self) -> None:
        from trainer.app.screens.exam import ExamScreen

        self.push_screen(ExamScreen())

    def action_progress(self) -> None:
        from trainer.app.screens.progress import ProgressScreen

        self.push_screen(ProgressScreen())

    # -- command palette: an entry for every action ------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Home", "Back to the home screen", self.action_home)
        yield SystemCommand("Labs", "The lab catalog", self.action_labs)
        yield SystemCommand("Drill", "Spaced-repetition drill of due questions", self.action_drill)
        yield SystemCommand("Review", "Questions you missed or flagged", self.action_review)
        yield SystemCommand("Exam", "A timed mock exam", self.action_exam)
        yield SystemCommand("Progress", "Labs, mastery per domain, retention", self.action_progress)
        yield SystemCommand("Help", "Keys of this screen", self.action_help)
        for lab_id, title in self.lab_titles:
            yield SystemCommand(
                f"Open lab: {title}", f"lab {lab_id}", lambda i=lab_id: self.action_open_lab(i)
            )
        commands = getattr(screen, "screen_commands", None)
        if commands is not None:
            yield from commands()

    @work(thread=True, exit_on_error=False, group="catalog")
    def load_lab_titles(self) -> None:
        """Read the catalog once, off the UI thread, for the palette's "Open lab" entries."""
        from trainer.labs import load_catalog

        self.lab_titles = [(lab.id, lab.title) for lab in load_catalog().labs.values()]
