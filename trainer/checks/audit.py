"""Audit findings: any check primitive, reported as a security finding with the risk it closes.

A lab that reads like a security audit (the capstone) wraps each primitive in ``audit.finding``
with RISK, one sentence about what an attacker or an accident could do while the finding stands.
The wrapped primitive does the judging; this adds the risk to what it reports, so the same
primitive serves a teaching lab (where the README explains the risk) and an audit (where the
report must).
"""

from __future__ import annotations

from typing import Any

from trainer.checks.registry import CheckContext, Outcome, check, failed, get_primitive

# Every service a wrapped primitive may read, so the engine makes their clients early.
_ALL_SERVICES = (
    "cloudtrail",
    "ec2",
    "iam",
    "kms",
    "s3",
    "sagemaker",
    "secretsmanager",
    "ssm",
)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


@check("audit.finding", services=_ALL_SERVICES)
def finding(
    ctx: CheckContext, check: str, args: dict[str, Any], risk: str, fixed: str | None = None
) -> Outcome:
    """Run the primitive CHECK with ARGS. When it fails, its message is followed by
    ``Risk: RISK``; when it passes, by ``Closed: FIXED`` if given. Never changes the verdict."""
    primitive = get_primitive(check)
    if primitive is None or check == "audit.finding":
        # A broken lab, reported like any other failed check rather than a crash.
        return failed(f"lab error: audit.finding cannot wrap {check!r}")
    problems = primitive.argument_problems(args)
    if problems:
        return failed(f"lab error: {check}: {'; '.join(problems)}")
    outcome = primitive.fn(ctx, **args)
    if not outcome.passed:
        return failed(f"{_sentence(outcome.message)} Risk: {_sentence(risk)}")
    if fixed:
        return Outcome(True, f"{_sentence(outcome.message)} Closed: {_sentence(fixed)}")
    return outcome
