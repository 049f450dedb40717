"""A cache of parsed deck files, so a big bank is not parsed again when it has not changed.

Parsing YAML is most of the cost of loading decks. The result of reading one file by itself
(:class:`trainer.quiz.load.FileRead`: its deck, its problems, its ids) depends only on the file's
bytes and on this package's code, so it is kept under ``TRAINER_HOME/cache/quizzes``, one entry
per file path, and reused while both are unchanged. Checks across files and against the labs are
never cached. Any trouble with the cache (unreadable, stale, not writable) means a fresh parse;
the cache can be deleted at any time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trainer.quiz.load import FileRead

_FORMAT = b"quiz-cache/1"
_PACKAGE = Path(__file__).resolve().parent


def _code_stamp() -> bytes:
    """Changes whenever the code that builds a FileRead changes (size and mtime of its files)."""
    parts = []
    for name in ("load.py", "model.py", "cache.py"):
        stat = (_PACKAGE / name).stat()
        parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return ";".join(parts).encode()


def _folder() -> Path:
    from trainer.paths import home_dir

    return home_dir() / "cache" / "quizzes"


def cached_read(path: Path, read: Callable[[Path], FileRead]) -> FileRead:
    """``read(path)``, or the stored result of it for these exact bytes and this code."""
    try:
        data = path.read_bytes()
    except OSError:
        return read(path)  # the reader reports the unreadable file
    key = hashlib.sha256(b"\0".join((_FORMAT, _code_stamp(), str(path).encode(), data))).digest()
    try:
        entry = _folder() / (hashlib.sha256(str(path).encode()).hexdigest() + ".pickle")
    except OSError:
        return read(path)
    try:
        with entry.open("rb") as handle:
            # Only our own files, in the user's own home, are ever unpickled.
            stored_key, stored = pickle.load(handle)
        if stored_key == key:
            return stored
    except Exception:  # a missing, stale or damaged entry is just a miss
        pass
    result = read(path)
    _store(entry, key, result)
    return result


def _store(entry: Path, key: bytes, result: FileRead) -> None:
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a reader never sees half an entry.
        fd, temporary = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump((key, result), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, entry)
    except OSError:
        pass  # a read-only home only costs speed
