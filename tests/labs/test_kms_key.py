"""The kms-key lab, proven both ways: the starter and realistic wrong solutions fail on the right
checks with the right message; every reference solution passes, also when run twice."""

from __future__ import annotations

import pytest
from helpers import REPO, failed_ids, message

LAB = REPO / "labs/kms-key"
ALL = {
    "key-found-by-alias",
    "key-enabled",
    "key-symmetric",
    "key-description",
    "key-tagged",
    "key-rotation",
    "round-trip",
}

# The page's create_key, then whatever the case adds; {create} holds create_key's arguments.
KEY = """
import boto3
kms = boto3.client("kms")
key_id = kms.create_key({create})["KeyMetadata"]["KeyId"]
"""
PAGE_ARGS = (
    'Description="Key for ML workloads", KeyUsage="ENCRYPT_DECRYPT", '
    'Tags=[{"TagKey": "Project", "TagValue": "ML"}]'
)
ROTATE = "kms.enable_key_rotation(KeyId=key_id)\n"
ALIAS = 'kms.create_alias(AliasName="alias/ml-workloads", TargetKeyId=key_id)\n'


def attempt(create: str = PAGE_ARGS, then: str = ROTATE + ALIAS) -> str:
    return KEY.format(create=create) + then


def test_starter_fails_on_alias_rotation_and_round_trip(run_lab):
    report = run_lab("kms-key", (LAB / "starter.py").read_text())
    assert report.run.exit_code == 0
    assert failed_ids(report) == {"key-found-by-alias", "key-rotation", "round-trip"}
    assert "found key" in message(report, "key-found-by-alias")
    assert "by its tag Project=ML, but it has no alias" in message(report, "key-found-by-alias")


@pytest.mark.parametrize("solution", sorted(p.name for p in LAB.glob("solution*.py")))
def test_solution_passes_and_passes_again(run_lab, sandbox, catalog, tmp_path, solution):
    from trainer.labs import check_lab

    report = run_lab("kms-key", (LAB / solution).read_text())
    assert report.passed, [c.message for c in report.checks if not c.passed]
    again = check_lab(catalog.get("kms-key"), LAB / solution, sandbox, fresh=False)
    assert again.passed, [c.message for c in again.checks if not c.passed]
    assert again.run.exit_code == 0


def test_equivalent_solution_passes(run_lab):
    # Rotation and alias in the other order, the key spec spelt out, the alias given the ARN.
    code = attempt(
        create=PAGE_ARGS + ', KeySpec="SYMMETRIC_DEFAULT"',
        then='arn = kms.describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]\n'
        'kms.create_alias(AliasName="alias/ml-workloads", TargetKeyId=key_id)\n' + ROTATE,
    )
    report = run_lab("kms-key", code)
    assert report.passed, [c.message for c in report.checks if not c.passed]


# Each case: the learner's code, the checks it must fail, and words each failure must contain.
WRONG = [
    pytest.param(
        "",
        ALL,
        {
            "key-found-by-alias": ["no key has the alias alias/ml-workloads", "tagged Project=ML"],
            "key-enabled": ["cannot check"],
            "round-trip": ["cannot check"],
        },
        id="nothing-created",
    ),
    pytest.param(
        attempt(then=ROTATE + ALIAS.replace("alias/ml-workloads", "alias/ML-Workloads")),
        {"key-found-by-alias", "round-trip"},
        {"key-found-by-alias": ["its aliases are alias/ML-Workloads", "expected the alias"]},
        id="alias-wrong-case",
    ),
    pytest.param(
        attempt(create='KeySpec="RSA_2048", ' + PAGE_ARGS),
        {"key-symmetric", "key-rotation", "round-trip"},
        {
            "key-symmetric": ["RSA_2048", "expected SYMMETRIC_DEFAULT"],
            "key-rotation": ["RSA_2048", "only symmetric"],
            "round-trip": ["not a symmetric one"],
        },
        id="asymmetric-key",
    ),
    pytest.param(
        attempt(then=ALIAS),
        {"key-rotation"},
        {"key-rotation": ["rotation", "is off, expected on", "enable_key_rotation"]},
        id="rotation-forgotten",
    ),
    pytest.param(
        attempt(then=ROTATE + ALIAS + "kms.disable_key(KeyId=key_id)\n"),
        {"key-enabled", "round-trip"},
        {
            "key-enabled": ["is Disabled, expected Enabled", "enable_key"],
            "round-trip": ["Disabled"],
        },
        id="key-disabled",
    ),
    pytest.param(
        attempt(then=ROTATE + ALIAS + "kms.schedule_key_deletion(KeyId=key_id)\n"),
        {"key-enabled", "round-trip"},
        {"key-enabled": ["PendingDeletion", "cancel_key_deletion"]},
        id="key-pending-deletion",
    ),
    pytest.param(
        attempt(
            create=PAGE_ARGS.replace('Description="Key for ML workloads", ', "").replace(
                '"ML"', '"ml"'
            )
        ),
        {"key-description", "key-tagged"},
        {
            "key-description": ["no description", 'expected "Key for ML workloads"'],
            "key-tagged": ["Project=ml", "expected the tag Project=ML"],
        },
        id="no-description-tag-value-wrong-case",
    ),
    pytest.param(
        # The alias lands on a second, bare key instead of the tagged one.
        attempt(then=ROTATE + 'key_id = kms.create_key()["KeyMetadata"]["KeyId"]\n' + ALIAS),
        {"key-description", "key-tagged", "key-rotation"},
        {"key-tagged": ["has no tags", "expected the tag Project=ML"]},
        id="alias-on-another-key",
    ),
]


@pytest.mark.parametrize(("code", "failing", "words"), WRONG)
def test_wrong_solution_fails_on_the_right_check(run_lab, code, failing, words):
    report = run_lab("kms-key", code)
    assert failed_ids(report) == failing, [(c.id, c.message) for c in report.checks]
    for check_id, expected in words.items():
        text = message(report, check_id)
        for word in expected:
            assert word in text, (check_id, text)
