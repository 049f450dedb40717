"""The execution-role lab, proven both ways: the starter and wrong solutions fail on the right
check with the right message; the reference solution passes."""

from __future__ import annotations

import pytest
from helpers import REPO, failed_ids, message

ALL = {"role-exists", "trusts-sagemaker", "trusts-only-sagemaker", "trust-grants-only-assume-role"}

CREATE = """
import json, boto3
iam = boto3.client("iam")
iam.create_role(RoleName={name!r}, AssumeRolePolicyDocument=json.dumps({policy!r}))
"""


def role(policy: dict, name: str = "SageMakerExecutionRole") -> str:
    return CREATE.format(name=name, policy=policy)


def trust(principal, action="sts:AssumeRole", **extra) -> dict:
    statement = {"Effect": "Allow", "Principal": principal, "Action": action, **extra}
    return {"Version": "2012-10-17", "Statement": [statement]}


SAGEMAKER = {"Service": "sagemaker.amazonaws.com"}


def test_starter_fails_every_check(run_lab):
    report = run_lab("execution-role", (REPO / "labs/execution-role/starter.py").read_text())
    assert report.run.exit_code == 0
    assert failed_ids(report) == ALL
    assert "no role named SageMakerExecutionRole" in message(report, "role-exists")


def test_solution_passes(run_lab):
    report = run_lab("execution-role", (REPO / "labs/execution-role/solution.py").read_text())
    assert report.passed, [c.message for c in report.checks if not c.passed]


@pytest.mark.parametrize(
    "policy",
    [
        trust({"Service": ["sagemaker.amazonaws.com"]}),  # a one-element list
        {  # statement order does not matter; a Deny for someone else is fine
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Deny",
                    "Principal": {"AWS": "arn:aws:iam::999999999999:root"},
                    "Action": "sts:AssumeRole",
                },
                trust(SAGEMAKER)["Statement"][0],
            ],
        },
        trust(SAGEMAKER, action=["sts:AssumeRole"]),
    ],
)
def test_equivalent_trust_policies_pass(run_lab, policy):
    report = run_lab("execution-role", role(policy))
    assert report.passed, [c.message for c in report.checks if not c.passed]


@pytest.mark.parametrize(
    ("case", "source", "failing", "words"),
    [
        (
            "wrong role name",
            role(trust(SAGEMAKER), name="SagemakerExecutionRole"),
            ALL,
            ["no role named SageMakerExecutionRole", "roles present: SagemakerExecutionRole"],
        ),
        (
            "EC2 instead of SageMaker",
            role(trust({"Service": "ec2.amazonaws.com"})),
            {"trusts-sagemaker", "trusts-only-sagemaker"},
            ["does not let sagemaker.amazonaws.com assume it", "ec2.amazonaws.com"],
        ),
        (
            "EC2 as well as SageMaker",
            role(trust({"Service": ["sagemaker.amazonaws.com", "ec2.amazonaws.com"]})),
            {"trusts-only-sagemaker"},
            ["lets ec2.amazonaws.com (Statement[0]) assume it", "only sagemaker.amazonaws.com"],
        ),
        (
            "everyone",
            role(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        trust(SAGEMAKER)["Statement"][0],
                        trust("*")["Statement"][0],
                    ],
                }
            ),
            {"trusts-only-sagemaker"},
            ['everyone (Principal "*") (Statement[1])'],
        ),
        (
            "another account",
            role(
                trust(
                    {"Service": "sagemaker.amazonaws.com", "AWS": "arn:aws:iam::999999999999:root"}
                )
            ),
            {"trusts-only-sagemaker"},
            ["AWS principal arn:aws:iam::999999999999:root"],
        ),
        (
            "sts:* instead of sts:AssumeRole",
            role(trust(SAGEMAKER, action="sts:*")),
            {"trust-grants-only-assume-role"},
            ["grants sts:* (Statement[0])", "only sts:AssumeRole"],
        ),
        (
            "a Deny for everyone also denies SageMaker",
            role(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        trust(SAGEMAKER)["Statement"][0],
                        {"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole"},
                    ],
                }
            ),
            {"trusts-sagemaker"},
            ["explicitly denied by statement 1", "remove the Deny"],
        ),
        (
            "the right principal but the wrong action",
            role(trust(SAGEMAKER, action="sts:AssumeRoleWithWebIdentity")),
            {"trusts-sagemaker", "trust-grants-only-assume-role"},
            ["names sagemaker.amazonaws.com but does not allow sts:AssumeRole"],
        ),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 45 else None,
)
def test_wrong_solutions_fail_on_the_right_check(run_lab, case, source, failing, words):
    report = run_lab("execution-role", source)
    assert failed_ids(report) == failing, case
    text = " ".join(message(report, check_id) for check_id in failing)
    for word in words:
        assert word in text, (case, text)


def test_code_that_crashes_half_way_still_gets_every_check(run_lab):
    source = role(trust(SAGEMAKER)) + "\nraise RuntimeError('oops')\n"
    report = run_lab("execution-role", source)
    assert report.run.exit_code == 1 and "RuntimeError: oops" in report.run.stderr
    assert report.passed  # the state is what counts
