"""Deciding whether a request is allowed, and explaining why.

The rules are those of the IAM user guide's "Policy evaluation logic" for a single account:

1. an explicit Deny in any applicable policy wins;
2. otherwise an Allow in an identity policy, or an Allow in the resource policy that names the
   caller, allows the request;
3. otherwise the request is implicitly denied.

A resource policy that names only the caller's account (``"AWS": "111122223333"`` or
``arn:aws:iam::111122223333:root``) delegates to that account's identity policies: it does not
allow anything on its own. A KMS key policy is stricter still: identity policies count only when
the key policy delegates to the account root (``evaluate_key_policy``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from trainer.policy.conditions import value_to_str
from trainer.policy.model import ACCOUNT, DIRECT, Caller, Policy, Statement

ALLOWED = "allowed"
EXPLICIT_DENY = "explicit_deny"
IMPLICIT_DENY = "implicit_deny"

ContextValue = str | bool | int | float | Sequence[str | bool | int | float]


def _normalise_context(context: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for key, value in context.items():
        if value is None:
            continue
        if isinstance(value, list | tuple | set | frozenset):
            out[key.lower()] = tuple(value_to_str(v) for v in value)
        else:
            out[key.lower()] = (value_to_str(value),)
    return out


def _principal_keys(caller: Caller) -> dict[str, tuple[str, ...]]:
    """Global keys AWS puts in every request context for this kind of principal."""
    keys: dict[str, tuple[str, ...]] = {}
    if caller.service is not None:
        keys["aws:principalservicename"] = (caller.service,)
        return keys
    if caller.account:
        keys["aws:principalaccount"] = (caller.account,)
    if caller.arn:
        arn = caller.arn
        if caller.role_key is not None and ":assumed-role/" in arn:
            # For a role session, aws:PrincipalArn is the role's ARN, not the session's.
            arn = f"arn:aws:iam::{caller.role_key[0]}:role/{caller.role_key[1]}"
        keys["aws:principalarn"] = (arn,)
        if ":user/" in arn:
            keys["aws:username"] = (arn.rsplit("/", 1)[-1],)
    return keys


@dataclass(frozen=True)
class Request:
    """One request to decide.

    ``principal`` is an ARN (user, role, assumed-role session, account root), a 12-digit
    account id, or a service principal such as ``sagemaker.amazonaws.com``. ``context`` maps
    condition keys (any capitalisation) to a value or a list of values; ``True``/``False``
    become ``"true"``/``"false"`` for ``Bool``. When a principal is given, ``aws:PrincipalArn``,
    ``aws:PrincipalAccount``, ``aws:PrincipalServiceName`` and (for users) ``aws:username`` are
    added unless the context sets them.
    """

    action: str
    resource: str = "*"
    principal: str | None = None
    context: Mapping[str, ContextValue] = field(default_factory=dict)
    action_lower: str = field(init=False, repr=False, compare=False)
    caller: Caller | None = field(init=False, repr=False, compare=False)
    values: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        caller = Caller.parse(self.principal) if self.principal else None
        values = _principal_keys(caller) if caller is not None else {}
        values.update(_normalise_context(self.context))
        object.__setattr__(self, "action_lower", self.action.lower())
        object.__setattr__(self, "caller", caller)
        object.__setattr__(self, "values", values)


@dataclass(frozen=True)
class StatementRef:
    """A statement that took part in a decision: which policy, which statement."""

    source: str
    index: int
    sid: str | None
    effect: str

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "index": self.index, "sid": self.sid, "effect": self.effect}


_Hit = tuple[Policy, Statement]


class Decision:
    """The outcome of an evaluation.

    ``decision`` is ``allowed``, ``explicit_deny`` or ``implicit_deny``; ``allowed`` says
    whether the request goes through; ``statements`` are the statements that decided it (the
    matching Denies for an explicit deny, the matching Allows otherwise, none for an implicit
    deny); ``reason`` is one line a learner can read.
    """

    __slots__ = ("decision", "request", "_hits", "_note", "_reason", "_refs")

    def __init__(
        self, decision: str, request: Request, hits: Sequence[_Hit] = (), note: str = ""
    ) -> None:
        self.decision = decision
        self.request = request
        self._hits = tuple(hits)
        self._note = note
        self._reason: str | None = None
        self._refs: tuple[StatementRef, ...] | None = None

    @property
    def allowed(self) -> bool:
        return self.decision == ALLOWED

    @property
    def statements(self) -> tuple[StatementRef, ...]:
        if self._refs is None:
            self._refs = tuple(
                StatementRef(p.source, s.index, s.sid, s.effect) for p, s in self._hits
            )
        return self._refs

    @property
    def reason(self) -> str:
        # Built on demand: lab checks make many decisions and read few reasons.
        if self._reason is None:
            self._reason = self._explain()
        return self._reason

    def _explain(self) -> str:
        req = self.request
        target = f"{req.action} on {req.resource}"
        if req.principal:
            target += f" by {req.principal}"
        if self.decision == IMPLICIT_DENY:
            text = f"no statement allows {target}"
            return f"{text}: {self._note}" if self._note else text
        policy, st = self._hits[0]
        verb = "allowed" if self.decision == ALLOWED else "explicitly denied"
        text = (
            f"{target} is {verb} by {st.label()} ({st.describe_action_match(req.action_lower)}) "
            f"of {policy.source}"
        )
        if len(self._hits) > 1:
            text += f" (and {len(self._hits) - 1} more)"
        return f"{text}; {self._note}" if self._note else text

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape used by ``trainer policy simulate --json``."""
        return {
            "decision": self.decision,
            "statements": [ref.to_dict() for ref in self.statements],
            "reason": self.reason,
        }

    def __repr__(self) -> str:
        return f"Decision({self.decision!r}, {self.reason!r})"


def _scan(
    policy: Policy,
    request: Request,
    resource_based: bool,
    denies: list[_Hit],
    allows: list[_Hit],
    delegations: list[_Hit],
) -> None:
    resource = request.resource
    values = request.values
    for st in policy.statements_for_action(request.action_lower):
        if not st.matches_resource(resource, values):
            continue
        how = DIRECT
        if resource_based:
            how = st.match_principal(request.caller)
            if how is None:
                continue
        if st.conditions and not st.conditions_hold(values):
            continue
        if st.effect == "Deny":
            denies.append((policy, st))
        elif how == ACCOUNT:
            delegations.append((policy, st))
        else:
            allows.append((policy, st))


def evaluate(
    request: Request,
    identity_policies: Sequence[Policy] = (),
    resource_policy: Policy | None = None,
) -> Decision:
    """Decide a request against a principal's identity policies and, optionally, the resource
    policy of the resource it targets, both of the same account.

    Any matching Deny gives ``explicit_deny``; else an identity Allow or a resource Allow that
    names the caller gives ``allowed``; else ``implicit_deny``. Identity policies' Principal
    elements are ignored (those policies belong to the caller); resource policy statements apply
    only to the principals they name. Without a principal, only ``"*"`` matches.
    """
    denies: list[_Hit] = []
    allows: list[_Hit] = []
    delegations: list[_Hit] = []
    for policy in identity_policies:
        _scan(policy, request, False, denies, allows, delegations)
    if resource_policy is not None:
        _scan(resource_policy, request, True, denies, allows, delegations)
    if denies:
        return Decision(EXPLICIT_DENY, request, denies)
    if allows:
        return Decision(ALLOWED, request, allows)
    note = ""
    if delegations:
        policy, st = delegations[0]
        note = (
            f"{st.label()} of {policy.source} grants it to the account only, which delegates "
            f"to the account's identity policies, and none of them allows it"
        )
    return Decision(IMPLICIT_DENY, request, (), note)


def evaluate_trust(
    trust_policy: Policy,
    principal: str,
    action: str = "sts:AssumeRole",
    *,
    context: Mapping[str, ContextValue] | None = None,
    identity_policies: Sequence[Policy] = (),
    role_arn: str = "*",
) -> Decision:
    """Whether ``principal`` may perform ``action`` (normally ``sts:AssumeRole``) on the role
    whose trust policy this is.

    A trust policy is the role's resource policy: it must name the principal. A trust policy
    naming only the principal's account delegates to that account's identity policies, which
    can be passed as ``identity_policies`` (with the role's ARN as ``role_arn``).
    """
    request = Request(action, role_arn, principal, context or {})
    return evaluate(request, identity_policies, trust_policy)


def evaluate_key_policy(
    key_policy: Policy,
    identity_policies: Sequence[Policy],
    request: Request,
    account_id: str,
) -> Decision:
    """Decide a KMS request: the key policy must allow the caller itself, or allow the account
    root (``arn:aws:iam::ACCOUNT:root``), which enables the caller's identity policies; identity
    policies alone never grant access to a KMS key. A Deny in any of them wins.

    ``account_id`` is the key's account; a request without a principal stands for an IAM
    principal of that account.
    """
    if request.caller is None:
        request = _with_caller(request, Caller(f"an IAM principal of {account_id}", account_id))
    denies: list[_Hit] = []
    key_allows: list[_Hit] = []
    delegations: list[_Hit] = []
    _scan(key_policy, request, True, denies, key_allows, delegations)
    identity_allows: list[_Hit] = []
    for policy in identity_policies:
        _scan(policy, request, False, denies, identity_allows, [])
    if denies:
        return Decision(EXPLICIT_DENY, request, denies)
    if key_allows:
        return Decision(ALLOWED, request, key_allows)
    if delegations:
        if identity_allows:
            return Decision(
                ALLOWED,
                request,
                identity_allows + delegations,
                note=f"the key policy delegates to arn:aws:iam::{account_id}:root",
            )
        policy, st = delegations[0]
        return Decision(
            IMPLICIT_DENY,
            request,
            (),
            f"{st.label()} of {policy.source} delegates to the account's identity policies, "
            f"and none of them allows it",
        )
    note = (
        f"the key policy neither allows the caller nor delegates to arn:aws:iam::{account_id}:root"
    )
    if identity_allows:
        note += ", so the identity policy that allows it does not count"
    return Decision(IMPLICIT_DENY, request, (), note)


def _with_caller(request: Request, caller: Caller) -> Request:
    clone = Request(request.action, request.resource, None, request.context)
    object.__setattr__(clone, "caller", caller)
    values = dict(request.values)
    values.setdefault("aws:principalaccount", (caller.account or "",))
    object.__setattr__(clone, "values", values)
    return clone
