"""CloudTrail setup actions: the log bucket and key access a trail needs before it can deliver.

In AWS, CreateTrail fails unless the bucket policy lets CloudTrail write to the bucket
(InsufficientS3BucketPolicyException) and, with KmsKeyId, unless the key policy lets CloudTrail
use the key (InsufficientEncryptionPolicyException). moto enforces neither, but the lab starts
from the state a real account would need, so that what the learner sees is what AWS requires.
Both actions are idempotent: running them again on the same state changes nothing.
"""

from __future__ import annotations

import json
from typing import Any

from trainer.labs.setup import action


def _trail_arn(sandbox: Any, trail: str) -> str:
    return f"arn:aws:cloudtrail:{sandbox.region}:{sandbox.account_id}:trail/{trail}"


def log_bucket_policy(bucket: str, trail_arn: str, account_id: str) -> dict[str, Any]:
    """The bucket policy the CloudTrail User Guide gives for a trail's log bucket, scoped to one
    trail with aws:SourceArn."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AWSCloudTrailAclCheck",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "s3:GetBucketAcl",
                "Resource": f"arn:aws:s3:::{bucket}",
                "Condition": {"StringEquals": {"aws:SourceArn": trail_arn}},
            },
            {
                "Sid": "AWSCloudTrailWrite",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "s3:PutObject",
                "Resource": f"arn:aws:s3:::{bucket}/AWSLogs/{account_id}/*",
                "Condition": {
                    "StringEquals": {
                        "s3:x-amz-acl": "bucket-owner-full-control",
                        "aws:SourceArn": trail_arn,
                    }
                },
            },
        ],
    }


@action("cloudtrail.log_bucket")
def log_bucket(sandbox: Any, name: str, trail: str) -> None:
    """The bucket NAME with a policy that lets CloudTrail deliver the trail TRAIL's logs to it."""
    s3 = sandbox.client("s3")
    # us-east-1: creating a bucket you already own succeeds, so a second run is harmless.
    s3.create_bucket(Bucket=name)
    policy = log_bucket_policy(name, _trail_arn(sandbox, trail), sandbox.account_id)
    s3.put_bucket_policy(Bucket=name, Policy=json.dumps(policy))


def key_policy_for_trail(account_id: str, trail_arn: str) -> dict[str, Any]:
    """A key policy that keeps the account in control and lets CloudTrail encrypt the trail's
    log files (the statements the CloudTrail User Guide requires, with aws:SourceArn)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Enable IAM User Permissions",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Sid": "Allow CloudTrail to encrypt logs",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "kms:GenerateDataKey*",
                "Resource": "*",
                "Condition": {
                    "StringEquals": {"aws:SourceArn": trail_arn},
                    "StringLike": {
                        "kms:EncryptionContext:aws:cloudtrail:arn": (
                            f"arn:aws:cloudtrail:*:{account_id}:trail/*"
                        )
                    },
                },
            },
            {
                "Sid": "Allow CloudTrail to describe key",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "kms:DescribeKey",
                "Resource": "*",
            },
        ],
    }


@action("cloudtrail.key_access")
def key_access(sandbox: Any, key: str, trail: str) -> None:
    """Give the existing key KEY (alias or id) the key policy CloudTrail needs for TRAIL."""
    kms = sandbox.client("kms")
    key_id = kms.describe_key(KeyId=key)["KeyMetadata"]["KeyId"]
    policy = key_policy_for_trail(sandbox.account_id, _trail_arn(sandbox, trail))
    kms.put_key_policy(KeyId=key_id, PolicyName="default", Policy=json.dumps(policy))
