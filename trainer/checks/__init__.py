"""Check primitives: small read-only functions in a registry, composed by labs in YAML."""

from trainer.checks.registry import (
    CheckContext,
    CheckResult,
    Outcome,
    check,
    failed,
    get_primitive,
    passed,
    primitive_names,
    run_check,
)

__all__ = [
    "CheckContext",
    "CheckResult",
    "Outcome",
    "check",
    "failed",
    "get_primitive",
    "passed",
    "primitive_names",
    "run_check",
]
