"""S3 setup actions: buckets, and the encryption and Block Public Access state a lab starts from.

All actions are idempotent: running them again on the same state changes nothing. None of them
touches objects, so a lab may run them after a bucket policy is in place (the simulator applies
bucket policies to object requests without evaluating their conditions).
"""

from __future__ import annotations

from typing import Any

from trainer.labs.setup import action

# The four Block Public Access settings, in the order the S3 API documents them.
PUBLIC_ACCESS_BLOCK_SETTINGS = (
    "BlockPublicAcls",
    "IgnorePublicAcls",
    "BlockPublicPolicy",
    "RestrictPublicBuckets",
)


@action("s3.bucket")
def bucket(sandbox: Any, name: str) -> None:
    """An empty bucket in the sandbox's region (us-east-1 takes no location constraint)."""
    sandbox.client("s3").create_bucket(Bucket=name)


@action("s3.default_encryption")
def default_encryption(
    sandbox: Any,
    bucket: str,
    algorithm: str = "AES256",
    key: str | None = None,
    bucket_key: bool = False,
) -> None:
    """Set the existing BUCKET's default encryption: ALGORITHM (``AES256`` for SSE-S3,
    ``aws:kms`` for SSE-KMS), KEY (any key reference; only with aws:kms) and BUCKET_KEY.

    The default, SSE-S3 without a bucket key, is what S3 applies to every new bucket since
    January 2023; the simulator starts buckets with no configuration at all, so a lab that wants
    "a bucket as AWS makes it today" states it with this action.
    """
    if key and not algorithm.startswith("aws:kms"):
        raise ValueError(f"a KMS key goes only with aws:kms or aws:kms:dsse, not {algorithm}")
    by_default: dict[str, str] = {"SSEAlgorithm": algorithm}
    if key:
        by_default["KMSMasterKeyID"] = key
    sandbox.client("s3").put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [
                {"ApplyServerSideEncryptionByDefault": by_default, "BucketKeyEnabled": bucket_key}
            ]
        },
    )


@action("s3.public_access_block")
def public_access_block(
    sandbox: Any,
    bucket: str,
    block_public_acls: bool = True,
    ignore_public_acls: bool = True,
    block_public_policy: bool = True,
    restrict_public_buckets: bool = True,
) -> None:
    """Set the four Block Public Access settings of the existing BUCKET (all on unless told).

    New buckets have all four on since April 2023 (the simulator gives them none); a lab that
    starts from a bucket someone opened up turns them off here, explicitly.
    """
    values = (block_public_acls, ignore_public_acls, block_public_policy, restrict_public_buckets)
    sandbox.client("s3").put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration=dict(zip(PUBLIC_ACCESS_BLOCK_SETTINGS, values, strict=True)),
    )
