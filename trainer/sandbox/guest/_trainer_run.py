"""Runs one learner file as __main__, the way `python FILE` would, with the guard installed.

A traceback is shown from the learner's own frames only, so line numbers point into their file.
Standard library only: this file runs inside the learner's interpreter.
"""

from __future__ import annotations

import sys
import traceback

import _trainer_guard


def main() -> int:
    _trainer_guard.install()
    path = sys.argv[1]
    sys.argv = sys.argv[1:]
    sys.path[0] = str(__import__("os").path.dirname(path))
    try:
        with open(path, encoding="utf-8") as handle:
            source = handle.read()
        code = compile(source, path, "exec")
    except SyntaxError as exc:
        sys.stderr.write("".join(traceback.format_exception_only(type(exc), exc)))
        return 1
    except (OSError, UnicodeDecodeError) as exc:
        sys.stderr.write(f"cannot read {path}: {exc}\n")
        return 1
    namespace = {"__name__": "__main__", "__file__": path, "__builtins__": __builtins__}
    try:
        exec(code, namespace)
    except SystemExit:
        raise
    except BaseException as exc:  # noqa: BLE001 - report anything the learner's code raised
        # Drop this runner's own frame so the traceback starts in the learner's file.
        traceback.print_exception(type(exc), exc, exc.__traceback__.tb_next)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
