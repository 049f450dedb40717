"""Labs as typed objects, parsed once from labs/<id>/lab.yaml with FILE:LINE problems.

A lab folder holds lab.yaml, README.md (instructions), starter.py (the study page's snippet with
TODOs) and one or more reference solutions (solution.py, solution_*.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainer.problems import Problem
from trainer.yamlfile import Mapping, Sequence, YamlError, load_yaml

FORMAT_VERSION = 1
DOMAINS = ("iam", "encryption", "secrets", "network", "governance", "all")
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
REQUIRED_FILES = ("README.md", "starter.py", "solution.py")
_TOP_FIELDS = {
    "format_version": True,
    "id": True,
    "title": True,
    "summary": True,
    "section": True,
    "domain": True,
    "needs": False,
    "order": False,
    "timeout": False,
    "setup": False,
    "checks": True,
}


@dataclass(frozen=True)
class SetupStep:
    action: str
    args: dict[str, Any]
    line: int


@dataclass(frozen=True)
class CheckSpec:
    id: str
    title: str
    check: str  # a primitive name from trainer.checks
    args: dict[str, Any]
    hints: tuple[str, ...]
    line: int
    risk: str | None = None  # an audit finding's risk, said after a failure
    fixed: str | None = None  # what passing closes, said after a pass


@dataclass(frozen=True)
class Lab:
    id: str
    title: str
    summary: str
    section: str
    domain: str
    needs: tuple[str, ...]
    setup: tuple[SetupStep, ...]
    checks: tuple[CheckSpec, ...]
    folder: Path
    timeout: float | None = None
    order: int = 1000  # position in the catalog (the study page's order); ties go by id
    needs_line: int = 1
    lines: dict[str, int] = field(default_factory=dict, compare=False)

    @property
    def yaml_path(self) -> Path:
        return self.folder / "lab.yaml"

    @property
    def readme(self) -> Path:
        return self.folder / "README.md"

    @property
    def starter(self) -> Path:
        return self.folder / "starter.py"

    @property
    def solutions(self) -> list[Path]:
        """Every reference solution: solution.py first, then solution_*.py by name."""
        main = self.folder / "solution.py"
        others = sorted(self.folder.glob("solution_*.py"))
        return ([main] if main.exists() else []) + others

    def instructions(self) -> str:
        return self.readme.read_text(encoding="utf-8")

    def check_spec(self, check_id: str) -> CheckSpec | None:
        return next((c for c in self.checks if c.id == check_id), None)


class _Reader:
    """Collects problems while reading one lab.yaml, so every problem is reported at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def fields(self, node: Mapping, spec: dict[str, bool], where: str) -> None:
        for key in node:
            if key not in spec:
                allowed = ", ".join(spec)
                self.problem(
                    node.line_of(key), f"{where}: unknown field {key!r} (allowed: {allowed})"
                )
        for key, required in spec.items():
            if required and key not in node:
                self.problem(node.line, f"{where}: missing field {key!r}")

    def text(self, node: Mapping, key: str, where: str, default: str = "") -> str:
        value = node.get(key, default)
        if not isinstance(value, str) or (key in node and not value.strip()):
            self.problem(node.line_of(key), f"{where}: {key!r} must be non-empty text")
            return default
        return value

    def text_list(self, node: Mapping, key: str, where: str) -> tuple[str, ...]:
        value = node.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.problem(node.line_of(key), f"{where}: {key!r} must be a list of text")
            return ()
        return tuple(value)

    def mapping(self, value: Any, line: int, where: str) -> Mapping | None:
        if not isinstance(value, Mapping):
            self.problem(line, f"{where} must be a mapping")
            return None
        return value


def load_lab(folder: Path) -> tuple[Lab | None, list[Problem]]:
    """Parse one lab folder. Returns the lab (None when unusable) and every problem found."""
    path = folder / "lab.yaml"
    reader = _Reader(path)
    try:
        data = load_yaml(path)
    except YamlError as exc:
        return None, [Problem(exc.path, exc.line, exc.detail)]
    root = reader.mapping(data, 1, "lab.yaml")
    if root is None:
        return None, reader.problems
    reader.fields(root, _TOP_FIELDS, "lab")
    if root.get("format_version") != FORMAT_VERSION and "format_version" in root:
        reader.problem(
            root.line_of("format_version"),
            f"format_version {root.get('format_version')!r} is not supported "
            f"(this trainer reads {FORMAT_VERSION})",
        )
    lab_id = reader.text(root, "id", "lab")
    if lab_id and lab_id != folder.name:
        reader.problem(root.line_of("id"), f"id {lab_id!r} must match its folder {folder.name!r}")
    if lab_id and not ID_PATTERN.match(lab_id):
        reader.problem(root.line_of("id"), f"id {lab_id!r} must be lower-case kebab-case")
    domain = reader.text(root, "domain", "lab")
    if domain and domain not in DOMAINS:
        reader.problem(
            root.line_of("domain"), f"domain {domain!r} is not one of {', '.join(DOMAINS)}"
        )
    timeout = root.get("timeout")
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0
    ):
        reader.problem(root.line_of("timeout"), "timeout must be a positive number of seconds")
        timeout = None
    order = root.get("order", 1000)
    if isinstance(order, bool) or not isinstance(order, int):
        reader.problem(root.line_of("order"), "order must be a whole number")
        order = 1000
    for name in REQUIRED_FILES:
        if not (folder / name).is_file():
            reader.problem(root.line, f"lab folder has no {name}")
    lab = Lab(
        id=lab_id or folder.name,
        title=reader.text(root, "title", "lab"),
        summary=reader.text(root, "summary", "lab"),
        section=reader.text(root, "section", "lab"),
        domain=domain,
        needs=reader.text_list(root, "needs", "lab"),
        setup=tuple(_read_setup(reader, root)),
        checks=tuple(_read_checks(reader, root)),
        folder=folder,
        timeout=float(timeout) if timeout is not None else None,
        order=order,
        needs_line=root.line_of("needs"),
        lines=dict(root.key_lines),
    )
    return lab, reader.problems


def _read_setup(reader: _Reader, root: Mapping) -> list[SetupStep]:
    steps = root.get("setup", [])
    if not isinstance(steps, Sequence):
        reader.problem(root.line_of("setup"), "setup must be a list of actions")
        return []
    result = []
    for index, raw in enumerate(steps):
        where = f"setup[{index}]"
        node = reader.mapping(raw, steps.line_of(index), where)
        if node is None:
            continue
        reader.fields(node, {"action": True, "args": False}, where)
        args = node.get("args", Mapping())
        if not isinstance(args, dict):
            reader.problem(node.line_of("args"), f"{where}: args must be a mapping")
            args = {}
        result.append(SetupStep(reader.text(node, "action", where), dict(args), node.line))
    return result


def _read_checks(reader: _Reader, root: Mapping) -> list[CheckSpec]:
    checks = root.get("checks", [])
    if not isinstance(checks, Sequence) or not checks:
        reader.problem(root.line_of("checks"), "checks must be a non-empty list")
        return []
    result = []
    seen: set[str] = set()
    for index, raw in enumerate(checks):
        where = f"checks[{index}]"
        node = reader.mapping(raw, checks.line_of(index), where)
        if node is None:
            continue
        reader.fields(
            node,
            {
                "id": True,
                "title": True,
                "check": True,
                "args": False,
                "hints": False,
                "risk": False,
                "fixed": False,
            },
            where,
        )
        check_id = reader.text(node, "id", where)
        if check_id in seen:
            reader.problem(node.line_of("id"), f"{where}: duplicate check id {check_id!r}")
        seen.add(check_id)
        args = node.get("args", Mapping())
        if not isinstance(args, dict):
            reader.problem(node.line_of("args"), f"{where}: args must be a mapping")
            args = {}
        result.append(
            CheckSpec(
                id=check_id,
                title=reader.text(node, "title", where),
                check=reader.text(node, "check", where),
                args=dict(args),
                hints=reader.text_list(node, "hints", where),
                line=node.line,
                risk=reader.text(node, "risk", where) or None,
                fixed=reader.text(node, "fixed", where) or None,
            )
        )
    return result
