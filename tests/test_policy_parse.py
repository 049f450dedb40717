"""Malformed policies are rejected up front with the JSON path, or line and column."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import urllib.parse

import pytest

from trainer.errors import ContentError
from trainer.policy import PolicyError, parse_policy
from trainer.policy.matching import wildcard_match

GOOD = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}


def with_statements(*statements: object) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


PATH_CASES = [
    ("bad-effect", with_statements(GOOD, {**GOOD, "Effect": "allow"}), "Statement[1].Effect"),
    (
        "missing-effect",
        with_statements({"Action": "s3:GetObject", "Resource": "*"}),
        "Statement[0]",
    ),
    ("missing-action", with_statements({"Effect": "Allow", "Resource": "*"}), "Statement[0]"),
    (
        "unknown-operator",
        with_statements(GOOD, {**GOOD, "Condition": {"StringEqualz": {"aws:SourceVpc": "v"}}}),
        "Statement[1].Condition",
    ),
    (
        "operator-wrong-case",
        with_statements({**GOOD, "Condition": {"stringequals": {"aws:SourceVpc": "v"}}}),
        "Statement[0].Condition",
    ),
    (
        "null-ifexists-does-not-exist",
        with_statements({**GOOD, "Condition": {"NullIfExists": {"aws:SourceVpc": "true"}}}),
        "Statement[0].Condition",
    ),
    (
        "action-not-list",
        with_statements({**GOOD, "Action": {"s3": "GetObject"}}),
        "Statement[0].Action",
    ),
    (
        "action-list-item-not-string",
        with_statements({**GOOD, "Action": ["s3:GetObject", 7]}),
        "Statement[0].Action[1]",
    ),
    (
        "action-without-service",
        with_statements({**GOOD, "Action": "GetObject"}),
        "Statement[0].Action",
    ),
    ("resource-number", with_statements({**GOOD, "Resource": 5}), "Statement[0].Resource"),
    ("empty-action-list", with_statements({**GOOD, "Action": []}), "Statement[0].Action"),
    (
        "action-and-notaction",
        with_statements({**GOOD, "NotAction": "iam:*"}),
        "Statement[0]",
    ),
    (
        "resource-and-notresource",
        with_statements({**GOOD, "NotResource": "*"}),
        "Statement[0]",
    ),
    ("unknown-element", with_statements({**GOOD, "Resources": "*"}), "Statement[0].Resources"),
    (
        "bad-principal-type",
        with_statements({**GOOD, "Principal": {"Aws": "*"}}),
        "Statement[0].Principal.Aws",
    ),
    (
        "condition-not-object",
        with_statements({**GOOD, "Condition": ["StringEquals"]}),
        "Statement[0].Condition",
    ),
    (
        "condition-value-object",
        with_statements({**GOOD, "Condition": {"StringEquals": {"aws:SourceVpc": {"a": 1}}}}),
        "Statement[0].Condition.StringEquals.aws:SourceVpc",
    ),
    (
        "numeric-value-not-number",
        with_statements({**GOOD, "Condition": {"NumericLessThan": {"s3:max-keys": "ten"}}}),
        "Statement[0].Condition.NumericLessThan.s3:max-keys",
    ),
    (
        "bad-cidr",
        with_statements({**GOOD, "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.300/8"}}}),
        "Statement[0].Condition.IpAddress.aws:SourceIp",
    ),
    ("bad-version", {"Version": "2012-10-18", "Statement": [GOOD]}, "Version"),
    ("statement-string", {"Version": "2012-10-17", "Statement": "Allow"}, "Statement"),
    ("statement-empty", {"Version": "2012-10-17", "Statement": []}, "Statement"),
    ("statement-not-object", with_statements(GOOD, "s3:GetObject"), "Statement[1]"),
]


@pytest.mark.parametrize("doc,path", [c[1:] for c in PATH_CASES], ids=[c[0] for c in PATH_CASES])
def test_error_names_json_path(doc: dict, path: str) -> None:
    with pytest.raises(PolicyError) as info:
        parse_policy(doc, source="p.json")
    assert info.value.path == path
    message = str(info.value)
    assert message.startswith(f"p.json: {path}: ")
    assert "\n" not in message


def test_policy_error_is_a_content_error_for_the_cli() -> None:
    assert issubclass(PolicyError, ContentError)


def test_unknown_operator_suggests_spelling() -> None:
    doc = with_statements({**GOOD, "Condition": {"stringEquals": {"aws:SourceVpc": "v"}}})
    with pytest.raises(PolicyError, match="did you mean 'StringEquals'"):
        parse_policy(doc)


def test_invalid_json_has_line_and_column() -> None:
    text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow",}\n  ]\n}'
    with pytest.raises(PolicyError) as info:
        parse_policy(text, source="broken.json")
    assert (info.value.line, info.value.column) == (4, 24)
    assert str(info.value).startswith("broken.json:4:24: invalid JSON")


@pytest.mark.parametrize("text", ["", "   ", "[]", "null", '"policy"'])
def test_non_documents_rejected(text: str) -> None:
    with pytest.raises(PolicyError):
        parse_policy(text)


def test_normalises_strings_and_lists() -> None:
    policy = parse_policy(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": {
                    "Sid": "One",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": ["arn:aws:s3:::b/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": True}},
                },
            }
        ).encode()
    )
    (st,) = policy.statements
    assert (st.index, st.sid, st.effect) == (0, "One", "Allow")
    assert st.actions == ("s3:GetObject",)
    assert st.not_actions is None
    assert st.resources == ("arn:aws:s3:::b/*",)
    assert st.principals == {"AWS": ("*",)}
    assert [(c.operator, c.key, c.values) for c in st.conditions] == [
        ("Bool", "aws:SecureTransport", ("true",))
    ]
    assert policy.document["Statement"]["Sid"] == "One"


def test_url_encoded_document_from_iam_api() -> None:
    document = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}'
    encoded = urllib.parse.quote(document)
    assert parse_policy(encoded).statements[0].actions == ("s3:GetObject",)


# --- wildcard matcher against an independent oracle ---------------------------------------------


def _oracle(pattern: str, value: str) -> bool:
    # Straightforward recursive definition of AWS wildcards, independent of the regex compiler.
    if not pattern:
        return not value
    head = pattern[0]
    if head == "*":
        return any(_oracle(pattern[1:], value[i:]) for i in range(len(value) + 1))
    if not value:
        return False
    if head == "?" or head == value[0]:
        return _oracle(pattern[1:], value[1:])
    return False


def test_wildcard_matcher_agrees_with_oracle() -> None:
    rng = random.Random(20261128)
    alphabet = "ab.:/*?[]+\\$"
    for _ in range(3000):
        pattern = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 7)))
        value = "".join(rng.choice("ab.:/[]+\\$") for _ in range(rng.randint(0, 7)))
        assert wildcard_match(pattern, value) == _oracle(pattern, value), (pattern, value)


def test_action_matching_ignores_case_resource_does_not() -> None:
    assert wildcard_match("S3:Get*", "s3:getobject", ignore_case=True)
    assert not wildcard_match("arn:aws:s3:::B/*", "arn:aws:s3:::b/x")


def test_core_does_not_import_ui_libraries() -> None:
    code = (
        "import sys, trainer.policy, trainer.policy.lint;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
    assert re.fullmatch(r"", out.stderr.strip())
