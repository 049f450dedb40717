"""The Textual TUI: a thin layer over the core (labs, quiz, store). Imported only by `trainer`
with no arguments, so the CLI never pays for Textual."""


def run_app() -> int:
    from trainer.app.app import TrainerApp

    TrainerApp().run()
    return 0
