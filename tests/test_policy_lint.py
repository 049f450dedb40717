"""Linter findings, one table row per code and kind, judged with the offline IAM data."""

from __future__ import annotations

from typing import Any

import pytest

from trainer.policy import lint, parse_policy
from trainer.policy.catalog import action_info, data_version, expand_action

BUCKET = "arn:aws:s3:::my-bucket"
ACCOUNT = "111122223333"


def doc(*statements: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def trust(principal: Any, **extra: Any) -> dict:
    return doc({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole", **extra})


SEED_COMMON_PERMISSIONS = doc(
    allow(["s3:GetObject", "s3:PutObject", "s3:ListBucket"], [BUCKET, f"{BUCKET}/*"]),
    allow(
        ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
        "arn:aws:logs:*:*:*",
    ),
    allow(["ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], "*"),
)

# (id, document, kind, expected (code, path) pairs; exactly these and nothing else)
CASES: list[tuple[str, dict | str, str, list[tuple[str, str]]]] = [
    ("clean-scoped", doc(allow("s3:GetObject", f"{BUCKET}/*")), "identity", []),
    (
        "action-star",
        doc(allow("*", f"{BUCKET}/*")),
        "identity",
        [("ACTION_STAR", "Statement[0].Action")],
    ),
    (
        "service-wildcard",
        doc(allow(["s3:GetObject", "s3:*"], f"{BUCKET}/*")),
        "identity",
        [("SERVICE_WILDCARD", "Statement[0].Action[1]")],
    ),
    (
        "unknown-action",
        doc(allow("s3:GetObjects", f"{BUCKET}/*")),
        "identity",
        [("UNKNOWN_ACTION", "Statement[0].Action")],
    ),
    (
        "unknown-service",
        doc(allow("sagemakr:CreateTrainingJob", "*")),
        "identity",
        [("UNKNOWN_ACTION", "Statement[0].Action")],
    ),
    (
        "wildcard-matching-nothing",
        doc(allow("s3:Fly*", "*")),
        "identity",
        [("UNKNOWN_ACTION", "Statement[0].Action")],
    ),
    (
        "resource-star-but-arn-possible",
        doc(allow("s3:GetObject", "*")),
        "identity",
        [("RESOURCE_STAR_BUT_ARN_POSSIBLE", "Statement[0].Resource")],
    ),
    ("star-only-action-not-flagged", doc(allow("ecr:GetAuthorizationToken", "*")), "identity", []),
    (
        "list-bucket-on-objects",
        doc(allow("s3:ListBucket", f"{BUCKET}/*")),
        "identity",
        [
            ("RESOURCE_MISMATCH", "Statement[0].Action"),
            ("RESOURCE_MISMATCH", "Statement[0].Resource"),
        ],
    ),
    (
        "get-object-on-bucket",
        doc(allow("s3:GetObject", BUCKET)),
        "identity",
        [
            ("RESOURCE_MISMATCH", "Statement[0].Action"),
            ("RESOURCE_MISMATCH", "Statement[0].Resource"),
        ],
    ),
    (
        "star-only-action-on-arn",
        doc(allow("ecr:GetAuthorizationToken", f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/r")),
        "identity",
        [
            ("RESOURCE_MISMATCH", "Statement[0].Action"),
            ("RESOURCE_MISMATCH", "Statement[0].Resource"),
        ],
    ),
    (
        "dead-resource-in-list",
        doc(allow(["s3:GetObject"], [f"{BUCKET}/*", "arn:aws:dynamodb:us-east-1:1:table/t"])),
        "identity",
        [("RESOURCE_MISMATCH", "Statement[0].Resource[1]")],
    ),
    (
        "seed-page-policy",
        SEED_COMMON_PERMISSIONS,
        "identity",
        # ECR image pulls can be scoped to repositories; GetAuthorizationToken cannot.
        [("RESOURCE_STAR_BUT_ARN_POSSIBLE", "Statement[2].Resource")],
    ),
    ("deny-star-is-fine", doc({"Effect": "Deny", "Action": "*", "Resource": "*"}), "identity", []),
    (
        "identity-with-principal",
        doc(allow("s3:GetObject", f"{BUCKET}/*", Principal="*")),
        "identity",
        [("MALFORMED", "Statement[0]")],
    ),
    (
        "identity-without-resource",
        doc({"Effect": "Allow", "Action": "s3:GetObject"}),
        "identity",
        [("MALFORMED", "Statement[0]")],
    ),
    (
        "duplicate-sid",
        doc(
            allow("s3:GetObject", f"{BUCKET}/*", Sid="Read"),
            allow("s3:PutObject", f"{BUCKET}/*", Sid="Read"),
        ),
        "identity",
        [("MALFORMED", "Statement[1].Sid")],
    ),
    (
        "allow-not-action",
        doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}),
        "identity",
        [("ALLOW_NOT_ACTION", "Statement[0].NotAction")],
    ),
    ("trust-service", trust({"Service": "sagemaker.amazonaws.com"}), "trust", []),
    ("trust-star", trust("*"), "trust", [("TRUST_TOO_BROAD", "Statement[0].Principal")]),
    (
        "trust-aws-star",
        trust({"AWS": "*"}),
        "trust",
        [("TRUST_TOO_BROAD", "Statement[0].Principal")],
    ),
    (
        "trust-with-resource",
        doc(
            {
                "Effect": "Allow",
                "Principal": {"Service": "sagemaker.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Resource": "*",
            }
        ),
        "trust",
        [("MALFORMED", "Statement[0]")],
    ),
    (
        "trust-without-principal",
        doc({"Effect": "Allow", "Action": "sts:AssumeRole"}),
        "trust",
        [("MALFORMED", "Statement[0]")],
    ),
    (
        "resource-policy-needs-principal",
        doc(allow("s3:GetObject", f"{BUCKET}/*")),
        "resource",
        [("MALFORMED", "Statement[0]")],
    ),
    (
        "bucket-policy-public",
        doc(allow("s3:GetObject", f"{BUCKET}/*", Principal="*")),
        "resource",
        [("PRINCIPAL_STAR", "Statement[0].Principal")],
    ),
    (
        "not-principal-with-allow",
        doc(allow("s3:GetObject", f"{BUCKET}/*", NotPrincipal={"AWS": ACCOUNT})),
        "resource",
        [("MALFORMED", "Statement[0].NotPrincipal")],
    ),
    (
        "default-key-policy",
        doc(allow("kms:*", "*", Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"})),
        "key",
        [],
    ),
    (
        "key-policy-kms-star-to-role",
        doc(allow("kms:*", "*", Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:role/app"})),
        "key",
        [("SERVICE_WILDCARD", "Statement[0].Action")],
    ),
    (
        "malformed-json",
        '{"Version": "2012-10-17", "Statement": [',
        "identity",
        [("MALFORMED", "line 1, column 41")],
    ),
    (
        "malformed-condition",
        doc(allow("s3:GetObject", f"{BUCKET}/*", Condition={"StringEqualz": {"k": "v"}})),
        "identity",
        [("MALFORMED", "Statement[0].Condition")],
    ),
]


@pytest.mark.parametrize(
    "document,kind,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_lint(document: dict | str, kind: str, expected: list[tuple[str, str]]) -> None:
    findings = lint(document, kind)
    assert [(f.code, f.path) for f in findings] == expected, [str(f) for f in findings]
    for f in findings:
        assert f.severity in ("error", "warning", "info")
        assert f.message and "\n" not in f.message


def test_trust_of_another_account_is_flagged_when_account_known() -> None:
    policy = parse_policy(trust({"AWS": ["arn:aws:iam::444455556666:root", ACCOUNT]}))
    findings = lint(policy, "trust", account_id=ACCOUNT)
    assert [(f.code, f.path) for f in findings] == [
        ("TRUST_TOO_BROAD", "Statement[0].Principal.AWS[0]")
    ]
    assert "444455556666" in findings[0].message
    assert lint(policy, "trust") == []


def test_messages_say_what_to_do() -> None:
    (finding,) = lint(doc(allow("s3:GetObjekt", f"{BUCKET}/*")))
    assert "did you mean s3:GetObject" in finding.message
    mismatch = lint(doc(allow("s3:ListBucket", f"{BUCKET}/*")))[0]
    assert "arn:aws:s3:::${BucketName}" in mismatch.message
    (star,) = lint(doc(allow("s3:GetObject", "*")))
    assert "list the ARNs needed" in star.message


def test_severities_of_the_core_codes() -> None:
    by_code = {
        f.code: f.severity
        for f in lint(doc(allow(["*", "s3:*"], "*"), allow("s3:ListBucket", f"{BUCKET}/*")))
    }
    assert by_code["ACTION_STAR"] == "error"
    assert by_code["SERVICE_WILDCARD"] == "warning"
    assert by_code["RESOURCE_MISMATCH"] == "error"


def test_unknown_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="kind must be one of"):
        lint(doc(allow("s3:GetObject")), "session")


def test_catalog_comes_from_offline_iam_data() -> None:
    assert data_version().startswith("0.1.")
    info = action_info("S3:LISTBUCKET")
    assert info is not None and info.name == "s3:ListBucket"
    assert {rt.name for rt in info.resource_types} >= {"bucket"}
    token = action_info("ecr:GetAuthorizationToken")
    assert token is not None and token.wildcard_only
    assert action_info("s3:NoSuchThing") is None
    assert "s3:GetObject" in expand_action("s3:Get*")
