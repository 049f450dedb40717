"""The bucket-protection lab: default encryption, Block Public Access and a bucket policy judged
by the policy engine, proven both ways. Each wrong attempt is a mistake learners make, and must
fail on exactly the checks it breaks, with a message naming what is wrong."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import REPO, failed_ids, message

LAB = "bucket-protection"
BUCKET = "arn:aws:s3:::my-bucket"
OBJECTS = "arn:aws:s3:::my-bucket/*"
ALL_CHECKS = {
    "default-encryption",
    "bucket-key",
    "public-access-blocked",
    "deny-insecure-transport",
    "deny-unencrypted-uploads",
    "role-reads-over-tls",
    "kms-uploads-allowed",
}

KMS_RULE: dict[str, Any] = {
    "ApplyServerSideEncryptionByDefault": {
        "SSEAlgorithm": "aws:kms",
        "KMSMasterKeyID": "alias/ml-workloads",
    },
    "BucketKeyEnabled": True,
}
ALL_ON = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}
DENY_HTTP: dict[str, Any] = {
    "Sid": "DenyInsecureTransport",
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": [BUCKET, OBJECTS],
    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
}
DENY_NOT_KMS: dict[str, Any] = {
    "Sid": "DenyUploadsWithoutSseKms",
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:PutObject",
    "Resource": OBJECTS,
    "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}},
}


def changed(statement: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {**statement, **fields}


def attempt(
    rule: dict[str, Any] | None = None,
    block: dict[str, bool] | None = None,
    statements: list[dict[str, Any]] | None = None,
    prelude: str = "",
) -> str:
    """A learner's program: the three calls, each with the given part or the right one.
    PRELUDE runs first and may define names the parts refer to as "${name}"."""
    rule_code = repr(rule if rule is not None else KMS_RULE)
    policy = {"Version": "2012-10-17", "Statement": statements or [DENY_HTTP, DENY_NOT_KMS]}
    for name in ("other_key", "key_id", "key_arn", "alias_arn"):
        # Values only known at run time: the string '${name}' becomes the variable name.
        rule_code = rule_code.replace(f"'${{{name}}}'", name)
    return f"""
import json, boto3
s3 = boto3.client("s3")
kms = boto3.client("kms")
{prelude}
s3.put_bucket_encryption(Bucket="my-bucket",
    ServerSideEncryptionConfiguration={{"Rules": [{rule_code}]}})
s3.put_public_access_block(Bucket="my-bucket",
    PublicAccessBlockConfiguration={block if block is not None else ALL_ON!r})
s3.put_bucket_policy(Bucket="my-bucket", Policy=json.dumps({policy!r}))
"""


def kms_rule(key: str | None, bucket_key: bool = True, algorithm: str = "aws:kms") -> dict:
    by_default = {"SSEAlgorithm": algorithm} | ({"KMSMasterKeyID": key} if key else {})
    return {"ApplyServerSideEncryptionByDefault": by_default, "BucketKeyEnabled": bucket_key}


KEY_LOOKUP = """
metadata = kms.describe_key(KeyId="alias/ml-workloads")["KeyMetadata"]
key_id, key_arn = metadata["KeyId"], metadata["Arn"]
alias_arn = key_arn.split(":key/")[0] + ":alias/ml-workloads"
"""


def test_starter_fails(run_lab):
    report = run_lab(LAB, (REPO / "labs" / LAB / "starter.py").read_text())
    assert report.run.exit_code == 0
    assert failed_ids(report) == ALL_CHECKS
    assert "SSE-S3 (SSEAlgorithm AES256)" in message(report, "default-encryption")
    assert "IgnorePublicAcls=False" in message(report, "public-access-blocked")
    assert "bucket my-bucket has no bucket policy" in message(report, "deny-insecure-transport")


@pytest.mark.parametrize("solution", ["solution.py", "solution_key_arn.py"])
def test_reference_solutions_pass(run_lab, solution):
    report = run_lab(LAB, (REPO / "labs" / LAB / solution).read_text())
    assert report.passed, [c.message for c in report.checks if not c.passed]


@pytest.mark.parametrize("ref", ["${key_id}", "${key_arn}", "${alias_arn}"])
def test_every_way_of_naming_the_key_passes(run_lab, ref):
    report = run_lab(LAB, attempt(rule=kms_rule(ref), prelude=KEY_LOOKUP))
    assert report.passed, [c.message for c in report.checks if not c.passed]
    assert "under alias/ml-workloads (customer managed key)" in message(
        report, "default-encryption"
    )


# Policies written differently from the reference that decide every request the same way.
EQUIVALENT = [
    (
        "the two-statement exam pattern with Null",
        [
            DENY_HTTP,
            DENY_NOT_KMS,
            changed(
                DENY_NOT_KMS,
                Sid="DenyUnencryptedObjectUploads",
                Condition={"Null": {"s3:x-amz-server-side-encryption": "true"}},
            ),
        ],
    ),
    (
        # ...IfExists is true when the key is absent, so this Deny still refuses header-less
        # uploads.
        "StringNotEqualsIfExists",
        [
            DENY_HTTP,
            changed(
                DENY_NOT_KMS,
                Condition={
                    "StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption": "aws:kms"}
                },
            ),
        ],
    ),
    (
        "a JSON boolean for aws:SecureTransport and Principal AWS star",
        [
            changed(
                DENY_HTTP,
                Principal={"AWS": "*"},
                Condition={"Bool": {"aws:SecureTransport": False}},
            ),
            DENY_NOT_KMS,
        ],
    ),
]


@pytest.mark.parametrize(("case", "statements"), EQUIVALENT, ids=[c[0] for c in EQUIVALENT])
def test_equivalent_policies_pass(run_lab, case, statements):
    report = run_lab(LAB, attempt(statements=statements))
    assert report.passed, [c.message for c in report.checks if not c.passed]


WRONG = [
    (
        "SSE-S3 instead of SSE-KMS",
        attempt(rule={"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}),
        {"default-encryption", "bucket-key"},
        [
            "with SSE-S3 (SSEAlgorithm AES256), expected SSE-KMS with alias/ml-workloads",
            "an S3 Bucket Key applies only to SSE-KMS",
        ],
    ),
    (
        "the AWS managed key aws/s3",
        attempt(rule=kms_rule("alias/aws/s3")),
        {"default-encryption"},
        [
            "names alias/aws/s3, the AWS managed key aws/s3, expected the customer managed key "
            "alias/ml-workloads"
        ],
    ),
    (
        "SSE-KMS without a key",
        attempt(rule=kms_rule(None)),
        {"default-encryption"},
        ["names no KMSMasterKeyID, so S3 uses the AWS managed key aws/s3"],
    ),
    (
        "another customer managed key",
        attempt(
            rule=kms_rule("${other_key}"),
            prelude='other_key = kms.create_key(Description="scratch")["KeyMetadata"]["KeyId"]',
        ),
        {"default-encryption"},
        ["(customer managed key); expected alias/ml-workloads (customer managed key)"],
    ),
    (
        "bucket key off",
        attempt(rule=kms_rule("alias/ml-workloads", bucket_key=False)),
        {"bucket-key"},
        ["BucketKeyEnabled False (S3's default), expected True", "up to 99%"],
    ),
    (
        "DSSE-KMS instead of SSE-KMS",
        attempt(rule=kms_rule("alias/ml-workloads", bucket_key=False, algorithm="aws:kms:dsse")),
        {"default-encryption", "bucket-key"},
        ["uses DSSE-KMS (aws:kms:dsse", "DSSE-KMS, which cannot use an S3 Bucket Key"],
    ),
    (
        "three of the four public access settings",
        attempt(block={k: v for k, v in ALL_ON.items() if k != "RestrictPublicBuckets"}),
        {"public-access-blocked"},
        ["RestrictPublicBuckets=False, expected all four True", "RestrictPublicBuckets off:"],
    ),
    (
        "the TLS condition inverted",
        attempt(
            statements=[
                changed(DENY_HTTP, Condition={"Bool": {"aws:SecureTransport": "true"}}),
                DENY_NOT_KMS,
            ]
        ),
        {"deny-insecure-transport", "role-reads-over-tls", "kms-uploads-allowed"},
        [
            'statement 0 "DenyInsecureTransport" would deny, but its condition Bool '
            "aws:SecureTransport true is false here",
            "whose condition Bool aws:SecureTransport true holds here",
        ],
    ),
    (
        "StringEquals where StringNotEquals was meant",
        attempt(
            statements=[
                DENY_HTTP,
                changed(
                    DENY_NOT_KMS,
                    Condition={"StringEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}},
                ),
            ]
        ),
        {"deny-unencrypted-uploads", "kms-uploads-allowed"},
        [
            "over TLS without an x-amz-server-side-encryption header,",
            "its condition StringEquals s3:x-amz-server-side-encryption aws:kms is false here",
            "whose condition StringEquals s3:x-amz-server-side-encryption aws:kms holds",
        ],
    ),
    (
        "an Allow-only policy",
        attempt(
            statements=[
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::123456789012:role/SageMakerExecutionRole"},
                    "Action": ["s3:GetObject", "s3:PutObject"],
                    "Resource": OBJECTS,
                    "Condition": {"Bool": {"aws:SecureTransport": "true"}},
                }
            ]
        ),
        {"deny-insecure-transport", "deny-unencrypted-uploads"},
        [
            "no Deny statement covers s3:GetObject",
            "with x-amz-server-side-encryption: AES256 are not denied (an Allow matches "
            "(statement 0); no Deny statement covers s3:PutObject)",
        ],
    ),
    (
        "the TLS Deny on the objects only",
        attempt(statements=[changed(DENY_HTTP, Resource=OBJECTS), DENY_NOT_KMS]),
        {"deny-insecure-transport"},
        [
            "s3:ListBucket on arn:aws:s3:::my-bucket by role SageMakerExecutionRole over plain "
            "HTTP (aws:SecureTransport false) is not denied",
            "covers s3:ListBucket but not arn:aws:s3:::my-bucket",
        ],
    ),
    (
        "the TLS Deny for the role only",
        attempt(
            statements=[
                changed(
                    DENY_HTTP,
                    Principal={"AWS": "arn:aws:iam::123456789012:role/SageMakerExecutionRole"},
                ),
                DENY_NOT_KMS,
            ]
        ),
        {"deny-insecure-transport"},
        ['statement 0 "DenyInsecureTransport" does not apply to account 999999999999'],
    ),
    (
        "a Deny only for a wrong header, leaving header-less uploads to default encryption",
        attempt(
            statements=[
                DENY_HTTP,
                changed(
                    DENY_NOT_KMS,
                    Condition={
                        "StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"},
                        "Null": {"s3:x-amz-server-side-encryption": "false"},
                    },
                ),
            ]
        ),
        {"deny-unencrypted-uploads"},
        [
            "1 gets through: s3:PutObject on arn:aws:s3:::my-bucket/output/model.tar.gz by role "
            "SageMakerExecutionRole over TLS without an x-amz-server-side-encryption header is "
            'not denied (statement 0 "DenyInsecureTransport" would deny, but its condition Bool '
            "aws:SecureTransport false is false here; statement 1 "
            '"DenyUploadsWithoutSseKms" would deny, but its condition Null '
            "s3:x-amz-server-side-encryption false is false here)"
        ],
    ),
    (
        "the encryption Deny on every action",
        attempt(statements=[DENY_HTTP, changed(DENY_NOT_KMS, Action="s3:*")]),
        {"role-reads-over-tls"},
        [
            "s3:GetObject on arn:aws:s3:::my-bucket/training/train.csv by role "
            "SageMakerExecutionRole over TLS is explicitly denied (by statement 1 "
            '"DenyUploadsWithoutSseKms", which covers s3:* and whose condition StringNotEquals '
            "s3:x-amz-server-side-encryption aws:kms holds here)"
        ],
    ),
    (
        "a bucket policy statement without Principal",
        attempt(
            statements=[
                {k: v for k, v in DENY_HTTP.items() if k != "Principal"},
                DENY_NOT_KMS,
            ]
        ),
        {
            "deny-insecure-transport",
            "deny-unencrypted-uploads",
            "role-reads-over-tls",
            "kms-uploads-allowed",
        },
        [
            "S3 would refuse the bucket policy of my-bucket (MalformedPolicy): Statement[0]: every "
            'statement of a bucket policy needs "Principal"'
        ],
    ),
]


@pytest.mark.parametrize(("case", "source", "failing", "words"), WRONG, ids=[w[0] for w in WRONG])
def test_wrong_solutions_fail_on_the_right_check(run_lab, case, source, failing, words):
    report = run_lab(LAB, source)
    assert report.run.exit_code == 0, report.run
    assert failed_ids(report) == failing, [c.message for c in report.checks if not c.passed]
    text = " ".join(message(report, check_id) for check_id in failing)
    for word in words:
        assert word in text, text


def test_a_missing_bucket_is_named(run_lab):
    source = 'import boto3\nboto3.client("s3").delete_bucket(Bucket="my-bucket")\n'
    report = run_lab(LAB, source)
    assert failed_ids(report) == ALL_CHECKS
    assert "no bucket named my-bucket; there are no buckets" in message(report, "bucket-key")
