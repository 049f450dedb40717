"""The audit-trail lab, proven both ways: the starter and realistic wrong solutions fail on the
right check with the right message; every reference solution passes."""

from __future__ import annotations

import json

import pytest
from helpers import REPO, failed_ids, message

from trainer.labs.engine import prepare
from trainer.labs.setup import get_action

LAB = REPO / "labs/audit-trail"
ALL = {
    "trail-exists",
    "delivers-to-bucket",
    "multi-region",
    "log-file-validation",
    "encrypted-with-lab-key",
    "logging-on",
}
DEPENDENT = ALL - {"trail-exists"}

PRELUDE = """
import boto3
ct = boto3.client("cloudtrail")
kms = boto3.client("kms")
s3 = boto3.client("s3")
"""
GOOD = {
    "Name": "ml-audit-trail",
    "S3BucketName": "ml-audit-logs",
    "IsMultiRegionTrail": True,
    "EnableLogFileValidation": True,
    "KmsKeyId": "alias/ml-workloads",
}


def trail(start: bool = True, after: str = "", key_expr: str | None = None, **changes) -> str:
    """Code that creates the trail with GOOD's settings changed by CHANGES (None drops one)."""
    settings = {k: v for k, v in {**GOOD, **changes}.items() if v is not None}
    args = ", ".join(f"{k}={v!r}" for k, v in settings.items())
    if key_expr:
        args += f", KmsKeyId={key_expr}"
    started = f"ct.start_logging(Name={settings['Name']!r})\n" if start else ""
    return f"{PRELUDE}\nct.create_trail({args})\n{started}{after}"


def test_starter_fails(run_lab):
    report = run_lab("audit-trail", (LAB / "starter.py").read_text())
    assert report.run.exit_code == 0
    assert failed_ids(report) == {
        "multi-region",
        "log-file-validation",
        "encrypted-with-lab-key",
        "logging-on",
    }


@pytest.mark.parametrize("solution", sorted(p.name for p in LAB.glob("solution*.py")))
def test_solutions_pass(run_lab, solution):
    report = run_lab("audit-trail", (LAB / solution).read_text())
    assert report.run.ok, report.run.stderr
    assert report.passed, [c.message for c in report.checks if not c.passed]


@pytest.mark.parametrize(
    "key_expr",
    [
        'kms.describe_key(KeyId="alias/ml-workloads")["KeyMetadata"]["Arn"]',
        'kms.describe_key(KeyId="alias/ml-workloads")["KeyMetadata"]["KeyId"]',
        '"arn:aws:kms:us-east-1:123456789012:alias/ml-workloads"',
    ],
    ids=["key ARN", "key id", "alias ARN"],
)
def test_every_way_of_naming_the_key_passes(run_lab, key_expr):
    report = run_lab("audit-trail", trail(KmsKeyId=None, key_expr=key_expr))
    assert report.passed, [c.message for c in report.checks if not c.passed]


@pytest.mark.parametrize(
    ("case", "source", "failing", "words"),
    [
        (
            "wrong trail name",
            trail(Name="ml-audit"),
            ALL,
            ["no trail named ml-audit-trail; trails present: ml-audit", "cannot check"],
        ),
        (
            "created but never started",
            trail(start=False),
            {"logging-on"},
            ["exists but is not logging", "start_logging(Name='ml-audit-trail')"],
        ),
        (
            "started, then stopped",
            trail(after='ct.stop_logging(Name="ml-audit-trail")'),
            {"logging-on"},
            ["logging was stopped"],
        ),
        (
            "single-region trail",
            trail(IsMultiRegionTrail=None),
            {"multi-region"},
            ["records only us-east-1 events", "IsMultiRegionTrail=True"],
        ),
        (
            "no log file validation",
            trail(EnableLogFileValidation=False),
            {"log-file-validation"},
            ["log file validation off", "EnableLogFileValidation=True"],
        ),
        (
            "no KMS key (SSE-S3 only)",
            trail(KmsKeyId=None),
            {"encrypted-with-lab-key"},
            ["has no KMS key", "SSE-S3", "KmsKeyId='alias/ml-workloads'"],
        ),
        (
            "another customer managed key",
            PRELUDE
            + 'other = kms.create_key(Description="scratch")["KeyMetadata"]["Arn"]\n'
            + trail(KmsKeyId=None, key_expr="other").replace(PRELUDE, ""),
            {"encrypted-with-lab-key"},
            ["(customer managed key), expected the lab key alias/ml-workloads"],
        ),
        (
            "another bucket",
            PRELUDE
            + 's3.create_bucket(Bucket="my-trail-logs")\n'
            + trail(S3BucketName="my-trail-logs").replace(PRELUDE, ""),
            {"delivers-to-bucket"},
            ["delivers its log files to bucket my-trail-logs, expected ml-audit-logs"],
        ),
        (
            "the lab key disabled afterwards",
            trail(
                after='kms.disable_key(KeyId=kms.describe_key(KeyId="alias/ml-workloads")'
                '["KeyMetadata"]["KeyId"])'
            ),
            {"encrypted-with-lab-key"},
            ["but that key is Disabled"],
        ),
        (
            "the trail deleted at the end",
            trail(after='ct.delete_trail(Name="ml-audit-trail")'),
            ALL,
            ["there are no trails yet", "cannot check: there is no trail named ml-audit-trail"],
        ),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 45 else None,
)
def test_wrong_solutions_fail_on_the_right_check(run_lab, case, source, failing, words):
    report = run_lab("audit-trail", source)
    assert failed_ids(report) == failing, (case, [c.message for c in report.checks])
    text = " ".join(message(report, check_id) for check_id in failing)
    for word in words:
        assert word in text, (case, text)


def test_setup_gives_the_bucket_and_key_the_policies_cloudtrail_needs(sandbox, catalog):
    prepare(catalog.get("audit-trail"), sandbox)
    bucket_policy = json.loads(
        sandbox.client("s3").get_bucket_policy(Bucket="ml-audit-logs")["Policy"]
    )
    actions = {s["Action"] for s in bucket_policy["Statement"]}
    assert actions == {"s3:GetBucketAcl", "s3:PutObject"}
    kms = sandbox.client("kms")
    key_id = kms.describe_key(KeyId="alias/ml-workloads")["KeyMetadata"]["KeyId"]
    key_policy = json.loads(kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"])
    services = [s["Principal"].get("Service") for s in key_policy["Statement"]]
    assert services.count("cloudtrail.amazonaws.com") == 2
    # Running setup again on the same state (validate --deep's second run) changes nothing.
    get_action("cloudtrail.log_bucket")(sandbox, name="ml-audit-logs", trail="ml-audit-trail")
    get_action("cloudtrail.key_access")(sandbox, key="alias/ml-workloads", trail="ml-audit-trail")
