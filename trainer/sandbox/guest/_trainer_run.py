"""Runs one learner file as __main__, the way `python FILE` would, with the guard installed.

    _trainer_run.py [--wait] FILE

With --wait the interpreter loads boto3 first, then waits for one line on stdin, the sandbox's
endpoint URL, before it runs FILE: the toolkit starts this process while the sandbox starts and
the lab's setup runs. The learner's code then sees an empty stdin (as with `< /dev/null`).
A traceback is shown from the learner's own frames only, so line numbers point into their file.
Standard library only (boto3 is optional here): this file runs inside the learner's interpreter.
"""

from __future__ import annotations

import contextlib
import os
import sys
import traceback

import _trainer_guard


def _wait_for_go() -> bool:
    """Preload, then block until the toolkit says go. False if it went away instead."""
    with contextlib.suppress(ImportError):
        import boto3  # noqa: F401 - the learner's code imports it anyway; load it while we wait
    line = sys.stdin.buffer.readline()
    if not line.strip():
        return False
    os.environ["AWS_ENDPOINT_URL"] = line.decode().strip()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)  # processes the code starts get an empty stdin too
    os.close(devnull)
    sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - lives as long as the run
    return True


def main() -> int:
    _trainer_guard.install()
    args = sys.argv[1:]
    if args and args[0] == "--wait":
        args = args[1:]
        if not _wait_for_go():
            return 0
    path = args[0]
    sys.argv = args
    sys.path[0] = os.path.dirname(path)
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
