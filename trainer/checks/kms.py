"""KMS lookups shared by every check that needs a key, and the KMS key checks.

One way to name a key: ``describe_key`` accepts a key id, a key ARN, an alias name
(``alias/ml-workloads``) or an alias ARN, and all four resolve to the same key here.
"""

from __future__ import annotations

from typing import Any

from trainer.checks.registry import CheckContext


def describe_key(ctx: CheckContext, ref: str | None) -> dict[str, Any] | None:
    """The KeyMetadata of the key REF names (id, ARN, alias or alias ARN), or None."""
    if not ref:
        return None

    def fetch() -> dict[str, Any] | None:
        kms = ctx.client("kms")
        try:
            return kms.describe_key(KeyId=ref)["KeyMetadata"]
        except (kms.exceptions.NotFoundException, kms.exceptions.InvalidArnException):
            return None
        except kms.exceptions.ClientError:
            return None

    return ctx.memo(("kms.key", ref), fetch)


def same_key(ctx: CheckContext, ref: str | None, expected_ref: str) -> bool:
    """Whether REF names the same key as EXPECTED_REF, however each of them is written."""
    actual = describe_key(ctx, ref)
    expected = describe_key(ctx, expected_ref)
    return actual is not None and expected is not None and actual["KeyId"] == expected["KeyId"]


def key_label(ctx: CheckContext, ref: str | None) -> str:
    """How to name REF's key to a learner: its aliases if any, else its id; or 'no key'."""
    if not ref:
        return "no key"
    metadata = describe_key(ctx, ref)
    if metadata is None:
        return f"{ref} (no such key)"
    aliases = [
        a["AliasName"]
        for a in ctx.memo("kms.aliases", lambda: _aliases(ctx))
        if a.get("TargetKeyId") == metadata["KeyId"]
    ]
    aws_managed = metadata.get("KeyManager") == "AWS" or ref.startswith(("alias/aws/", "aws/"))
    aws_managed = aws_managed or any(a.startswith("alias/aws/") for a in aliases)
    manager = "AWS managed" if aws_managed else "customer managed"
    return f"{', '.join(aliases) or metadata['KeyId']} ({manager} key)"


def _aliases(ctx: CheckContext) -> list[dict[str, Any]]:
    pages = ctx.client("kms").get_paginator("list_aliases").paginate()
    return [a for page in pages for a in page["Aliases"]]
