"""`trainer policy lint` and `trainer policy simulate`: exit codes, text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trainer.cli import main

BUCKET = "arn:aws:s3:::my-bucket"
ROLE = "arn:aws:iam::111122223333:role/app"


def write(tmp_path: Path, name: str, document: object) -> str:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document, indent=2))
    return str(path)


def doc(*statements: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


READ = doc(
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{BUCKET}/*"},
    {
        "Sid": "TLSOnly",
        "Effect": "Deny",
        "Action": "s3:*",
        "Resource": "*",
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    },
)


def test_lint_clean_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "p.json", READ)
    assert main(["policy", "lint", path]) == 0
    assert "no findings" in capsys.readouterr().out


def test_lint_findings_exit_1_with_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(
        tmp_path,
        "p.json",
        doc({"Effect": "Allow", "Action": "s3:ListBucket", "Resource": f"{BUCKET}/*"}),
    )
    assert main(["policy", "lint", path, "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"findings"}
    assert out["findings"][0] == {
        "code": "RESOURCE_MISMATCH",
        "severity": "error",
        "path": "Statement[0].Action",
        "message": out["findings"][0]["message"],
    }


def test_lint_warning_counts_as_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(
        tmp_path, "p.json", doc({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})
    )
    assert main(["policy", "lint", path]) == 1
    assert "warning RESOURCE_STAR_BUT_ARN_POSSIBLE" in capsys.readouterr().out


def test_lint_trust_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    trust = doc(
        {
            "Effect": "Allow",
            "Principal": {"Service": "sagemaker.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    )
    path = write(tmp_path, "trust.json", trust)
    assert main(["policy", "lint", path, "--kind", "trust"]) == 0
    assert main(["policy", "lint", path]) == 1  # read as identity: no Resource, has Principal
    capsys.readouterr()


@pytest.mark.parametrize(
    "content,expected",
    [
        ('{"Version": "2012-10-17", "Statement": [}', ":1:41: invalid JSON"),
        ('{"Statement": {"Effect": "Maybe", "Action": "s3:GetObject"}}', "Statement.Effect"),
    ],
)
def test_lint_malformed_exits_2_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, expected: str
) -> None:
    path = write(tmp_path, "bad.json", content)
    assert main(["policy", "lint", path, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert expected in captured.err
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err


def test_lint_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "lint", str(tmp_path / "nope.json")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_simulate_allowed_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "p.json", READ)
    code = main(
        [
            "policy",
            "simulate",
            path,
            "--action",
            "s3:GetObject",
            "--resource",
            f"{BUCKET}/a",
            "--context",
            "aws:SecureTransport=true",
            "--json",
        ]
    )
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["decision"] == "allowed"
    assert out["statements"] == [{"source": path, "index": 0, "sid": None, "effect": "Allow"}]
    assert "allowed by statement 0 (s3:GetObject)" in out["reason"]


def test_simulate_context_bool_false_is_explicit_deny(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "p.json", READ)
    code = main(
        [
            "policy",
            "simulate",
            path,
            "--action",
            "s3:GetObject",
            "--resource",
            f"{BUCKET}/a",
            "--context",
            "aws:SecureTransport=false",
            "--json",
        ]
    )
    assert code == 1
    out = json.loads(capsys.readouterr().out)
    assert out["decision"] == "explicit_deny"
    assert out["statements"][0]["sid"] == "TLSOnly"


def test_simulate_implicit_deny_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "p.json", READ)
    code = main(
        ["policy", "simulate", path, "--action", "s3:PutObject", "--resource", f"{BUCKET}/a"]
    )
    assert code == 1
    assert capsys.readouterr().out.startswith(
        f"implicit_deny: no statement allows s3:PutObject on {BUCKET}/a"
    )


def test_simulate_repeated_context_key_is_multivalued(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tagging = doc(
        {
            "Effect": "Allow",
            "Action": "s3:PutObjectTagging",
            "Resource": f"{BUCKET}/*",
            "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "project"]}},
        }
    )
    path = write(tmp_path, "p.json", tagging)
    base = [
        "policy",
        "simulate",
        path,
        "--action",
        "s3:PutObjectTagging",
        "--resource",
        f"{BUCKET}/a",
    ]
    assert main([*base, "--context", "aws:TagKeys=team", "--context", "aws:TagKeys=project"]) == 0
    assert main([*base, "--context", "aws:TagKeys=team", "--context", "aws:TagKeys=cost"]) == 1
    capsys.readouterr()


def test_simulate_with_resource_policy_and_principal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = write(
        tmp_path,
        "none.json",
        doc({"Effect": "Allow", "Action": "s3:ListBucket", "Resource": BUCKET}),
    )
    bucket_policy = write(
        tmp_path,
        "bucket.json",
        doc(
            {
                "Effect": "Allow",
                "Principal": {"AWS": ROLE},
                "Action": "s3:GetObject",
                "Resource": f"{BUCKET}/*",
            }
        ),
    )
    args = [
        "policy",
        "simulate",
        empty,
        "--action",
        "s3:GetObject",
        "--resource",
        f"{BUCKET}/k",
        "--resource-policy",
        bucket_policy,
        "--json",
    ]
    assert main([*args, "--principal", ROLE]) == 0
    assert main([*args, "--principal", "arn:aws:iam::111122223333:role/other"]) == 1
    capsys.readouterr()


@pytest.mark.parametrize(
    "extra,message",
    [
        (["--context", "aws:SecureTransport"], "write KEY=VALUE"),
        (["--resource-policy", "/nonexistent/policy.json"], "no such file"),
    ],
)
def test_simulate_bad_input_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    path = write(tmp_path, "p.json", READ)
    code = main(["policy", "simulate", path, "--action", "s3:GetObject", "--resource", "*", *extra])
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
