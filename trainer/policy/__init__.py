"""The IAM policy engine: parse policy documents, decide requests, lint for least privilege.

Nothing here imports a UI library; the CLI and the labs are thin callers.
"""

from trainer.policy.evaluate import (
    ALLOWED,
    EXPLICIT_DENY,
    IMPLICIT_DENY,
    Decision,
    Request,
    StatementRef,
    evaluate,
    evaluate_key_policy,
    evaluate_trust,
)
from trainer.policy.lint import Finding, lint
from trainer.policy.model import Policy, PolicyError, Statement, parse_policy

__all__ = [
    "ALLOWED",
    "EXPLICIT_DENY",
    "IMPLICIT_DENY",
    "Decision",
    "Finding",
    "Policy",
    "PolicyError",
    "Request",
    "Statement",
    "StatementRef",
    "evaluate",
    "evaluate_key_policy",
    "evaluate_trust",
    "lint",
    "parse_policy",
]
