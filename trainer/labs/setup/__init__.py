"""Setup actions: what a lab pre-creates in the sandbox before the learner's code runs.

An action is a function ``fn(sandbox, **args)`` registered under a dotted name (``s3.bucket``).
The engine runs a lab's actions once, in order, on a freshly reset sandbox (never twice on the
same state), so an action need not be idempotent; it raises only when the lab is broken.
A new kind of action is a new module in this package; nothing else to edit.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from typing import Any

ActionFn = Callable[..., None]
_ACTIONS: dict[str, ActionFn] = {}


def action(name: str) -> Callable[[ActionFn], ActionFn]:
    def register(fn: ActionFn) -> ActionFn:
        if name in _ACTIONS:
            raise RuntimeError(f"setup action {name} registered twice")
        _ACTIONS[name] = fn
        return fn

    return register


def get_action(name: str) -> ActionFn | None:
    _load_all()
    return _ACTIONS.get(name)


def argument_problems(name: str, args: dict[str, Any]) -> list[str]:
    """What is wrong with a lab's call of action NAME (empty when fine)."""
    fn = get_action(name)
    if fn is None:
        return [f"unknown setup action {name!r} (known: {', '.join(sorted(_ACTIONS))})"]
    try:
        inspect.signature(fn).bind(None, **args)
    except TypeError as exc:
        return [f"setup action {name}: {exc}"]
    return []


def run_setup(sandbox: Any, steps: Any) -> None:
    for step in steps:
        fn = get_action(step.action)
        if fn is None:
            raise RuntimeError(f"unknown setup action {step.action!r}")
        fn(sandbox, **step.args)


@functools.cache
def _load_all() -> None:
    # Once per process: every action lookup asks.
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
