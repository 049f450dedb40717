"""Policy documents parsed once into typed, precompiled statements.

``parse_policy`` accepts JSON text, bytes or an already decoded dict, normalises every element
AWS lets you write as a string or a list, and rejects what IAM would reject with the JSON path
of the offending element (``Statement[1].Condition``) or, for bad JSON, its line and column.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from trainer.errors import ContentError
from trainer.policy.conditions import (
    Condition,
    ConditionSyntaxError,
    build_condition,
    parse_operator,
    value_to_str,
)
from trainer.policy.matching import PatternSet, compile_regex, has_variable, resolve_variables

VERSIONS = ("2012-10-17", "2008-10-17")
_TOP_KEYS = ("Version", "Id", "Statement")
_STATEMENT_KEYS = (
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
)
_PRINCIPAL_TYPES = ("AWS", "Service", "Federated", "CanonicalUser")
# service prefix, a colon, and an action name that may hold wildcards
_ACTION_SYNTAX = re.compile(r"^[A-Za-z0-9_.-]+:[A-Za-z0-9_*?-]+$")
_ACCOUNT_ID = re.compile(r"^\d{12}$")

DIRECT = "direct"
ACCOUNT = "account"  # matched only through the caller's account: delegation to IAM


class PolicyError(ContentError):
    """A policy document IAM would reject.

    ``source`` names the document, ``path`` the JSON path of the bad element (empty for
    document-level problems), ``line``/``column`` are set for invalid JSON. ``str()`` is one
    line a learner can act on.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str = "policy",
        path: str = "",
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.source = source
        self.path = path
        self.line = line
        self.column = column
        self.detail = message
        if line is not None:
            where = f"{source}:{line}:{column}"
        elif path:
            where = f"{source}: {path}"
        else:
            where = source
        super().__init__(f"{where}: {message}")


# --- principals --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrincipalSpec:
    """A Principal/NotPrincipal element prepared for matching.

    ``"*"`` and ``{"AWS": "*"}`` both mean everyone. Account ids and ``arn:...:root`` both name
    the account (and delegate to its IAM policies); role ARNs also match that role's
    assumed-role sessions.
    """

    any: bool = False
    accounts: frozenset[str] = frozenset()
    arns: frozenset[str] = frozenset()
    role_names: frozenset[tuple[str, str]] = frozenset()
    services: frozenset[str] = frozenset()
    others: frozenset[str] = frozenset()  # Federated and CanonicalUser, compared exactly


@dataclass(frozen=True)
class Caller:
    """The principal of a request, parsed once: an ARN, an account id or a service name."""

    raw: str
    account: str | None = None
    arn: str | None = None
    role_key: tuple[str, str] | None = None
    service: str | None = None
    is_root: bool = False

    @classmethod
    def parse(cls, principal: str) -> Caller:
        text = principal.strip()
        if _ACCOUNT_ID.match(text):
            return cls(text, account=text, arn=f"arn:aws:iam::{text}:root", is_root=True)
        if text.startswith("arn:"):
            parts = text.split(":", 5)
            if len(parts) < 6:
                return cls(text, arn=text)
            service, account, resource = parts[2], parts[4] or None, parts[5]
            if service == "iam" and resource == "root":
                return cls(text, account=account, arn=text, is_root=True)
            role_key = None
            if service == "iam" and resource.startswith("role/"):
                role_key = (account or "", resource.rsplit("/", 1)[-1])
            elif service == "sts" and resource.startswith("assumed-role/"):
                pieces = resource.split("/")
                if len(pieces) >= 2:
                    role_key = (account or "", pieces[1])
            return cls(text, account=account, arn=text, role_key=role_key)
        return cls(text, service=text.lower())

    def describe(self) -> str:
        return self.raw


def match_principal(spec: PrincipalSpec, caller: Caller | None) -> str | None:
    """DIRECT when the element names the caller (or everyone), ACCOUNT when it names only the
    caller's account (a grant the account's identity policies must confirm), else None."""
    if spec.any:
        return DIRECT
    if caller is None:
        return None
    if caller.service is not None and caller.service in spec.services:
        return DIRECT
    if caller.raw in spec.others:
        return DIRECT
    if caller.arn is not None and caller.arn in spec.arns:
        return DIRECT
    if caller.role_key is not None and caller.role_key in spec.role_names:
        return DIRECT
    if caller.account is not None and caller.account in spec.accounts:
        return DIRECT if caller.is_root else ACCOUNT
    return None


def excluded_by_not_principal(spec: PrincipalSpec, caller: Caller | None) -> bool:
    """Whether NotPrincipal exempts the caller. AWS checks the account first, then the user or
    role, so an IAM principal is exempt only when both it and its account are listed."""
    if spec.any:
        return True
    if caller is None:
        return False
    if caller.service is not None and caller.service in spec.services:
        return True
    if caller.raw in spec.others:
        return True
    account_listed = caller.account is not None and caller.account in spec.accounts
    if caller.is_root:
        return account_listed
    named = (caller.arn is not None and caller.arn in spec.arns) or (
        caller.role_key is not None and caller.role_key in spec.role_names
    )
    return account_listed and named


def _build_principal(values: Mapping[str, tuple[str, ...]]) -> PrincipalSpec:
    any_ = False
    accounts: set[str] = set()
    arns: set[str] = set()
    role_names: set[tuple[str, str]] = set()
    services: set[str] = set()
    others: set[str] = set()
    for kind, items in values.items():
        for item in items:
            if kind == "AWS":
                if item == "*":
                    any_ = True
                elif _ACCOUNT_ID.match(item):
                    accounts.add(item)
                else:
                    caller = Caller.parse(item)
                    if caller.is_root and caller.account:
                        accounts.add(caller.account)
                    else:
                        arns.add(item)
                        if caller.role_key is not None and item.split(":", 5)[2] == "iam":
                            role_names.add(caller.role_key)
            elif kind == "Service":
                services.add(item.lower())
            else:
                others.add(item)
    return PrincipalSpec(
        any_,
        frozenset(accounts),
        frozenset(arns),
        frozenset(role_names),
        frozenset(services),
        frozenset(others),
    )


# --- statements and policies -------------------------------------------------------------------


@dataclass(eq=False)
class Statement:
    """One normalised statement. Element lists are tuples of strings; an element the statement
    does not have is None. ``principals``/``not_principals`` map a principal type (``AWS``,
    ``Service``, ``Federated``, ``CanonicalUser``) to its values, ``"*"`` becoming
    ``{"AWS": ("*",)}`` as AWS treats both alike."""

    index: int
    sid: str | None
    effect: str
    actions: tuple[str, ...] | None
    not_actions: tuple[str, ...] | None
    resources: tuple[str, ...] | None
    not_resources: tuple[str, ...] | None
    principals: dict[str, tuple[str, ...]] | None
    not_principals: dict[str, tuple[str, ...]] | None
    conditions: tuple[Condition, ...]
    path: str
    raw: Mapping[str, Any]
    variables: bool = True
    _actions: PatternSet = field(init=False, repr=False)
    _resources: PatternSet | None = field(init=False, repr=False)
    _resource_templates: tuple[str, ...] = field(init=False, repr=False)
    _principal: PrincipalSpec | None = field(init=False, repr=False)
    _not_principal: PrincipalSpec | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        patterns = self.actions if self.actions is not None else self.not_actions or ()
        self._actions = PatternSet(patterns, ignore_case=True)
        res = self.resources if self.resources is not None else self.not_resources
        if res is None:
            self._resources = None
            self._resource_templates = ()
        else:
            dynamic = tuple(r for r in res if self.variables and has_variable(r))
            self._resource_templates = dynamic
            self._resources = PatternSet([r for r in res if r not in dynamic])
        self._principal = _build_principal(self.principals) if self.principals is not None else None
        self._not_principal = (
            _build_principal(self.not_principals) if self.not_principals is not None else None
        )

    @property
    def is_allow(self) -> bool:
        return self.effect == "Allow"

    def matches_action(self, action_lower: str) -> bool:
        """Case-insensitive action test; the caller passes the action lowered."""
        hit = self._actions.matches(action_lower)
        return hit if self.actions is not None else not hit

    def matches_resource(self, resource: str, context: Mapping[str, tuple[str, ...]]) -> bool:
        """Case-sensitive resource test; a statement without Resource (a trust policy) matches
        any resource."""
        if self._resources is None:
            return True
        hit = self._resources.matches(resource)
        if not hit and self._resource_templates:
            for template in self._resource_templates:
                regex = resolve_variables(template, context, as_pattern=True)
                if regex is not None and compile_regex(regex)(resource):
                    hit = True
                    break
        return hit if self.resources is not None else not hit

    def match_principal(self, caller: Caller | None) -> str | None:
        """For resource-based policies: DIRECT, ACCOUNT or None (see ``match_principal``)."""
        if self._principal is not None:
            return match_principal(self._principal, caller)
        if self._not_principal is not None:
            return None if excluded_by_not_principal(self._not_principal, caller) else DIRECT
        return None

    def conditions_hold(self, context: Mapping[str, tuple[str, ...]]) -> bool:
        # A plain loop: this is the evaluator's hot path and all() over a generator is slower.
        for condition in self.conditions:  # noqa: SIM110
            if not condition.test(context):
                return False
        return True

    def describe_action_match(self, action_lower: str) -> str:
        """The pattern that made this statement apply to the action, for explanations."""
        if self.actions is None:
            return "NotAction " + ", ".join(self.not_actions or ())
        return self._actions.first_match(action_lower) or ", ".join(self.actions)

    def label(self) -> str:
        return f"statement {self.index}" + (f' "{self.sid}"' if self.sid else "")


class Policy:
    """A parsed policy: ``statements`` in document order, ``document`` the decoded JSON,
    ``source`` the name used in messages (a file name, ``inline policy X``)."""

    __slots__ = ("source", "document", "text", "version", "id", "statements", "_by_action")

    def __init__(
        self,
        source: str,
        document: Mapping[str, Any],
        text: str | None,
        version: str | None,
        policy_id: str | None,
        statements: Sequence[Statement],
    ) -> None:
        self.source = source
        self.document = document
        self.text = text
        self.version = version
        self.id = policy_id
        self.statements: tuple[Statement, ...] = tuple(statements)
        self._by_action: dict[str, tuple[Statement, ...]] = {}

    def statements_for_action(self, action_lower: str) -> tuple[Statement, ...]:
        """The statements whose Action/NotAction admits the (lowered) action, memoised: lab
        checks and simulations ask about the same few actions over and over."""
        found = self._by_action.get(action_lower)
        if found is None:
            if len(self._by_action) > 4096:
                self._by_action.clear()  # bound the memory an adversarial caller can use
            found = tuple(s for s in self.statements if s.matches_action(action_lower))
            self._by_action[action_lower] = found
        return found

    def __repr__(self) -> str:
        return f"Policy({self.source!r}, {len(self.statements)} statements)"


# --- parsing -----------------------------------------------------------------------------------


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "null" if value is None else type(value).__name__


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, message: str) -> PolicyError:
        return PolicyError(message, source=self.source, path=path)

    def strings(self, value: Any, path: str, *, allow_empty: bool = False) -> tuple[str, ...]:
        """A string or a non-empty list of strings, as AWS allows for most elements."""
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list):
            if not value and not allow_empty:
                raise self.fail(path, "must not be an empty list")
            for i, item in enumerate(value):
                if not isinstance(item, str):
                    raise self.fail(f"{path}[{i}]", f"expected a string, got {_type_name(item)}")
            return tuple(value)
        raise self.fail(path, f"expected a string or a list of strings, got {_type_name(value)}")

    def principal(self, value: Any, path: str) -> dict[str, tuple[str, ...]]:
        if value == "*":
            return {"AWS": ("*",)}
        if not isinstance(value, dict):
            raise self.fail(
                path, f'expected "*" or an object such as {{"AWS": ...}}, got {_type_name(value)}'
            )
        if not value:
            raise self.fail(path, "must name at least one principal")
        out: dict[str, tuple[str, ...]] = {}
        for kind, items in value.items():
            if kind not in _PRINCIPAL_TYPES:
                raise self.fail(
                    f"{path}.{kind}",
                    f"unknown principal type {kind!r}; use one of {', '.join(_PRINCIPAL_TYPES)}",
                )
            out[kind] = self.strings(items, f"{path}.{kind}")
        return out

    def actions(self, value: Any, path: str) -> tuple[str, ...]:
        items = self.strings(value, path)
        for i, action in enumerate(items):
            if action != "*" and not _ACTION_SYNTAX.match(action):
                where = path if isinstance(value, str) else f"{path}[{i}]"
                raise self.fail(
                    where,
                    f"{action!r} is not an action; write service:Action, e.g. s3:GetObject",
                )
        return items

    def conditions(self, value: Any, path: str, variables: bool) -> tuple[Condition, ...]:
        if not isinstance(value, dict):
            raise self.fail(path, f"expected an object of operators, got {_type_name(value)}")
        out: list[Condition] = []
        for operator, block in value.items():
            try:
                parse_operator(operator)
            except ConditionSyntaxError as exc:
                # The operator is the key of the Condition object, so the path stops there.
                raise self.fail(path, str(exc)) from None
            if not isinstance(block, dict):
                raise self.fail(
                    f"{path}.{operator}",
                    f"expected an object of condition keys, got {_type_name(block)}",
                )
            if not block:
                raise self.fail(f"{path}.{operator}", "must name at least one condition key")
            for key, raw_values in block.items():
                key_path = f"{path}.{operator}.{key}"
                items = raw_values if isinstance(raw_values, list) else [raw_values]
                if not items:
                    raise self.fail(key_path, "must not be an empty list")
                values = []
                for i, item in enumerate(items):
                    if isinstance(item, dict | list) or item is None:
                        where = f"{key_path}[{i}]" if isinstance(raw_values, list) else key_path
                        raise self.fail(
                            where,
                            f"expected a string, number or boolean, got {_type_name(item)}",
                        )
                    values.append(value_to_str(item))
                try:
                    out.append(build_condition(operator, key, tuple(values), variables=variables))
                except ConditionSyntaxError as exc:
                    raise self.fail(key_path, str(exc)) from None
        return tuple(out)

    def statement(self, raw: Any, index: int, path: str, variables: bool) -> Statement:
        if not isinstance(raw, dict):
            raise self.fail(path, f"expected a statement object, got {_type_name(raw)}")
        for key in raw:
            if key not in _STATEMENT_KEYS:
                raise self.fail(
                    f"{path}.{key}",
                    f"unknown statement element {key!r} (elements are "
                    f"{', '.join(_STATEMENT_KEYS)}; names are case-sensitive)",
                )
        sid = raw.get("Sid")
        if sid is not None and not isinstance(sid, str):
            raise self.fail(f"{path}.Sid", f"expected a string, got {_type_name(sid)}")
        if "Effect" not in raw:
            raise self.fail(path, 'missing "Effect" (write "Allow" or "Deny")')
        effect = raw["Effect"]
        if effect not in ("Allow", "Deny"):
            raise self.fail(f"{path}.Effect", f'must be "Allow" or "Deny", not {effect!r}')
        for a, b in (
            ("Action", "NotAction"),
            ("Resource", "NotResource"),
            ("Principal", "NotPrincipal"),
        ):
            if a in raw and b in raw:
                raise self.fail(path, f'has both "{a}" and "{b}"; keep one')
        if "Action" not in raw and "NotAction" not in raw:
            raise self.fail(path, 'missing "Action" (or "NotAction")')
        actions = self.actions(raw["Action"], f"{path}.Action") if "Action" in raw else None
        not_actions = (
            self.actions(raw["NotAction"], f"{path}.NotAction") if "NotAction" in raw else None
        )
        resources = self.strings(raw["Resource"], f"{path}.Resource") if "Resource" in raw else None
        not_resources = (
            self.strings(raw["NotResource"], f"{path}.NotResource")
            if "NotResource" in raw
            else None
        )
        principals = (
            self.principal(raw["Principal"], f"{path}.Principal") if "Principal" in raw else None
        )
        not_principals = (
            self.principal(raw["NotPrincipal"], f"{path}.NotPrincipal")
            if "NotPrincipal" in raw
            else None
        )
        conditions = (
            self.conditions(raw["Condition"], f"{path}.Condition", variables)
            if "Condition" in raw
            else ()
        )
        return Statement(
            index=index,
            sid=sid,
            effect=effect,
            actions=actions,
            not_actions=not_actions,
            resources=resources,
            not_resources=not_resources,
            principals=principals,
            not_principals=not_principals,
            conditions=conditions,
            path=path,
            raw=raw,
            variables=variables,
        )

    def document(self, doc: Any, text: str | None) -> Policy:
        if not isinstance(doc, dict):
            raise self.fail("", f"a policy must be a JSON object, got {_type_name(doc)}")
        for key in doc:
            if key not in _TOP_KEYS:
                raise self.fail(
                    key, f"unknown top-level element {key!r} (expected {', '.join(_TOP_KEYS)})"
                )
        version = doc.get("Version")
        if version is not None and version not in VERSIONS:
            raise self.fail(
                "Version", f'must be "2012-10-17" (or the old "2008-10-17"), not {version!r}'
            )
        policy_id = doc.get("Id")
        if policy_id is not None and not isinstance(policy_id, str):
            raise self.fail("Id", f"expected a string, got {_type_name(policy_id)}")
        if "Statement" not in doc:
            raise self.fail("", 'missing "Statement"')
        raw_statements = doc["Statement"]
        # Policy variables exist only in the 2012-10-17 language; before, ${...} is literal.
        variables = version == "2012-10-17"
        if isinstance(raw_statements, dict):
            statements = [self.statement(raw_statements, 0, "Statement", variables)]
        elif isinstance(raw_statements, list):
            if not raw_statements:
                raise self.fail("Statement", "must hold at least one statement")
            statements = [
                self.statement(raw, i, f"Statement[{i}]", variables)
                for i, raw in enumerate(raw_statements)
            ]
        else:
            raise self.fail(
                "Statement",
                f"expected a statement object or a list of them, got {_type_name(raw_statements)}",
            )
        return Policy(self.source, doc, text, version, policy_id, statements)


def parse_policy(doc: str | bytes | Mapping[str, Any], *, source: str = "policy") -> Policy:
    """Parse and validate a policy document.

    ``doc`` is JSON text (also the URL-encoded form IAM APIs return), bytes, or a decoded dict.
    Raises PolicyError naming the JSON path of the first problem, or the line and column for
    invalid JSON. The returned Policy keeps the original document and text.
    """
    parser = _Parser(source)
    text: str | None = None
    if isinstance(doc, bytes):
        try:
            doc = doc.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PolicyError(f"not UTF-8 text ({exc.reason})", source=source) from None
    if isinstance(doc, str):
        text = doc
        stripped = doc.strip()
        if stripped.startswith("%7B") or stripped.startswith("%7b"):
            stripped = urllib.parse.unquote(stripped)
            text = stripped
        if not stripped:
            raise PolicyError("the document is empty", source=source)
        try:
            decoded = json.loads(text)
        except json.JSONDecodeError as exc:
            raise PolicyError(
                f"invalid JSON: {exc.msg}", source=source, line=exc.lineno, column=exc.colno
            ) from None
        return parser.document(decoded, text)
    if isinstance(doc, Mapping):
        return parser.document(dict(doc), None)
    raise PolicyError(f"expected JSON text or an object, got {_type_name(doc)}", source=source)
