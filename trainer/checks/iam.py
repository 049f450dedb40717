"""IAM checks: roles and their trust policies."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from trainer.checks.registry import CheckContext, Outcome, check, failed, passed


def get_role(ctx: CheckContext, role: str) -> dict[str, Any] | None:
    """The role's description from IAM, or None when no role has that name."""

    def fetch() -> dict[str, Any] | None:
        iam = ctx.client("iam")
        try:
            return iam.get_role(RoleName=role)["Role"]
        except iam.exceptions.NoSuchEntityException:
            return None

    return ctx.memo(("iam.role", role), fetch)


def role_names(ctx: CheckContext) -> list[str]:
    def fetch() -> list[str]:
        pages = ctx.client("iam").get_paginator("list_roles").paginate()
        return sorted(r["RoleName"] for page in pages for r in page["Roles"])

    return ctx.memo("iam.role_names", fetch)


def missing_role(ctx: CheckContext, role: str) -> Outcome:
    """The failure every role check gives when the role is absent: name what is there instead."""
    present = role_names(ctx)
    there = f"roles present: {', '.join(present)}" if present else "there are no roles yet"
    return failed(
        f"no role named {role}; {there}. Create it with "
        f"iam.create_role(RoleName={role!r}, AssumeRolePolicyDocument=...) "
        "(names are case-sensitive)"
    )


def trust_policy(ctx: CheckContext, role: str) -> Any:
    """The role's trust policy as a parsed document (IAM may hand it back URL-encoded)."""
    description = get_role(ctx, role)
    if description is None:
        return None
    document = description["AssumeRolePolicyDocument"]
    if isinstance(document, str):
        document = json.loads(unquote(document))
    return document


@check("iam.role_exists", services=("iam",))
def role_exists(ctx: CheckContext, role: str) -> Outcome:
    description = get_role(ctx, role)
    if description is None:
        return missing_role(ctx, role)
    return passed(f"role {role} exists ({description['Arn']})")


# -- trust policies ------------------------------------------------------------------------
# The trust-policy checks judge what the policy means: which principals an Allow statement lets
# assume the role, and with which actions. Statement order, a string versus a one-element list,
# and key case in the principal block make no difference.


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _allow_statements(document: Any) -> list[tuple[int, dict]]:
    statements = _as_list(document.get("Statement")) if isinstance(document, dict) else []
    return [
        (index, s)
        for index, s in enumerate(statements)
        if isinstance(s, dict) and s.get("Effect") == "Allow"
    ]


def _principals(statement: dict) -> list[tuple[str, str]]:
    """(kind, value) pairs a statement's Principal names; ("*", "*") for everyone."""
    principal = statement.get("Principal")
    if principal == "*":
        return [("*", "*")]
    if not isinstance(principal, dict):
        return []
    return [(kind, str(value)) for kind, values in principal.items() for value in _as_list(values)]


def _describe(kind: str, value: str) -> str:
    if kind == "*" or value == "*":
        return 'everyone (Principal "*")'
    if kind == "Service":
        return value
    return f"{kind} principal {value}"


def _action_matches(pattern: str, action: str) -> bool:
    import fnmatch

    return fnmatch.fnmatchcase(action.lower(), pattern.lower().replace("[", "[[]"))


def _role_trust(ctx: CheckContext, role: str) -> tuple[Any, Outcome | None]:
    document = trust_policy(ctx, role)
    if document is None:
        return None, failed(f"cannot check the trust policy: there is no role named {role} yet")
    return document, None


@check("iam.trust_allows_service", services=("iam",))
def trust_allows_service(
    ctx: CheckContext, role: str, service: str, action: str = "sts:AssumeRole"
) -> Outcome:
    """Some Allow statement lets SERVICE perform ACTION on the role."""
    document, problem = _role_trust(ctx, role)
    if problem:
        return problem
    granted_other_action = []
    for index, statement in _allow_statements(document):
        if ("Service", service) not in _principals(statement):
            continue
        actions = _as_list(statement.get("Action"))
        if any(_action_matches(a, action) for a in actions):
            return passed(
                f"the trust policy of role {role} lets {service} call {action} (Statement[{index}])"
            )
        granted_other_action.append(f"Statement[{index}] grants {', '.join(map(str, actions))}")
    if granted_other_action:
        return failed(
            f"the trust policy of role {role} names {service} but does not allow {action}: "
            f'{"; ".join(granted_other_action)}. Set "Action": "{action}"'
        )
    named = sorted(
        {_describe(k, v) for _, s in _allow_statements(document) for k, v in _principals(s)}
    )
    actual = f"it trusts {', '.join(named)}" if named else "no Allow statement names any principal"
    return failed(
        f"the trust policy of role {role} does not let {service} assume it ({actual}); add a "
        f'statement with "Effect": "Allow", "Principal": {{"Service": "{service}"}}, '
        f'"Action": "{action}"'
    )


@check("iam.trust_only_principals", services=("iam",))
def trust_only_principals(ctx: CheckContext, role: str, allowed: list[str]) -> Outcome:
    """No Allow statement trusts any principal outside ALLOWED (service names or ARNs)."""
    document, problem = _role_trust(ctx, role)
    if problem:
        return problem
    extra = []
    for index, statement in _allow_statements(document):
        if "NotPrincipal" in statement:
            extra.append(f"everyone except the NotPrincipal list (Statement[{index}])")
        for kind, value in _principals(statement):
            if value not in allowed or kind == "*":
                extra.append(f"{_describe(kind, value)} (Statement[{index}])")
    if extra:
        expected = ", ".join(allowed)
        return failed(
            f"the trust policy of role {role} lets {'; '.join(extra)} assume it; it must trust "
            f"only {expected}. Remove the other principals: whoever can assume the role gets "
            "every permission it holds"
        )
    return passed(f"the trust policy of role {role} trusts only {', '.join(allowed)}")


@check("iam.trust_only_actions", services=("iam",))
def trust_only_actions(ctx: CheckContext, role: str, allowed: list[str]) -> Outcome:
    """The trust policy's Allow statements grant no action beyond ALLOWED."""
    document, problem = _role_trust(ctx, role)
    if problem:
        return problem
    allowed_lower = {a.lower() for a in allowed}
    extra = []
    for index, statement in _allow_statements(document):
        if "NotAction" in statement:
            extra.append(
                f"every action except {statement['NotAction']} (Statement[{index}] uses NotAction)"
            )
        for granted in map(str, _as_list(statement.get("Action"))):
            if granted.lower() not in allowed_lower:
                extra.append(f"{granted} (Statement[{index}])")
    if extra:
        return failed(
            f"the trust statement of role {role} grants {'; '.join(extra)}; it must grant only "
            f"{', '.join(allowed)}. Replace wildcards with the exact action"
        )
    return passed(f"the trust policy of role {role} grants only {', '.join(allowed)}")
