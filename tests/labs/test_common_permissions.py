"""The common-permissions lab, judged through the policy engine, proven both ways."""

from __future__ import annotations

import json

import pytest
from helpers import REPO, failed_ids, message

LAB = "common-permissions"

S3_OBJECTS = {
    "Effect": "Allow",
    "Action": ["s3:GetObject", "s3:PutObject"],
    "Resource": "arn:aws:s3:::my-bucket/*",
}
S3_LIST = {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-bucket"}
LOGS = {
    "Effect": "Allow",
    "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
    "Resource": "arn:aws:logs:*:*:*",
}
ECR = {
    "Effect": "Allow",
    "Action": ["ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
    "Resource": "*",
}


def inline(*statements: dict, role: str = "SageMakerExecutionRole", prelude: str = "") -> str:
    policy = {"Version": "2012-10-17", "Statement": list(statements)}
    return f"""
import json, boto3
iam = boto3.client("iam")
{prelude}
iam.put_role_policy(RoleName={role!r}, PolicyName="training",
                    PolicyDocument=json.dumps({json.dumps(policy)}))
"""


def test_starter_fails(run_lab):
    report = run_lab(LAB, (REPO / "labs" / LAB / "starter.py").read_text())
    assert report.run.exit_code == 0
    assert failed_ids(report) == {
        "s3-access",
        "logs-access",
        "ecr-access",
        "nothing-more",
        "no-broad-grants",
    }
    assert "role SageMakerExecutionRole has no permission policies" in message(report, "s3-access")


@pytest.mark.parametrize("solution", ["solution.py", "solution_page_managed.py"])
def test_reference_solutions_pass(run_lab, solution):
    report = run_lab(LAB, (REPO / "labs" / LAB / solution).read_text())
    assert report.passed, [c.message for c in report.checks if not c.passed]


def test_several_policies_are_judged_together(run_lab):
    source = inline(S3_OBJECTS, S3_LIST) + inline(LOGS, ECR).replace('"training"', '"more"')
    report = run_lab(LAB, source)
    assert report.passed, [c.message for c in report.checks if not c.passed]


WRONG = [
    (
        "s3:* on *",
        inline({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}, LOGS, ECR),
        {"nothing-more", "no-broad-grants"},
        [
            "s3:DeleteObject on arn:aws:s3:::my-bucket/training/train.csv is allowed by "
            "statement 0 (s3:*) of inline policy training",
            "SERVICE_WILDCARD",
        ],
    ),
    (
        "ListBucket on the object ARN",
        inline(
            {
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
                "Resource": "arn:aws:s3:::my-bucket/*",
            },
            LOGS,
            ECR,
        ),
        {"s3-access", "no-broad-grants"},
        ["no statement allows s3:ListBucket on arn:aws:s3:::my-bucket", "RESOURCE_MISMATCH"],
    ),
    (
        "a second bucket",
        inline(
            {
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:PutObject"],
                "Resource": ["arn:aws:s3:::my-bucket/*", "arn:aws:s3:::other-bucket/*"],
            },
            S3_LIST,
            LOGS,
            ECR,
        ),
        {"nothing-more"},
        ["s3:GetObject on arn:aws:s3:::other-bucket/secret.csv is allowed by statement 0"],
    ),
    (
        "a missing logs action",
        inline(
            S3_OBJECTS,
            S3_LIST,
            {
                "Effect": "Allow",
                "Action": ["logs:CreateLogGroup", "logs:CreateLogStream"],
                "Resource": "arn:aws:logs:*:*:*",
            },
            ECR,
        ),
        {"logs-access"},
        ["no statement allows logs:PutLogEvents"],
    ),
    (
        "an extra Deny that blocks a required action",
        inline(
            S3_OBJECTS,
            S3_LIST,
            LOGS,
            ECR,
            {"Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"},
        ),
        {"s3-access"},
        [
            "s3:PutObject on arn:aws:s3:::my-bucket/output/model.tar.gz is explicitly denied by "
            "statement 4"
        ],
    ),
    (
        "a policy attached to the wrong role",
        inline(
            S3_OBJECTS,
            S3_LIST,
            LOGS,
            ECR,
            role="TrainingRole",
            prelude=(
                "iam.create_role(RoleName='TrainingRole', AssumeRolePolicyDocument=json.dumps("
                "{'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Principal': "
                "{'Service': 'sagemaker.amazonaws.com'}, 'Action': 'sts:AssumeRole'}]}))"
            ),
        ),
        {"s3-access", "logs-access", "ecr-access", "nothing-more", "no-broad-grants"},
        [
            "role SageMakerExecutionRole has no permission policies; roles that do have policies: "
            "TrainingRole"
        ],
    ),
    (
        "Action star",
        inline({"Effect": "Allow", "Action": "*", "Resource": "*"}),
        {"nothing-more", "no-broad-grants"},
        ["iam:PassRole", "ACTION_STAR"],
    ),
]


@pytest.mark.parametrize(("case", "source", "failing", "words"), WRONG, ids=[w[0] for w in WRONG])
def test_wrong_solutions_fail_on_the_right_check(run_lab, case, source, failing, words):
    report = run_lab(LAB, source)
    assert failed_ids(report) == failing, [c.message for c in report.checks if not c.passed]
    text = " ".join(message(report, check_id) for check_id in failing)
    for word in words:
        assert word in text, text
