"""The secrets-manager lab, proven both ways: the starter and realistic wrong solutions fail on
the right check with the right message; every reference solution passes. No check message may
ever contain the password."""

from __future__ import annotations

import pytest
from helpers import REPO, failed_ids, message

LAB = REPO / "labs/secrets-manager"
ALL = {"secret-exists", "secret-is-json", "encrypted-with-lab-key", "password-not-logged"}
PASSWORD = "s3cr3t-Pa55word"

CREDENTIALS = f'json.dumps({{"username": "admin", "password": "{PASSWORD}"}})'
PRELUDE = """
import json, boto3
sm = boto3.client("secretsmanager")
kms = boto3.client("kms")
"""


def create(
    value: str = CREDENTIALS,
    name: str = "ml/database-credentials",
    key: str | None = '"alias/ml-workloads"',
    after: str = "",
) -> str:
    key_arg = f", KmsKeyId={key}" if key else ""
    return f"{PRELUDE}\nsm.create_secret(Name={name!r}, SecretString={value}{key_arg})\n{after}"


def no_password_anywhere(report) -> None:
    for check in report.checks:
        assert PASSWORD not in check.message, check.id


def test_starter_fails(run_lab):
    report = run_lab("secrets-manager", (LAB / "starter.py").read_text())
    assert report.run.exit_code == 0
    assert failed_ids(report) == {"encrypted-with-lab-key", "password-not-logged"}
    assert "default alias/aws/secretsmanager key" in message(report, "encrypted-with-lab-key")
    assert "secret123" not in " ".join(c.message for c in report.checks)


@pytest.mark.parametrize("solution", sorted(p.name for p in LAB.glob("solution*.py")))
def test_solutions_pass(run_lab, solution):
    report = run_lab("secrets-manager", (LAB / solution).read_text())
    assert report.run.ok, report.run.stderr
    assert report.passed, [c.message for c in report.checks if not c.passed]


@pytest.mark.parametrize(
    "key",
    [
        '"alias/ml-workloads"',
        'kms.describe_key(KeyId="alias/ml-workloads")["KeyMetadata"]["Arn"]',
        'kms.describe_key(KeyId="alias/ml-workloads")["KeyMetadata"]["KeyId"]',
        '"arn:aws:kms:us-east-1:123456789012:alias/ml-workloads"',
    ],
    ids=["alias", "key ARN", "key id", "alias ARN"],
)
def test_every_way_of_naming_the_key_passes(run_lab, key):
    report = run_lab("secrets-manager", create(key=key))
    assert report.passed, [c.message for c in report.checks if not c.passed]


@pytest.mark.parametrize(
    ("case", "source", "failing", "words"),
    [
        (
            "wrong secret name",
            create(name="ml/db-credentials"),
            ALL,
            ["no secret named ml/database-credentials", "secrets present: ml/db-credentials"],
        ),
        (
            "default aws/secretsmanager key (the page's snippet as written)",
            create(key=None),
            {"encrypted-with-lab-key"},
            ["default alias/aws/secretsmanager key", "KmsKeyId='alias/ml-workloads'"],
        ),
        (
            "the AWS managed key named explicitly",
            create(key='"alias/aws/secretsmanager"'),
            {"encrypted-with-lab-key"},
            ["default alias/aws/secretsmanager key"],
        ),
        (
            "another customer managed key",
            PRELUDE
            + 'other = kms.create_key(Description="scratch")["KeyMetadata"]["KeyId"]\n'
            + 'kms.create_alias(AliasName="alias/scratch", TargetKeyId=other)\n'
            + create(key="other").replace(PRELUDE, ""),
            {"encrypted-with-lab-key"},
            ["encrypted with alias/scratch (customer managed key)", "expected the lab key"],
        ),
        (
            "the lab key, scheduled for deletion",
            create(
                after='kms.schedule_key_deletion(KeyId=kms.describe_key(KeyId="alias/ml-workloads")'
                '["KeyMetadata"]["KeyId"], PendingWindowInDays=7)'
            ),
            {"encrypted-with-lab-key"},
            ["PendingDeletion", "cannot decrypt"],
        ),
        (
            "a plain string, not JSON",
            create(value=f'"admin:{PASSWORD}"'),
            {"secret-is-json", "password-not-logged"},
            ["is not JSON", "cannot check: secret ml/database-credentials has no non-empty"],
        ),
        (
            "JSON without a password",
            create(value='json.dumps({"user": "admin", "pass": "x"})'),
            {"secret-is-json", "password-not-logged"},
            ["'username' is missing; 'password' is missing", "keys present: 'pass', 'user'"],
        ),
        (
            "an empty password",
            create(value='json.dumps({"username": "admin", "password": ""})'),
            {"secret-is-json", "password-not-logged"},
            ["'password' is empty"],
        ),
        (
            "a JSON array",
            create(value=f'json.dumps(["admin", "{PASSWORD}"])'),
            {"secret-is-json", "password-not-logged"},
            ["is a JSON array; expected an object"],
        ),
        (
            "printing the parsed credentials",
            create(
                after='print(json.loads(sm.get_secret_value(SecretId="ml/database-credentials")'
                '["SecretString"]))'
            ),
            {"password-not-logged"},
            ["appears in your code's output: stdout (line 1)", "Never print or log a secret"],
        ),
        (
            "printing the whole GetSecretValue response",
            create(after='print(sm.get_secret_value(SecretId="ml/database-credentials"))'),
            {"password-not-logged"},
            ["stdout (line 1)"],
        ),
        (
            "logging the password to stderr",
            create(
                after="import logging\nlogging.basicConfig()\n"
                f'logging.warning("connecting with %s", "{PASSWORD}")'
            ),
            {"password-not-logged"},
            ["stderr (line 1)"],
        ),
        (
            "a secret scheduled for deletion",
            create(after='sm.delete_secret(SecretId="ml/database-credentials")'),
            ALL,
            ["scheduled for deletion", "restore_secret", "cannot check"],
        ),
        (
            "credentials stored as SecretBinary",
            PRELUDE
            + 'sm.create_secret(Name="ml/database-credentials", KmsKeyId="alias/ml-workloads", '
            + f"SecretBinary={CREDENTIALS}.encode())",
            {"secret-is-json", "password-not-logged"},
            ["holds SecretBinary"],
        ),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 70 else None,
)
def test_wrong_solutions_fail_on_the_right_check(run_lab, case, source, failing, words):
    report = run_lab("secrets-manager", source)
    assert failed_ids(report) == failing, (case, [c.message for c in report.checks])
    text = " ".join(message(report, check_id) for check_id in failing)
    for word in words:
        assert word in text, (case, text)
    no_password_anywhere(report)


def test_a_password_with_quotes_is_found_in_its_escaped_forms(run_lab):
    # json.dumps and repr escape a quote or backslash, so the raw text is not what gets printed.
    source = create(
        value='json.dumps({"username": "admin", "password": "pa\\"ss\\\\word"})',
        after='print(sm.get_secret_value(SecretId="ml/database-credentials")["SecretString"])\n'
        'print(repr(json.loads(sm.get_secret_value(SecretId="ml/database-credentials")'
        '["SecretString"])))',
    )
    report = run_lab("secrets-manager", source)
    assert failed_ids(report) == {"password-not-logged"}
    assert "stdout (line 1, 2)" in message(report, "password-not-logged")
