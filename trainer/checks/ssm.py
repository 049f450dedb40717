"""Systems Manager Parameter Store checks: a parameter that must be gone.

What moto stores (verified with moto 5.2.5): GetParameter raises ParameterNotFound for a name
never created or deleted with DeleteParameter; DescribeParameters reports Type and Version
without the value, so the checks here never read a value (and never put one in a message).
"""

from __future__ import annotations

from typing import Any

from trainer.checks.registry import CheckContext, Outcome, check, failed, passed


def describe_parameter(ctx: CheckContext, name: str) -> dict[str, Any] | None:
    """DescribeParameters' entry for the parameter NAME (Type, Version, LastModifiedDate, no
    value), or None when Parameter Store has no parameter of that exact name."""

    def fetch() -> dict[str, Any] | None:
        ssm = ctx.client("ssm")
        pages = ssm.get_paginator("describe_parameters").paginate(
            ParameterFilters=[{"Key": "Name", "Option": "Equals", "Values": [name]}]
        )
        found = [p for page in pages for p in page["Parameters"] if p["Name"] == name]
        return found[0] if found else None

    return ctx.memo(("ssm.parameter", name), fetch)


_TYPE_RISK = {
    "String": (
        "a String parameter is stored in plain text: anyone allowed ssm:GetParameter or "
        "ssm:GetParametersByPath on it reads the password, no KMS key policy stands in the way, "
        "and nothing rotates it"
    ),
    "StringList": (
        "a StringList parameter is stored in plain text: anyone allowed ssm:GetParameter reads "
        "it, and no KMS key policy stands in the way"
    ),
    "SecureString": (
        "it is now a SecureString, encrypted, but it is a second copy of the credential: two "
        "places to protect, audit and rotate, and Parameter Store cannot rotate it for you"
    ),
}


@check("ssm.parameter_absent", services=("ssm",))
def parameter_absent(ctx: CheckContext, name: str, moved_to: str | None = None) -> Outcome:
    """Parameter Store has no parameter NAME (any type). MOVED_TO names where the value lives
    now (e.g. a Secrets Manager secret), for the message."""
    found = describe_parameter(ctx, name)
    if found is None:
        where = f"; its value lives only in {moved_to}" if moved_to else ""
        return passed(f"Parameter Store has no parameter {name}{where}")
    where = f" (its value belongs in {moved_to} alone)" if moved_to else ""
    kind = found.get("Type", "String")
    risk = _TYPE_RISK.get(kind, f"it is a {kind} parameter")
    version = found.get("Version")
    history = (
        f" It has {version} versions, and every one of them still holds a value."
        if isinstance(version, int) and version > 1
        else ""
    )
    return failed(
        f"parameter {name} ({kind}) still exists{where}: {risk}.{history} Delete it with "
        f"ssm.delete_parameter(Name={name!r}), which removes every version"
    )
