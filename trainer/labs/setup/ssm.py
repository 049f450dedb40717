"""Systems Manager setup actions: Parameter Store parameters a lab starts from."""

from __future__ import annotations

from typing import Any

from trainer.labs.setup import action


@action("ssm.parameter")
def parameter(
    sandbox: Any,
    name: str,
    value: str,
    type: str = "String",  # noqa: A002 - the API's own word
    description: str | None = None,
) -> None:
    """The Parameter Store parameter NAME holding VALUE, of TYPE ``String`` (plain text, the
    default), ``StringList`` or ``SecureString`` (encrypted with the AWS managed key aws/ssm).

    A lab that starts from "a password someone left in Parameter Store" uses a String: anyone
    allowed ssm:GetParameter reads it, and no KMS key is involved."""
    if type not in ("String", "StringList", "SecureString"):
        raise ValueError(f"type must be String, StringList or SecureString, not {type!r}")
    extra = {"Description": description} if description else {}
    sandbox.client("ssm").put_parameter(Name=name, Value=value, Type=type, **extra)
