"""IAM checks: roles and their trust policies."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from trainer.checks.registry import CheckContext, Outcome, check, failed, passed, what_is_there


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
    there = what_is_there("roles", role_names(ctx))
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
# Judged by meaning through the policy engine: which principals the trust policy lets assume the
# role, with which actions. Statement order, a string versus a one-element list, the case of an
# action and Deny statements for other principals all count as AWS counts them.

# Principals that must never be trusted by accident, tried on top of those the policy names.
_OUTSIDERS = (
    "arn:aws:iam::999999999999:root",
    "arn:aws:iam::999999999999:role/SomeoneElse",
    "ec2.amazonaws.com",
    "lambda.amazonaws.com",
)
_EVERYONE_PROBE = "arn:aws:iam::999999999999:user/anyone"
# Actions a trust statement could grant beyond sts:AssumeRole.
_TRUST_ACTIONS = (
    "sts:AssumeRole",
    "sts:AssumeRoleWithWebIdentity",
    "sts:AssumeRoleWithSAML",
    "sts:TagSession",
    "sts:SetSourceIdentity",
    "sts:SetContext",
    "sts:GetFederationToken",
    "iam:PassRole",
)


def parsed_trust_policy(ctx: CheckContext, role: str) -> Any:
    """The role's trust policy as a trainer.policy.Policy, or None when there is no such role."""
    from trainer.policy import parse_policy

    def parse() -> Any:
        document = trust_policy(ctx, role)
        if document is None:
            return None
        return parse_policy(document, source=f"the trust policy of role {role}")

    return ctx.memo(("iam.trust", role), parse)


def _role_trust(ctx: CheckContext, role: str) -> tuple[Any, Outcome | None]:
    from trainer.policy import PolicyError

    try:
        policy = parsed_trust_policy(ctx, role)
    except PolicyError as exc:
        return None, failed(f"the trust policy of role {role} is malformed: {exc}")
    if policy is None:
        return None, failed(f"cannot check the trust policy: there is no role named {role} yet")
    return policy, None


def _statement_names(decision: Any) -> str:
    return ", ".join(f"Statement[{ref.index}]" for ref in decision.statements)


def _named_principals(policy: Any) -> list[tuple[str, str]]:
    """(principal to try, how to name it) for every principal the Allow statements name."""
    named = []
    for statement in policy.statements:
        if not statement.is_allow:
            continue
        if statement.not_principals is not None:
            named.append((_EVERYONE_PROBE, "everyone outside its NotPrincipal list"))
        for kind, values in (statement.principals or {}).items():
            for value in values:
                if value == "*":
                    named.append((_EVERYONE_PROBE, 'everyone (Principal "*")'))
                elif kind in ("Service", "AWS"):
                    label = value if kind == "Service" else f"AWS principal {value}"
                    named.append((value, label))
                else:
                    named.append((value, f"{kind} principal {value}"))
    return named


@check("iam.trust_allows_service", services=("iam",))
def trust_allows_service(
    ctx: CheckContext, role: str, service: str, action: str = "sts:AssumeRole"
) -> Outcome:
    """The trust policy lets SERVICE perform ACTION (normally sts:AssumeRole) on the role."""
    from trainer.policy import evaluate_trust

    policy, problem = _role_trust(ctx, role)
    if problem:
        return problem
    decision = evaluate_trust(policy, service, action)
    if decision.allowed:
        return passed(
            f"the trust policy of role {role} lets {service} call {action} "
            f"({_statement_names(decision)})"
        )
    fix = (
        f'add a statement with "Effect": "Allow", "Principal": {{"Service": "{service}"}}, '
        f'"Action": "{action}"'
    )
    mentions = [s for s in policy.statements if service in (s.principals or {}).get("Service", ())]
    if decision.decision == "explicit_deny":
        return failed(f"{decision.reason}; remove the Deny for {service}")
    if mentions:
        return failed(
            f"the trust policy of role {role} names {service} but does not allow {action} "
            f'({decision.reason}); set "Action": "{action}" in '
            f"Statement[{mentions[0].index}]"
        )
    trusted = sorted({label for _, label in _named_principals(policy)})
    actual = f"it trusts {', '.join(trusted)}" if trusted else "no Allow statement names anyone"
    return failed(
        f"the trust policy of role {role} does not let {service} assume it ({actual}); {fix}"
    )


@check("iam.trust_only_principals", services=("iam",))
def trust_only_principals(
    ctx: CheckContext, role: str, allowed: list[str], action: str = "sts:AssumeRole"
) -> Outcome:
    """No principal outside ALLOWED (service names or ARNs) may assume the role."""
    from trainer.policy import evaluate_trust

    policy, problem = _role_trust(ctx, role)
    if problem:
        return problem
    candidates = _named_principals(policy) + [(p, p) for p in _OUTSIDERS]
    extra: dict[str, str] = {}
    for principal, label in candidates:
        if principal in allowed or label in extra:
            continue
        decision = evaluate_trust(policy, principal, action)
        if decision.allowed:
            extra[label] = _statement_names(decision)
    if extra:
        listed = "; ".join(f"{label} ({where})" for label, where in extra.items())
        return failed(
            f"the trust policy of role {role} lets {listed} assume it; it must trust only "
            f"{', '.join(allowed)}. Remove the other principals: whoever can assume the role "
            "gets every permission it holds"
        )
    return passed(f"the trust policy of role {role} trusts only {', '.join(allowed)}")


@check("iam.trust_only_actions", services=("iam",))
def trust_only_actions(
    ctx: CheckContext, role: str, allowed: list[str], principal: str = "sagemaker.amazonaws.com"
) -> Outcome:
    """The trust policy grants PRINCIPAL no action beyond ALLOWED."""
    from trainer.policy import evaluate_trust

    policy, problem = _role_trust(ctx, role)
    if problem:
        return problem
    allowed_lower = {a.lower() for a in allowed}
    extra: dict[str, list[str]] = {}
    for action in _TRUST_ACTIONS:
        if action.lower() in allowed_lower:
            continue
        decision = evaluate_trust(policy, principal, action)
        for ref in decision.statements if decision.allowed else ():
            statement = policy.statements[ref.index]
            grant = statement.describe_action_match(action.lower())
            extra.setdefault(f"{grant} (Statement[{ref.index}])", []).append(action)
    if extra:
        listed = "; ".join(
            f"{grant}, which includes {', '.join(acts)}" for grant, acts in extra.items()
        )
        return failed(
            f"the trust statement of role {role} grants {listed}; it must grant only "
            f"{', '.join(allowed)}. Replace wildcards with the exact action"
        )
    return passed(f"the trust policy of role {role} grants {principal} only {', '.join(allowed)}")


# -- permission policies -------------------------------------------------------------------


def role_policies(ctx: CheckContext, role: str) -> list[Any]:
    """Every permission policy of the role, inline and attached managed (default version),
    parsed. Raises PolicyError for a malformed one (IAM itself would have refused most)."""
    from trainer.policy import parse_policy

    def fetch() -> list[Any]:
        iam = ctx.client("iam")
        policies = []
        for page in iam.get_paginator("list_role_policies").paginate(RoleName=role):
            for name in page["PolicyNames"]:
                document = iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]
                policies.append(parse_policy(_decoded(document), source=f"inline policy {name}"))
        for page in iam.get_paginator("list_attached_role_policies").paginate(RoleName=role):
            for attached in page["AttachedPolicies"]:
                arn = attached["PolicyArn"]
                version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
                document = iam.get_policy_version(PolicyArn=arn, VersionId=version)
                source = f"managed policy {attached['PolicyName']}"
                policies.append(
                    parse_policy(_decoded(document["PolicyVersion"]["Document"]), source=source)
                )
        return policies

    return ctx.memo(("iam.role_policies", role), fetch)


def _decoded(document: Any) -> Any:
    return json.loads(unquote(document)) if isinstance(document, str) else document


def _policies_or_problem(ctx: CheckContext, role: str) -> tuple[list[Any], Outcome | None]:
    from trainer.policy import PolicyError

    if get_role(ctx, role) is None:
        return [], missing_role(ctx, role)
    try:
        policies = role_policies(ctx, role)
    except PolicyError as exc:
        return [], failed(f"a policy of role {role} is malformed: {exc}")
    if not policies:
        elsewhere = [name for name in role_names(ctx) if name != role and _has_policies(ctx, name)]
        where = f"; roles that do have policies: {', '.join(elsewhere)}" if elsewhere else ""
        return [], failed(
            f"role {role} has no permission policies{where}. Attach yours to {role} with "
            "iam.put_role_policy (inline) or iam.attach_role_policy (managed)"
        )
    return policies, None


def _has_policies(ctx: CheckContext, role: str) -> bool:
    iam = ctx.client("iam")
    return bool(
        iam.list_role_policies(RoleName=role)["PolicyNames"]
        or iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
    )


def _requests(ctx: CheckContext, requests: list[dict[str, str]]) -> list[Any]:
    """Lab YAML requests ({action, resource}) as engine Requests; ${account} and ${region}
    in a resource stand for the sandbox's."""
    from trainer.policy import Request

    def resolve(text: str) -> str:
        return text.replace("${account}", ctx.account_id).replace("${region}", ctx.region)

    return [Request(r["action"], resolve(r.get("resource", "*"))) for r in requests]


def _decisions(
    ctx: CheckContext, role: str, requests: list[dict[str, str]]
) -> tuple[list[Any], Outcome | None]:
    """The engine's decision on each request against all the role's policies, or the failure
    a check gives when the role or its policies are missing or malformed."""
    from trainer.policy import evaluate

    policies, problem = _policies_or_problem(ctx, role)
    if problem:
        return [], problem
    return [evaluate(r, policies) for r in _requests(ctx, requests)], None


@check("iam.role_allows", services=("iam",))
def role_allows(ctx: CheckContext, role: str, requests: list[dict[str, str]]) -> Outcome:
    """Every request in REQUESTS is allowed by the role's policies taken together."""
    decisions, problem = _decisions(ctx, role, requests)
    if problem:
        return problem
    denied = [d for d in decisions if not d.allowed]
    if denied:
        reasons = "; ".join(d.reason for d in denied)
        return failed(
            f"role {role} cannot do what a training job needs: {reasons}. Allow each of these "
            "actions on exactly these resources"
        )
    return passed(f"role {role} is allowed all {len(requests)} requests a training job makes")


@check("iam.role_denies", services=("iam",))
def role_denies(ctx: CheckContext, role: str, requests: list[dict[str, str]]) -> Outcome:
    """No request in REQUESTS is allowed by the role's policies (least privilege)."""
    decisions, problem = _decisions(ctx, role, requests)
    if problem:
        return problem
    allowed = [d for d in decisions if d.allowed]
    if allowed:
        reasons = "; ".join(d.reason for d in allowed)
        return failed(
            f"role {role} is allowed more than it needs: {reasons}. Grant only the actions you "
            "need, on only the resources you need"
        )
    return passed(f"role {role} is denied all {len(requests)} requests it does not need")


@check("iam.role_policies_lint", services=("iam",))
def role_policies_lint(ctx: CheckContext, role: str, codes: list[str]) -> Outcome:
    """The linter finds none of CODES in the role's policies."""
    from trainer.policy import lint

    policies, problem = _policies_or_problem(ctx, role)
    if problem:
        return problem
    findings = [
        (policy, finding)
        for policy in policies
        for finding in lint(policy, "identity")
        if finding.code in codes
    ]
    if findings:
        listed = "; ".join(f"{p.source} {f.path}: {f.code}: {f.message}" for p, f in findings)
        return failed(f"the policies of role {role} are broader than they need to be: {listed}")
    return passed(f"the policies of role {role} have no {', '.join(codes)} findings")
