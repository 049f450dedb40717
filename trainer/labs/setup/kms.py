"""KMS setup actions."""

from __future__ import annotations

from typing import Any

from trainer.labs.setup import action


@action("kms.key")
def key(
    sandbox: Any,
    alias: str,
    description: str = "Key for ML workloads",
    tags: dict[str, str] | None = None,
    rotation: bool = True,
) -> None:
    """A symmetric ENCRYPT_DECRYPT customer managed key reachable through ALIAS.

    Defaults match what the kms-key lab teaches (description, yearly rotation on), so a lab that
    "starts from the lab key" starts from a well-made one. ALIAS must start with ``alias/``.
    """
    kms = sandbox.client("kms")
    tag_list = [{"TagKey": k, "TagValue": v} for k, v in (tags or {}).items()]
    metadata = kms.create_key(
        Description=description,
        KeyUsage="ENCRYPT_DECRYPT",
        KeySpec="SYMMETRIC_DEFAULT",
        **({"Tags": tag_list} if tag_list else {}),
    )["KeyMetadata"]
    if rotation:
        kms.enable_key_rotation(KeyId=metadata["KeyId"])
    kms.create_alias(AliasName=alias, TargetKeyId=metadata["KeyId"])
