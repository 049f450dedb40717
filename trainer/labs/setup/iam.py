"""IAM setup actions."""

from __future__ import annotations

import json
from typing import Any

from trainer.labs.setup import action

SAGEMAKER_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "sagemaker.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


@action("iam.role")
def role(
    sandbox: Any,
    name: str,
    trust_policy: dict | None = None,
    inline_policies: dict[str, dict] | None = None,
) -> None:
    """A role (trusting SageMaker unless told otherwise), with optional inline policies."""
    iam = sandbox.client("iam")
    iam.create_role(
        RoleName=name, AssumeRolePolicyDocument=json.dumps(trust_policy or SAGEMAKER_TRUST)
    )
    for policy_name, document in (inline_policies or {}).items():
        iam.put_role_policy(
            RoleName=name, PolicyName=policy_name, PolicyDocument=json.dumps(document)
        )
