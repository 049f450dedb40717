"""The capstone lab, proven both ways: the starter leaves every finding open; both reference
solutions pass, also when run twice; realistic partial fixes (the boto3 solution with one step
left out or done wrong) fail on exactly the findings they leave open, with the right words.
The Estimator solution needs the SageMaker SDK (the `sagemaker` extra) and is skipped without
it; the boto3 cases run everywhere."""

from __future__ import annotations

import pytest
from helpers import REPO, assert_passes_twice, failed_ids, message, solution_params

from trainer.checks import get_primitive

LAB = REPO / "labs/capstone"
SOLUTION = (LAB / "solution.py").read_text()
PASSWORD = "Tr4ining-DB-2024!"  # what the setup put in /ml/db-password

# Checks that guard against over-correcting (a role nobody can assume, a policy that allows
# nothing): the misconfigured account already passes them.
GUARDS = {"sagemaker-can-assume", "ml-data-access"}
# Checks that compare with the key that encrypts ml-data, and so cannot judge without one.
USE_BUCKET_KEY = {"key-rotation", "secret-encrypted", "retrain-output-key", "retrain-volume-key"}


def partial(*edits: tuple[str, str]) -> str:
    """solution.py with each (old, new) edit applied; OLD must occur exactly once, so a change
    to the solution cannot silently turn a case into a copy of it."""
    source = SOLUTION
    for old, new in edits:
        assert source.count(old) == 1, f"solution.py no longer contains exactly one {old!r}"
        source = source.replace(old, new)
    return source


def test_every_check_is_a_real_primitive_with_valid_arguments_and_a_risk(catalog):
    lab = catalog.get("capstone")
    for spec in lab.checks:
        primitive = get_primitive(spec.check)
        assert primitive is not None, spec.id
        assert primitive.argument_problems(spec.args) == [], spec.id
        assert spec.risk and len(spec.risk) > 40, spec.id


def test_starter_leaves_every_finding_open(run_lab, catalog):
    report = run_lab("capstone", (LAB / "starter.py").read_text())
    assert report.run.ok, report.run.stderr
    every = {spec.id for spec in catalog.get("capstone").checks}
    assert failed_ids(report) == every - GUARDS
    assert "ec2.amazonaws.com" in message(report, "trust-only-sagemaker")
    assert "instance profile" in message(report, "trust-only-sagemaker")
    assert "Risk:" in message(report, "least-privilege")
    assert "SSE-S3" in message(report, "bucket-encrypted")
    assert "not encrypted with a customer managed key" in message(report, "key-rotation")
    assert "plain text" in message(report, "parameter-deleted")
    assert "no trail records" in message(report, "trail-logging")
    # The starter reads the parameter's type, never its value.
    assert PASSWORD not in report.run.stdout + report.run.stderr + str(report.to_json())


@pytest.mark.parametrize("solution", solution_params(LAB))
def test_solution_passes_and_passes_again(run_lab, sandbox, catalog, solution):
    assert_passes_twice(run_lab, sandbox, catalog, "capstone", LAB / solution)


def test_key_and_trail_may_have_any_name(run_lab):
    source = partial(
        ('KEY_ALIAS = "alias/ml-data"', 'KEY_ALIAS = "alias/team-ml-key"'),
        ('TRAIL = "ml-audit-trail"', 'TRAIL = "org-security-trail"'),
    )
    report = run_lab("capstone", source)
    assert report.passed, [c.message for c in report.checks if not c.passed]
    assert "alias/team-ml-key" in message(report, "secret-encrypted")
    assert "org-security-trail" in message(report, "trail-logging")


# Each case: a partial fix, the checks it must fail (no more, no fewer), and words each failure
# must contain.
PARTIAL = [
    pytest.param(
        partial(("    ssm.delete_parameter(Name=PARAMETER)\n", "")),
        {"parameter-deleted"},
        {"parameter-deleted": ["/ml/db-password (String) still exists", "plain text", "Risk:"]},
        id="parameter-left-behind",
    ),
    pytest.param(
        partial(
            (
                "    ssm.delete_parameter(Name=PARAMETER)\n",
                '    ssm.put_parameter(Name=PARAMETER, Value=password, Type="SecureString", '
                "Overwrite=True)\n",
            )
        ),
        {"parameter-deleted"},
        {"parameter-deleted": ["(SecureString) still exists", "second copy", "versions"]},
        id="parameter-made-securestring-instead-of-deleted",
    ),
    pytest.param(
        partial(('"KMSMasterKeyID": key_arn,', '"KMSMasterKeyID": "alias/aws/s3",')),
        {"bucket-encrypted"} | USE_BUCKET_KEY,
        {
            "bucket-encrypted": ["AWS managed key aws/s3", "cannot edit the key policy"],
            "key-rotation": ["cannot check", "ml-data is not encrypted with a customer managed"],
            "secret-encrypted": ["cannot check"],
            "retrain-output-key": ["cannot check"],
        },
        id="bucket-encrypted-with-aws-s3",
    ),
    pytest.param(
        partial(
            (
                '"Principal": {"Service": "sagemaker.amazonaws.com"},',
                '"Principal": {"Service": ["sagemaker.amazonaws.com", "ec2.amazonaws.com"]},',
            )
        ),
        {"trust-only-sagemaker"},
        {"trust-only-sagemaker": ["lets ec2.amazonaws.com", "instance profile", "Risk:"]},
        id="ec2-still-trusted",
    ),
    pytest.param(
        partial(("cloudtrail.start_logging(Name=TRAIL)\n", "")),
        {"trail-logging"},
        {"trail-logging": ["no trail is logging", "ml-audit-trail (never started)"]},
        id="trail-created-not-started",
    ),
    pytest.param(
        partial(
            (
                "cloudtrail.start_logging(Name=TRAIL)\n",
                "cloudtrail.start_logging(Name=TRAIL)\ncloudtrail.stop_logging(Name=TRAIL)\n",
            )
        ),
        {"trail-logging"},
        {"trail-logging": ["ml-audit-trail (stopped)"]},
        id="trail-stopped",
    ),
    pytest.param(
        partial(
            (
                '        VpcConfig={"Subnets": subnet_ids, "SecurityGroupIds": '
                '[group_id["sagemaker-training-sg"]]},\n',
                "",
            )
        ),
        {"retrain-in-vpc", "retrain-private-subnets"},
        {
            "retrain-in-vpc": ["no VPC configuration", "internet access", "Risk:"],
            "retrain-private-subnets": ["cannot check"],
        },
        id="job-without-vpc-config",
    ),
    pytest.param(
        partial(("kms.enable_key_rotation(KeyId=key_arn)\n", "")),
        {"key-rotation"},
        {"key-rotation": ["rotation", "is off", "enable_key_rotation"]},
        id="key-without-rotation",
    ),
    pytest.param(
        partial(
            ('PolicyName="s3-access",', 'PolicyName="ml-data-only",'),
        ),
        {"least-privilege", "no-wildcard-actions"},
        {
            "least-privilege": ["other-team-data", "s3-access", "compromised training container"],
            "no-wildcard-actions": ["SERVICE_WILDCARD", '"s3:*"'],
        },
        id="narrow-policy-added-beside-s3-star",
    ),
    pytest.param(
        partial(
            (
                "secrets.create_secret(Name=SECRET, SecretString=value, KmsKeyId=key_arn)",
                "secrets.create_secret(Name=SECRET, SecretString=value)",
            ),
            ("secrets.update_secret(SecretId=SECRET, KmsKeyId=key_arn)\n", ""),
        ),
        {"secret-encrypted"},
        {"secret-encrypted": ["default alias/aws/secretsmanager key", "KmsKeyId="]},
        id="secret-with-default-key",
    ),
    pytest.param(
        partial(
            (
                'value = json.dumps({"username": "admin", "password": password})',
                'value = json.dumps({"username": "admin", "password": "secret123"})',
            )
        ),
        {"secret-has-the-password"},
        {"secret-has-the-password": ["not the one from the parameter", "values not shown"]},
        id="secret-with-the-page-example-password",
    ),
    pytest.param(
        partial(('"KmsKeyId": key_arn}', '"KmsKeyId": "alias/aws/s3"}')),
        {"retrain-output-key"},
        {"retrain-output-key": ["AWS managed key", "output_kms_key"]},
        id="job-output-with-aws-s3",
    ),
    pytest.param(
        partial(('    print("started", JOB)\n', '    print("started", JOB, "with", password)\n')),
        {"password-not-logged"},
        {"password-not-logged": ["appears in your code's output", "stdout (line"]},
        id="password-printed",
    ),
    pytest.param(
        partial(
            ('VpcEndpointType="Gateway",', 'VpcEndpointType="Interface", SubnetIds=subnet_ids,')
        ),
        {"s3-endpoint-type"},
        {"s3-endpoint-type": ["should be a Gateway endpoint", "Risk:"]},
        id="s3-interface-endpoint",
    ),
]


@pytest.mark.parametrize(("source", "expected", "words"), PARTIAL)
def test_partial_fix_fails_on_exactly_the_open_findings(run_lab, source, expected, words):
    report = run_lab("capstone", source)
    assert failed_ids(report) == expected, [
        (c.id, c.message) for c in report.checks if not c.passed
    ]
    for check_id, fragments in words.items():
        text = message(report, check_id)
        for fragment in fragments:
            assert fragment in text, (check_id, fragment, text)
    assert PASSWORD not in " ".join(c.message for c in report.checks)
