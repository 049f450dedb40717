"""The kms-sagemaker lab, proven both ways: the starter and realistic wrong solutions fail on the
right checks with the right message; both reference solutions pass, also when run twice. The
Estimator solution and starter need the SageMaker SDK (the `sagemaker` extra) and are skipped
without it; the boto3 cases run everywhere."""

from __future__ import annotations

import pytest
from helpers import (
    REPO,
    assert_passes_twice,
    failed_ids,
    hide_sdk,
    message,
    needs_sdk,
    solution_params,
)

LAB = REPO / "labs/kms-sagemaker"
KEY_CHECKS = {"output-key", "volume-key"}

# A boto3 training job; {output_key} and {volume_key} are Python expressions (None leaves the
# setting out), {before} runs first and may define names they use.
JOB = """
import boto3
iam = boto3.client("iam")
kms = boto3.client("kms")
sm = boto3.client("sagemaker")
key = kms.describe_key(KeyId="alias/ml-workloads")["KeyMetadata"]
{before}
output = {{"S3OutputPath": {path!r}}}
resource = {{"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 30}}
if ({output_key}) is not None:
    output["KmsKeyId"] = {output_key}
if ({volume_key}) is not None:
    resource["VolumeKmsKeyId"] = {volume_key}
sm.create_training_job(
    TrainingJobName={name!r},
    AlgorithmSpecification={{"TrainingImage": "img:1", "TrainingInputMode": "File"}},
    RoleArn=iam.get_role(RoleName={role!r})["Role"]["Arn"],
    OutputDataConfig=output,
    ResourceConfig=resource,
    StoppingCondition={{"MaxRuntimeInSeconds": 3600}},
)
{after}
"""


def job(
    output_key: str = 'key["Arn"]',
    volume_key: str | None = None,
    *,
    name: str = "secure-training-7",
    role: str = "SageMakerExecutionRole",
    path: str = "s3://my-bucket/output",
    before: str = "",
    after: str = "",
) -> str:
    return JOB.format(
        output_key=output_key,
        volume_key=output_key if volume_key is None else volume_key,
        name=name,
        role=role,
        path=path,
        before=before,
        after=after,
    )


@needs_sdk
def test_starter_fails_on_both_keys(run_lab):
    report = run_lab("kms-sagemaker", (LAB / "starter.py").read_text())
    assert report.run.exit_code == 0, report.run.stderr
    assert failed_ids(report) == KEY_CHECKS
    assert "OutputDataConfig.KmsKeyId is not set" in message(report, "output-key")
    assert "aws/s3" in message(report, "output-key")
    assert "ResourceConfig.VolumeKmsKeyId is not set" in message(report, "volume-key")
    # The SDK's telemetry is off: the guard never had to stop a call to a real host.
    assert "labs never reach real AWS" not in report.run.stderr


def test_starter_without_the_sdk_says_so_in_one_line(run_lab, tmp_path):
    hide_sdk(tmp_path)
    report = run_lab("kms-sagemaker", (LAB / "starter.py").read_text())
    assert report.run.exit_code == 1
    lines = report.run.stderr.strip().splitlines()
    assert len(lines) == 1, report.run.stderr
    assert 'pip install "trainer[sagemaker]"' in lines[0]
    assert "create_training_job" in lines[0]
    assert "no training job whose name starts with secure-training" in message(report, "job-exists")


@pytest.mark.parametrize("solution", solution_params(LAB))
def test_solution_passes_and_passes_again(run_lab, sandbox, catalog, solution):
    assert_passes_twice(run_lab, sandbox, catalog, "kms-sagemaker", LAB / solution)


@pytest.mark.parametrize(
    ("ref", "form"),
    [
        ('key["KeyId"]', "key id"),
        ('key["Arn"]', "key ARN"),
        ('"alias/ml-workloads"', "alias name"),
        ('"arn:aws:kms:us-east-1:123456789012:alias/ml-workloads"', "alias ARN"),
    ],
)
def test_every_way_of_naming_the_key_passes(run_lab, ref, form):
    report = run_lab("kms-sagemaker", job(ref))
    assert report.passed, [c.message for c in report.checks if not c.passed]
    assert f"(given as {form})" in message(report, "output-key")


# Each case: the learner's code, the checks it must fail, and words each failure must contain.
WRONG = [
    pytest.param(
        job("None"),
        KEY_CHECKS,
        {
            "output-key": ["without a key of yours", "aws/s3", "output_kms_key"],
            "volume-key": ["without a key of yours", "transient key", "volume_kms_key"],
        },
        id="no-keys",
    ),
    pytest.param(
        job('"alias/aws/s3"', 'key["Arn"]'),
        {"output-key"},
        {"output-key": ["AWS managed key alias/aws/s3", "customer managed key alias/ml-workloads"]},
        id="aws-managed-s3-key",
    ),
    pytest.param(
        job(
            "other",
            before='other = kms.create_key(Description="scratch")["KeyMetadata"]["Arn"]\n'
            'kms.create_alias(AliasName="alias/scratch", TargetKeyId=other)',
        ),
        KEY_CHECKS,
        {
            "output-key": ["another key, alias/scratch (customer managed key)"],
            "volume-key": ["another key", "expected alias/ml-workloads"],
        },
        id="another-customer-key",
    ),
    pytest.param(
        job('key["Arn"]', "None"),
        {"volume-key"},
        {"volume-key": ["ResourceConfig.VolumeKmsKeyId is not set", "volume_kms_key"]},
        id="volume-key-forgotten",
    ),
    pytest.param(
        job('"alias/ml-workload"'),
        KEY_CHECKS,
        {"output-key": ["'alias/ml-workload'", "no such key exists"]},
        id="alias-typo",
    ),
    pytest.param(
        job(after='kms.disable_key(KeyId=key["KeyId"])'),
        KEY_CHECKS,
        {"output-key": ["but that key is Disabled"], "volume-key": ["Disabled"]},
        id="key-disabled-afterwards",
    ),
    pytest.param(
        job(
            role="TrainingRole",
            before='import json\niam.create_role(RoleName="TrainingRole", '
            'AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}))',
        ),
        {"job-role"},
        {
            "job-role": [
                "runs as arn:aws:iam::123456789012:role/TrainingRole",
                "expected arn:aws:iam::123456789012:role/SageMakerExecutionRole",
            ]
        },
        id="another-role",
    ),
    pytest.param(
        job(path="s3://my-bucket/models"),
        {"output-path"},
        {"output-path": ["writes to s3://my-bucket/models, expected s3://my-bucket/output"]},
        id="wrong-output-path",
    ),
    pytest.param(
        job(name="training-secure-1"),
        {"job-exists", "job-role", "output-key", "volume-key", "output-path"},
        {
            "job-exists": [
                "no training job whose name starts with secure-training",
                "jobs present: training-secure-1",
            ],
            "output-key": ["cannot check"],
        },
        id="wrong-job-name",
    ),
]


@pytest.mark.parametrize(("code", "failing", "words"), WRONG)
def test_wrong_solution_fails_on_the_right_check(run_lab, code, failing, words):
    report = run_lab("kms-sagemaker", code)
    assert report.run.exit_code == 0, report.run.stderr
    assert failed_ids(report) == failing, [(c.id, c.message) for c in report.checks]
    for check_id, expected in words.items():
        text = message(report, check_id)
        for word in expected:
            assert word in text, (check_id, text)
