"""Errors a user can cause. Each is caught once at the CLI/TUI edge and shown as one line."""


class TrainerError(Exception):
    """A problem the user can fix (bad id, missing file, malformed content)."""

    exit_code = 2


class UsageError(TrainerError):
    """The command was asked for something that does not exist or makes no sense."""


class ContentError(TrainerError):
    """A lab or quiz file is malformed; the message names the file and line."""
