"""The check registry: small read-only functions a lab composes in its lab.yaml.

A check primitive is a function ``fn(ctx, **args) -> Outcome`` registered under a dotted name
(``iam.role_exists``). It reads sandbox state through ``ctx`` and never changes it. It returns
``passed(...)`` or ``failed(...)``; the message of a failure says what is wrong, then what to do,
with expected versus actual.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from trainer.sandbox.runner import RunResult


@dataclass(frozen=True)
class Outcome:
    passed: bool
    message: str


def what_is_there(plural: str, names: list[str], *, limit: int = 8, sep: str = ", ") -> str:
    """How a "not found" message names what exists instead: "roles present: a, b" (at most
    LIMIT, then "and N more"), or "there are no roles yet"."""
    if not names:
        return f"there are no {plural} yet"
    shown = sep.join(names[:limit])
    if len(names) > limit:
        shown += f" and {len(names) - limit} more"
    return f"{plural} present: {shown}"


def passed(message: str) -> Outcome:
    return Outcome(True, message)


def failed(message: str) -> Outcome:
    return Outcome(False, message)


@dataclass(frozen=True)
class CheckResult:
    id: str
    title: str
    passed: bool
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "passed": self.passed, "message": self.message}


@dataclass
class CheckContext:
    """What a check may look at: the sandbox (through read-only use of its clients) and the run."""

    sandbox: Any  # trainer.sandbox.Sandbox
    run: RunResult | None = None
    _memo: dict[Any, Any] = field(default_factory=dict)

    def client(self, service: str) -> Any:
        return self.sandbox.client(service)

    @property
    def account_id(self) -> str:
        return self.sandbox.account_id

    @property
    def region(self) -> str:
        return self.sandbox.region

    def memo(self, key: Any, compute: Callable[[], Any]) -> Any:
        """Compute a lookup once per lab check (several checks often read the same role)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


CheckFn = Callable[..., Outcome]


@dataclass(frozen=True)
class Primitive:
    name: str
    fn: CheckFn
    services: tuple[str, ...]  # AWS services it reads, so their clients can be made early
    required: frozenset[str]
    optional: frozenset[str]

    def argument_problems(self, args: dict[str, Any]) -> list[str]:
        """What is wrong with the arguments a lab gives this check (empty when fine)."""
        problems = [f"unknown argument {name!r}" for name in args if name not in self.accepts]
        problems += [f"missing argument {name!r}" for name in sorted(self.required - set(args))]
        return problems

    @property
    def accepts(self) -> frozenset[str]:
        return self.required | self.optional


_REGISTRY: dict[str, Primitive] = {}


def check(name: str, *, services: tuple[str, ...] = ()) -> Callable[[CheckFn], CheckFn]:
    """Register a check primitive under NAME."""

    def register(fn: CheckFn) -> CheckFn:
        if name in _REGISTRY:
            raise RuntimeError(f"check primitive {name} registered twice")
        params = list(inspect.signature(fn).parameters.values())[1:]  # skip ctx
        required = frozenset(p.name for p in params if p.default is inspect.Parameter.empty)
        optional = frozenset(p.name for p in params if p.default is not inspect.Parameter.empty)
        _REGISTRY[name] = Primitive(name, fn, services, required, optional)
        return fn

    return register


def get_primitive(name: str) -> Primitive | None:
    _load_all()
    return _REGISTRY.get(name)


def primitive_names() -> list[str]:
    _load_all()
    return sorted(_REGISTRY)


def run_check(
    ctx: CheckContext,
    check_id: str,
    title: str,
    name: str,
    args: dict[str, Any],
    *,
    risk: str | None = None,
    fixed: str | None = None,
) -> CheckResult:
    """Run one check; an exception inside it becomes a failed result, never a crash.

    A lab that reads as a security audit gives a check RISK (what can go wrong while it fails,
    said after a failure as "Risk: ...") and FIXED (what passing closes, "Closed: ...")."""
    primitive = get_primitive(name)
    if primitive is None:
        return CheckResult(check_id, title, False, f"unknown check primitive {name!r}")
    try:
        outcome = primitive.fn(ctx, **args)
    except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others
        detail = str(exc).splitlines()[0] if str(exc) else ""
        outcome = failed(f"could not be checked: {type(exc).__name__}: {detail}")
    message = outcome.message
    note = (
        (fixed and f"Closed: {_sentence(fixed)}")
        if outcome.passed
        else (risk and f"Risk: {_sentence(risk)}")
    )
    if note:
        message = f"{_sentence(message)} {note}"
    return CheckResult(check_id, title, outcome.passed, message)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


@functools.cache
def _load_all() -> None:
    # Importing every module of this package registers its primitives; a new kind of check is
    # a new module here, nothing else to edit. Once per process: every check lookup asks.
    import importlib
    import pkgutil

    import trainer.checks as package

    for module in pkgutil.iter_modules(package.__path__):
        if module.name != "registry":
            importlib.import_module(f"trainer.checks.{module.name}")
