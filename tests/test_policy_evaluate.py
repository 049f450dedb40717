"""Table-driven evaluator cases, each naming the AWS documentation rule it exercises.

Rules are cited by IAM User Guide page (UG) or KMS Developer Guide page (KMS-DG).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from trainer.policy import (
    Request,
    evaluate,
    evaluate_key_policy,
    evaluate_trust,
    parse_policy,
)

ACCOUNT = "111122223333"
OTHER = "444455556666"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/app"
SESSION = f"arn:aws:sts::{ACCOUNT}:assumed-role/app/session-1"
USER = f"arn:aws:iam::{ACCOUNT}:user/alice"
BUCKET = "arn:aws:s3:::my-bucket"
OBJ = "arn:aws:s3:::my-bucket/data/train.csv"

EVAL = "UG Policy evaluation logic: an explicit Deny overrides any Allow; no Allow = implicit deny"
SAME_ACCOUNT = "UG Policy evaluation within a single account: identity and resource policies union"
ACTION = "UG Action element: action names are case-insensitive; * and ? are wildcards"
NOT_ACTION = "UG NotAction element: matches every action except the listed ones"
RESOURCE = "UG Resource element: ARNs match case-sensitively; only * and ? are wildcards"
NOT_RESOURCE = "UG NotResource element: matches every resource except the listed ones"
PRINCIPAL = "UG Principal element: role, session, account (delegation), service, *"
NOT_PRINCIPAL = "UG NotPrincipal element: exempt only principals listed with their account"
COND = "UG Condition element: blocks AND, keys AND, a key's values OR; key names ignore case"
COND_ABSENT = "UG Condition operators: missing key is false, but true for negated operators"
STRING = "UG Condition operators, String: Equals is case-sensitive, Like takes * and ?"
NEGATED = "UG Condition operators: a negated operator with several values holds if none match"
IFEXISTS = "UG Condition operators, ...IfExists: true when the key is absent"
NULL = "UG Condition operators, Null: true tests absence, false tests presence"
BOOL = "UG Condition operators, Bool: aws:SecureTransport true/false"
NUMERIC = "UG Condition operators, Numeric"
DATE = "UG Condition operators, Date: ISO 8601 or epoch seconds"
IP = "UG Condition operators, IP address: CIDR ranges, IPv4 and IPv6"
ARN = "UG Condition operators, ARN: each of the six colon-delimited parts compared separately"
SET_ALL = "UG Multivalued context keys, ForAllValues: every value matches; true on an empty set"
SET_ANY = "UG Multivalued context keys, ForAnyValue: at least one matches; false when absent"
VARIABLES = "UG Policy variables: ${aws:username} substituted; absent value = no match"
TRUST = "UG Roles, trust policy: the role's resource policy decides sts:AssumeRole"
KMS = "KMS-DG Key policies: a key policy must allow, or delegate to the account root"


def stmt(effect: str, action: Any = "s3:GetObject", resource: Any = "*", **extra: Any) -> dict:
    body: dict[str, Any] = {"Effect": effect}
    if action is not None:
        body["Action"] = action
    if resource is not None:
        body["Resource"] = resource
    body.update(extra)
    return body


def allow(action: Any = "s3:GetObject", resource: Any = "*", **extra: Any) -> dict:
    return stmt("Allow", action, resource, **extra)


def deny(action: Any = "s3:GetObject", resource: Any = "*", **extra: Any) -> dict:
    return stmt("Deny", action, resource, **extra)


def doc(*statements: dict, version: str = "2012-10-17") -> dict:
    return {"Version": version, "Statement": list(statements)}


@dataclass
class Case:
    id: str
    rule: str
    expected: str
    identity: list[dict] = field(default_factory=list)
    action: str = "s3:GetObject"
    resource: str = OBJ
    principal: str | None = None
    context: dict[str, Any] = field(default_factory=dict)
    resource_policy: dict | None = None


def cond(operator: str, key: str, value: Any) -> dict:
    return {"Condition": {operator: {key: value}}}


A, E, IMPLICIT = "allowed", "explicit_deny", "implicit_deny"

CASES: list[Case] = [
    # --- deny precedence and implicit deny ---
    Case("allow-matches", EVAL, A, [doc(allow())]),
    Case("nothing-allows", EVAL, IMPLICIT, [doc(allow("s3:PutObject"))]),
    Case("deny-beats-allow-same-policy", EVAL, E, [doc(allow(), deny())]),
    Case("deny-in-other-policy-wins", EVAL, E, [doc(allow("s3:*")), doc(deny())]),
    Case("deny-alone", EVAL, E, [doc(deny("s3:*"))]),
    Case("no-policies", EVAL, IMPLICIT, []),
    Case("deny-other-action-irrelevant", EVAL, A, [doc(allow(), deny("s3:DeleteObject"))]),
    Case(
        "deny-with-false-condition-skipped",
        EVAL,
        A,
        [doc(allow(), deny(**cond("Bool", "aws:SecureTransport", "false")))],
        context={"aws:SecureTransport": True},
    ),
    Case(
        "allow-with-false-condition-skipped",
        EVAL,
        IMPLICIT,
        [doc(allow(**cond("StringEquals", "aws:SourceVpc", "vpc-1")))],
        context={"aws:SourceVpc": "vpc-2"},
    ),
    Case("single-statement-object", EVAL, A, [{"Version": "2012-10-17", "Statement": allow()}]),
    # --- actions ---
    Case("action-case-insensitive-policy", ACTION, A, [doc(allow("S3:GETOBJECT"))]),
    Case("action-case-insensitive-request", ACTION, A, [doc(allow())], action="S3:getobject"),
    Case("action-prefix-wildcard", ACTION, A, [doc(allow("s3:Get*"))]),
    Case(
        "action-prefix-wildcard-miss",
        ACTION,
        IMPLICIT,
        [doc(allow("s3:Get*"))],
        action="s3:PutObject",
    ),
    Case("action-question-mark", ACTION, A, [doc(allow("s3:?etObject"))]),
    Case(
        "action-question-mark-one-char",
        ACTION,
        IMPLICIT,
        [doc(allow("s3:?etObject"))],
        action="s3:GGetObject",
    ),
    Case("action-star-all", ACTION, A, [doc(allow("*"))], action="iam:CreateUser"),
    Case(
        "action-service-is-literal",
        ACTION,
        IMPLICIT,
        [doc(allow("s3:*"))],
        action="s3control:CreateJob",
    ),
    Case("action-inner-wildcard", ACTION, A, [doc(allow("s3:*Object"))], action="s3:DeleteObject"),
    Case("action-list-any", ACTION, A, [doc(allow(["s3:PutObject", "s3:GetObject"]))]),
    # --- NotAction ---
    Case("notaction-allow-other-service", NOT_ACTION, A, [doc(allow(None, NotAction="iam:*"))]),
    Case(
        "notaction-allow-excluded",
        NOT_ACTION,
        IMPLICIT,
        [doc(allow(None, NotAction="iam:*"))],
        action="iam:CreateUser",
    ),
    Case(
        "notaction-deny-everything-else",
        NOT_ACTION,
        E,
        [doc(allow("*"), deny(None, NotAction="s3:*"))],
        action="ec2:RunInstances",
    ),
    Case(
        "notaction-deny-spares-listed",
        NOT_ACTION,
        A,
        [doc(allow("*"), deny(None, NotAction="s3:*"))],
    ),
    Case(
        "notaction-case-insensitive",
        NOT_ACTION,
        IMPLICIT,
        [doc(allow(None, NotAction="IAM:*"))],
        action="iam:CreateUser",
    ),
    # --- resources ---
    Case("resource-exact", RESOURCE, A, [doc(allow(resource=OBJ))]),
    Case(
        "resource-case-sensitive",
        RESOURCE,
        IMPLICIT,
        [doc(allow(resource="arn:aws:s3:::My-Bucket/*"))],
    ),
    Case(
        "resource-star-spans-slashes",
        RESOURCE,
        A,
        [doc(allow(resource="arn:aws:s3:::my-bucket/*"))],
        resource="arn:aws:s3:::my-bucket/a/b/c.txt",
    ),
    Case(
        "resource-bucket-not-object",
        RESOURCE,
        IMPLICIT,
        [doc(allow(resource=BUCKET))],
    ),
    Case(
        "resource-object-not-bucket",
        RESOURCE,
        IMPLICIT,
        [doc(allow("s3:ListBucket", "arn:aws:s3:::my-bucket/*"))],
        action="s3:ListBucket",
        resource=BUCKET,
    ),
    Case(
        "resource-dot-is-literal",
        RESOURCE,
        IMPLICIT,
        [doc(allow(resource="arn:aws:s3:::my.bucket/*"))],
        resource="arn:aws:s3:::myxbucket/k",
    ),
    Case(
        "resource-dot-matches-dot",
        RESOURCE,
        A,
        [doc(allow(resource="arn:aws:s3:::my.bucket/*"))],
        resource="arn:aws:s3:::my.bucket/k",
    ),
    Case(
        "resource-question-mark",
        RESOURCE,
        A,
        [doc(allow(resource="arn:aws:s3:::log-?/*"))],
        resource="arn:aws:s3:::log-1/x",
    ),
    Case(
        "resource-question-mark-not-empty",
        RESOURCE,
        IMPLICIT,
        [doc(allow(resource="arn:aws:s3:::log-?/*"))],
        resource="arn:aws:s3:::log-/x",
    ),
    Case(
        "resource-question-mark-not-two",
        RESOURCE,
        IMPLICIT,
        [doc(allow(resource="arn:aws:s3:::log-?/x"))],
        resource="arn:aws:s3:::log-12/x",
    ),
    Case(
        "resource-regex-chars-literal",
        RESOURCE,
        IMPLICIT,
        [doc(allow(resource="arn:aws:s3:::b/[a-z]+"))],
        resource="arn:aws:s3:::b/a",
    ),
    Case(
        "resource-regex-chars-match-themselves",
        RESOURCE,
        A,
        [doc(allow(resource="arn:aws:s3:::b/[a-z]+"))],
        resource="arn:aws:s3:::b/[a-z]+",
    ),
    Case(
        "resource-star-crosses-colons",
        RESOURCE,
        A,
        [doc(allow("logs:PutLogEvents", "arn:aws:logs:*:*:*"))],
        action="logs:PutLogEvents",
        resource=f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/sm:log-stream:job-1",
    ),
    Case(
        "resource-inner-wildcard",
        RESOURCE,
        A,
        [doc(allow(resource="arn:aws:s3:::my-bucket/home/*/private/*"))],
        resource="arn:aws:s3:::my-bucket/home/alice/private/notes.txt",
    ),
    Case(
        "resource-list-any",
        RESOURCE,
        A,
        [doc(allow(resource=["arn:aws:s3:::other/*", "arn:aws:s3:::my-bucket/*"]))],
    ),
    # --- NotResource ---
    Case(
        "notresource-allow-elsewhere",
        NOT_RESOURCE,
        A,
        [doc(allow("s3:*", None, NotResource="arn:aws:s3:::my-bucket/*"))],
        resource="arn:aws:s3:::other/k",
    ),
    Case(
        "notresource-allow-excluded",
        NOT_RESOURCE,
        IMPLICIT,
        [doc(allow("s3:*", None, NotResource="arn:aws:s3:::my-bucket/*"))],
    ),
    Case(
        "notresource-deny-outside",
        NOT_RESOURCE,
        E,
        [doc(allow("s3:*"), deny("s3:*", None, NotResource="arn:aws:s3:::my-bucket/*"))],
        resource="arn:aws:s3:::other/k",
    ),
    Case(
        "notresource-deny-spares-listed",
        NOT_RESOURCE,
        A,
        [doc(allow("s3:*"), deny("s3:*", None, NotResource="arn:aws:s3:::my-bucket/*"))],
    ),
    # --- string conditions ---
    Case(
        "string-equals",
        STRING,
        A,
        [doc(allow(**cond("StringEquals", "aws:SourceVpc", "vpc-1")))],
        context={"aws:SourceVpc": "vpc-1"},
    ),
    Case(
        "string-equals-case-sensitive",
        STRING,
        IMPLICIT,
        [doc(allow(**cond("StringEquals", "aws:SourceVpc", "vpc-1")))],
        context={"aws:SourceVpc": "VPC-1"},
    ),
    Case(
        "string-equals-ignore-case",
        STRING,
        A,
        [doc(allow(**cond("StringEqualsIgnoreCase", "aws:PrincipalTag/team", "ML")))],
        context={"aws:PrincipalTag/team": "ml"},
    ),
    Case(
        "string-not-equals-different",
        STRING,
        A,
        [doc(allow(**cond("StringNotEquals", "aws:SourceVpc", "vpc-1")))],
        context={"aws:SourceVpc": "vpc-2"},
    ),
    Case(
        "string-not-equals-same",
        STRING,
        IMPLICIT,
        [doc(allow(**cond("StringNotEquals", "aws:SourceVpc", "vpc-1")))],
        context={"aws:SourceVpc": "vpc-1"},
    ),
    Case(
        "string-not-equals-absent-is-true",
        COND_ABSENT,
        A,
        [doc(allow(**cond("StringNotEquals", "aws:SourceVpc", "vpc-1")))],
    ),
    Case(
        "string-equals-absent-is-false",
        COND_ABSENT,
        IMPLICIT,
        [doc(allow(**cond("StringEquals", "aws:SourceVpc", "vpc-1")))],
    ),
    Case(
        "string-like-wildcard",
        STRING,
        A,
        [doc(allow(**cond("StringLike", "s3:prefix", "home/*")))],
        context={"s3:prefix": "home/alice/"},
    ),
    Case(
        "string-like-case-sensitive",
        STRING,
        IMPLICIT,
        [doc(allow(**cond("StringLike", "s3:prefix", "home/*")))],
        context={"s3:prefix": "HOME/alice/"},
    ),
    Case(
        "string-not-like-nor-none-match",
        NEGATED,
        A,
        [doc(allow(**cond("StringNotLike", "s3:prefix", ["a*", "b*"])))],
        context={"s3:prefix": "c1"},
    ),
    Case(
        "string-not-like-nor-one-matches",
        NEGATED,
        IMPLICIT,
        [doc(allow(**cond("StringNotLike", "s3:prefix", ["a*", "b*"])))],
        context={"s3:prefix": "b1"},
    ),
    Case(
        "string-not-equals-nor",
        NEGATED,
        E,
        [
            doc(
                allow(),
                deny(**cond("StringNotEquals", "aws:RequestedRegion", ["eu-west-1", "us-east-1"])),
            )
        ],
        context={"aws:RequestedRegion": "ap-south-1"},
    ),
    Case(
        "string-not-equals-nor-listed-region",
        NEGATED,
        A,
        [
            doc(
                allow(),
                deny(**cond("StringNotEquals", "aws:RequestedRegion", ["eu-west-1", "us-east-1"])),
            )
        ],
        context={"aws:RequestedRegion": "us-east-1"},
    ),
    Case(
        "values-are-or",
        COND,
        A,
        [doc(allow(**cond("StringEquals", "aws:SourceVpc", ["vpc-1", "vpc-2"])))],
        context={"aws:SourceVpc": "vpc-2"},
    ),
    Case(
        "keys-are-and",
        COND,
        IMPLICIT,
        [
            doc(
                allow(
                    Condition={
                        "StringEquals": {"aws:SourceVpc": "vpc-1", "aws:SourceVpce": "vpce-1"}
                    }
                )
            )
        ],
        context={"aws:SourceVpc": "vpc-1", "aws:SourceVpce": "vpce-9"},
    ),
    Case(
        "blocks-are-and",
        COND,
        IMPLICIT,
        [
            doc(
                allow(
                    Condition={
                        "StringEquals": {"aws:SourceVpc": "vpc-1"},
                        "Bool": {"aws:SecureTransport": "true"},
                    }
                )
            )
        ],
        context={"aws:SourceVpc": "vpc-1", "aws:SecureTransport": False},
    ),
    Case(
        "blocks-all-hold",
        COND,
        A,
        [
            doc(
                allow(
                    Condition={
                        "StringEquals": {"aws:SourceVpc": "vpc-1"},
                        "Bool": {"aws:SecureTransport": "true"},
                    }
                )
            )
        ],
        context={"aws:SourceVpc": "vpc-1", "aws:SecureTransport": True},
    ),
    Case(
        "key-names-ignore-case",
        COND,
        A,
        [doc(allow(**cond("StringEquals", "AWS:SourceVPC", "vpc-1")))],
        context={"aws:sourcevpc": "vpc-1"},
    ),
    # --- IfExists ---
    Case(
        "ifexists-absent",
        IFEXISTS,
        A,
        [doc(allow(**cond("StringEqualsIfExists", "ec2:InstanceType", "t3.micro")))],
    ),
    Case(
        "ifexists-present-mismatch",
        IFEXISTS,
        IMPLICIT,
        [doc(allow(**cond("StringEqualsIfExists", "ec2:InstanceType", "t3.micro")))],
        context={"ec2:InstanceType": "p4d.24xlarge"},
    ),
    Case(
        "ifexists-present-match",
        IFEXISTS,
        A,
        [doc(allow(**cond("StringEqualsIfExists", "ec2:InstanceType", "t3.micro")))],
        context={"ec2:InstanceType": "t3.micro"},
    ),
    Case(
        "ifexists-deny-applies-when-absent",
        IFEXISTS,
        E,
        [doc(allow(), deny(**cond("StringNotEqualsIfExists", "aws:SourceVpc", "vpc-1")))],
    ),
    # --- Null ---
    Case(
        "null-true-absent",
        NULL,
        A,
        [doc(allow(**cond("Null", "aws:TokenIssueTime", "true")))],
    ),
    Case(
        "null-true-present",
        NULL,
        IMPLICIT,
        [doc(allow(**cond("Null", "aws:TokenIssueTime", "true")))],
        context={"aws:TokenIssueTime": "2026-01-01T00:00:00Z"},
    ),
    Case(
        "null-false-present",
        NULL,
        A,
        [doc(allow(**cond("Null", "aws:TokenIssueTime", "false")))],
        context={"aws:TokenIssueTime": "2026-01-01T00:00:00Z"},
    ),
    Case(
        "null-false-absent",
        NULL,
        IMPLICIT,
        [doc(allow(**cond("Null", "aws:TokenIssueTime", False)))],
    ),
    # --- Bool ---
    Case(
        "bool-deny-insecure-transport",
        BOOL,
        E,
        [doc(allow(), deny("s3:*", **cond("Bool", "aws:SecureTransport", "false")))],
        context={"aws:SecureTransport": False},
    ),
    Case(
        "bool-secure-transport-passes",
        BOOL,
        A,
        [doc(allow(), deny("s3:*", **cond("Bool", "aws:SecureTransport", "false")))],
        context={"aws:SecureTransport": True},
    ),
    Case(
        "bool-key-absent-deny-skipped",
        BOOL,
        A,
        [doc(allow(), deny("s3:*", **cond("Bool", "aws:SecureTransport", "false")))],
    ),
    Case(
        "bool-json-boolean-value",
        BOOL,
        A,
        [doc(allow(**cond("Bool", "aws:MultiFactorAuthPresent", True)))],
        context={"aws:MultiFactorAuthPresent": "true"},
    ),
    # --- numeric ---
    Case(
        "numeric-less-than",
        NUMERIC,
        A,
        [doc(allow("s3:ListBucket", **cond("NumericLessThan", "s3:max-keys", "10")))],
        action="s3:ListBucket",
        resource=BUCKET,
        context={"s3:max-keys": "5"},
    ),
    Case(
        "numeric-less-than-boundary",
        NUMERIC,
        IMPLICIT,
        [doc(allow("s3:ListBucket", **cond("NumericLessThan", "s3:max-keys", 10)))],
        action="s3:ListBucket",
        resource=BUCKET,
        context={"s3:max-keys": 10},
    ),
    Case(
        "numeric-less-than-equals-boundary",
        NUMERIC,
        A,
        [doc(allow("s3:ListBucket", **cond("NumericLessThanEquals", "s3:max-keys", 10)))],
        action="s3:ListBucket",
        resource=BUCKET,
        context={"s3:max-keys": "10"},
    ),
    Case(
        "numeric-not-a-number",
        NUMERIC,
        IMPLICIT,
        [doc(allow("s3:ListBucket", **cond("NumericGreaterThan", "s3:max-keys", 1)))],
        action="s3:ListBucket",
        resource=BUCKET,
        context={"s3:max-keys": "many"},
    ),
    Case(
        "numeric-not-equals-absent",
        COND_ABSENT,
        A,
        [doc(allow("s3:ListBucket", **cond("NumericNotEquals", "s3:max-keys", 10)))],
        action="s3:ListBucket",
        resource=BUCKET,
    ),
    Case(
        "numeric-equals-decimal",
        NUMERIC,
        A,
        [doc(allow("s3:ListBucket", **cond("NumericEquals", "s3:max-keys", "10")))],
        action="s3:ListBucket",
        resource=BUCKET,
        context={"s3:max-keys": "10.0"},
    ),
    # --- dates ---
    Case(
        "date-before-deadline",
        DATE,
        A,
        [doc(allow(**cond("DateLessThan", "aws:CurrentTime", "2030-01-01T00:00:00Z")))],
        context={"aws:CurrentTime": "2026-06-01T12:00:00Z"},
    ),
    Case(
        "date-after-start-fails",
        DATE,
        IMPLICIT,
        [doc(allow(**cond("DateGreaterThan", "aws:CurrentTime", "2030-01-01T00:00:00Z")))],
        context={"aws:CurrentTime": "2026-06-01T12:00:00Z"},
    ),
    Case(
        "date-epoch-policy-value",
        DATE,
        A,
        [doc(allow(**cond("DateLessThan", "aws:CurrentTime", "1893456000")))],
        context={"aws:CurrentTime": "2026-06-01T12:00:00Z"},
    ),
    # --- IP addresses ---
    Case(
        "ip-in-range",
        IP,
        A,
        [doc(allow(**cond("IpAddress", "aws:SourceIp", "203.0.113.0/24")))],
        context={"aws:SourceIp": "203.0.113.5"},
    ),
    Case(
        "ip-out-of-range",
        IP,
        IMPLICIT,
        [doc(allow(**cond("IpAddress", "aws:SourceIp", "203.0.113.0/24")))],
        context={"aws:SourceIp": "198.51.100.7"},
    ),
    Case(
        "not-ip-deny-outside",
        IP,
        E,
        [doc(allow(), deny("*", **cond("NotIpAddress", "aws:SourceIp", ["203.0.113.0/24"])))],
        context={"aws:SourceIp": "198.51.100.7"},
    ),
    Case(
        "not-ip-absent-is-true",
        COND_ABSENT,
        E,
        [doc(allow(), deny("*", **cond("NotIpAddress", "aws:SourceIp", "203.0.113.0/24")))],
    ),
    Case(
        "ip-v6-range",
        IP,
        A,
        [doc(allow(**cond("IpAddress", "aws:SourceIp", "2001:db8::/32")))],
        context={"aws:SourceIp": "2001:db8:1::7"},
    ),
    Case(
        "ip-v4-not-in-v6-range",
        IP,
        IMPLICIT,
        [doc(allow(**cond("IpAddress", "aws:SourceIp", "2001:db8::/32")))],
        context={"aws:SourceIp": "203.0.113.5"},
    ),
    # --- ARN conditions ---
    Case(
        "arn-like",
        ARN,
        A,
        [doc(allow(**cond("ArnLike", "aws:SourceArn", "arn:aws:s3:::my-bucket-*")))],
        context={"aws:SourceArn": "arn:aws:s3:::my-bucket-logs"},
    ),
    Case(
        "arn-equals-wildcards-per-part",
        ARN,
        A,
        [doc(allow(**cond("ArnEquals", "aws:SourceArn", f"arn:aws:sagemaker:*:{ACCOUNT}:*")))],
        context={"aws:SourceArn": f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:training-job/j1"},
    ),
    Case(
        "arn-star-stays-in-its-part",
        ARN,
        IMPLICIT,
        [doc(allow(**cond("ArnLike", "aws:SourceArn", f"arn:aws:sqs:*:{ACCOUNT}:q")))],
        context={"aws:SourceArn": f"arn:aws:sqs:us-east-1:999:{ACCOUNT}:q"},
    ),
    Case(
        "arn-not-like-absent",
        COND_ABSENT,
        A,
        [doc(allow(**cond("ArnNotLike", "aws:SourceArn", "arn:aws:s3:::*")))],
    ),
    Case(
        "arn-value-not-an-arn",
        ARN,
        IMPLICIT,
        [doc(allow(**cond("ArnLike", "aws:SourceArn", "arn:aws:s3:::*")))],
        context={"aws:SourceArn": "my-bucket"},
    ),
    # --- set operators ---
    Case(
        "for-all-values-subset",
        SET_ALL,
        A,
        [doc(allow(**cond("ForAllValues:StringEquals", "aws:TagKeys", ["team", "project"])))],
        context={"aws:TagKeys": ["team"]},
    ),
    Case(
        "for-all-values-extra-key",
        SET_ALL,
        IMPLICIT,
        [doc(allow(**cond("ForAllValues:StringEquals", "aws:TagKeys", ["team", "project"])))],
        context={"aws:TagKeys": ["team", "cost"]},
    ),
    Case(
        "for-all-values-empty-set-is-true",
        SET_ALL,
        A,
        [doc(allow(**cond("ForAllValues:StringEquals", "aws:TagKeys", ["team"])))],
        context={"aws:TagKeys": []},
    ),
    Case(
        "for-all-values-absent-is-true",
        SET_ALL,
        A,
        [doc(allow(**cond("ForAllValues:StringEquals", "aws:TagKeys", ["team"])))],
    ),
    Case(
        "for-any-value-one-matches",
        SET_ANY,
        A,
        [doc(allow(**cond("ForAnyValue:StringEquals", "aws:TagKeys", ["team"])))],
        context={"aws:TagKeys": ["cost", "team"]},
    ),
    Case(
        "for-any-value-absent-is-false",
        SET_ANY,
        IMPLICIT,
        [doc(allow(**cond("ForAnyValue:StringEquals", "aws:TagKeys", ["team"])))],
    ),
    Case(
        "for-any-value-none-match",
        SET_ANY,
        IMPLICIT,
        [doc(allow(**cond("ForAnyValue:StringEquals", "aws:TagKeys", ["team"])))],
        context={"aws:TagKeys": ["cost"]},
    ),
    Case(
        "for-all-values-like",
        SET_ALL,
        A,
        [doc(allow(**cond("ForAllValues:StringLike", "aws:TagKeys", ["ml-*"])))],
        context={"aws:TagKeys": ["ml-team", "ml-cost"]},
    ),
    Case(
        "for-any-value-deny",
        SET_ANY,
        E,
        [doc(allow(), deny(**cond("ForAnyValue:StringEquals", "aws:TagKeys", ["secret"])))],
        context={"aws:TagKeys": ["team", "secret"]},
    ),
    # --- policy variables ---
    Case(
        "variable-own-home",
        VARIABLES,
        A,
        [doc(allow(resource="arn:aws:s3:::my-bucket/home/${aws:username}/*"))],
        resource="arn:aws:s3:::my-bucket/home/alice/notes.txt",
        context={"aws:username": "alice"},
    ),
    Case(
        "variable-other-home",
        VARIABLES,
        IMPLICIT,
        [doc(allow(resource="arn:aws:s3:::my-bucket/home/${aws:username}/*"))],
        resource="arn:aws:s3:::my-bucket/home/bob/notes.txt",
        context={"aws:username": "alice"},
    ),
    Case(
        "variable-missing-no-match",
        VARIABLES,
        IMPLICIT,
        [doc(allow(resource="arn:aws:s3:::my-bucket/home/${aws:username}/*"))],
        resource="arn:aws:s3:::my-bucket/home/alice/notes.txt",
    ),
    Case(
        "variable-literal-in-2008-version",
        VARIABLES,
        IMPLICIT,
        [
            doc(
                allow(resource="arn:aws:s3:::my-bucket/home/${aws:username}/*"),
                version="2008-10-17",
            )
        ],
        resource="arn:aws:s3:::my-bucket/home/alice/notes.txt",
        context={"aws:username": "alice"},
    ),
    Case(
        "variable-from-user-principal",
        VARIABLES,
        A,
        [doc(allow(resource="arn:aws:s3:::my-bucket/home/${aws:username}/*"))],
        resource="arn:aws:s3:::my-bucket/home/alice/notes.txt",
        principal=USER,
    ),
    Case(
        "variable-in-condition",
        VARIABLES,
        A,
        [
            doc(
                allow(
                    "s3:ListBucket",
                    BUCKET,
                    **cond("StringLike", "s3:prefix", "home/${aws:username}/*"),
                )
            )
        ],
        action="s3:ListBucket",
        resource=BUCKET,
        context={"aws:username": "alice", "s3:prefix": "home/alice/2026/"},
    ),
    Case(
        "variable-value-star-is-literal",
        VARIABLES,
        IMPLICIT,
        [doc(allow(resource="arn:aws:s3:::my-bucket/home/${aws:username}/*"))],
        resource="arn:aws:s3:::my-bucket/home/alice/notes.txt",
        context={"aws:username": "*"},
    ),
    Case(
        "variable-escape-star-is-literal",
        VARIABLES,
        A,
        [doc(allow(resource="arn:aws:s3:::my-bucket/${*}"))],
        resource="arn:aws:s3:::my-bucket/*",
    ),
    Case(
        "variable-escape-star-not-wildcard",
        VARIABLES,
        IMPLICIT,
        [doc(allow(resource="arn:aws:s3:::my-bucket/${*}"))],
        resource="arn:aws:s3:::my-bucket/x",
    ),
    Case(
        "variable-default-value",
        VARIABLES,
        A,
        [doc(allow(resource="arn:aws:s3:::my-bucket/${aws:PrincipalTag/team, 'shared'}/*"))],
        resource="arn:aws:s3:::my-bucket/shared/x",
    ),
    # --- resource policies and principals (same account) ---
    Case(
        "resource-policy-names-role",
        PRINCIPAL,
        A,
        principal=ROLE,
        resource_policy=doc(allow(resource=OBJ, Principal={"AWS": ROLE})),
    ),
    Case(
        "resource-policy-role-covers-session",
        PRINCIPAL,
        A,
        principal=SESSION,
        resource_policy=doc(allow(resource=OBJ, Principal={"AWS": ROLE})),
    ),
    Case(
        "resource-policy-other-role",
        PRINCIPAL,
        IMPLICIT,
        principal=f"arn:aws:iam::{ACCOUNT}:role/other",
        resource_policy=doc(allow(resource=OBJ, Principal={"AWS": ROLE})),
    ),
    Case(
        "resource-policy-everyone",
        PRINCIPAL,
        A,
        principal=f"arn:aws:iam::{OTHER}:user/mallory",
        resource_policy=doc(allow(resource=OBJ, Principal="*")),
    ),
    Case(
        "resource-policy-account-root-delegates",
        PRINCIPAL,
        IMPLICIT,
        principal=USER,
        resource_policy=doc(allow(resource=OBJ, Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"})),
    ),
    Case(
        "resource-policy-account-id-delegates",
        PRINCIPAL,
        IMPLICIT,
        principal=USER,
        resource_policy=doc(allow(resource=OBJ, Principal={"AWS": ACCOUNT})),
    ),
    Case(
        "resource-policy-delegation-plus-identity",
        PRINCIPAL,
        A,
        [doc(allow())],
        principal=USER,
        resource_policy=doc(allow(resource=OBJ, Principal={"AWS": ACCOUNT})),
    ),
    Case(
        "resource-policy-account-deny-covers-users",
        PRINCIPAL,
        E,
        [doc(allow())],
        principal=USER,
        resource_policy=doc(deny(resource=OBJ, Principal={"AWS": ACCOUNT})),
    ),
    Case(
        "resource-policy-root-caller-direct",
        PRINCIPAL,
        A,
        principal=ACCOUNT,
        resource_policy=doc(allow(resource=OBJ, Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"})),
    ),
    Case(
        "resource-policy-service",
        PRINCIPAL,
        A,
        principal="logging.s3.amazonaws.com",
        action="s3:PutObject",
        resource_policy=doc(
            allow("s3:PutObject", OBJ, Principal={"Service": "logging.s3.amazonaws.com"})
        ),
    ),
    Case(
        "resource-policy-no-principal-given",
        PRINCIPAL,
        IMPLICIT,
        resource_policy=doc(allow(resource=OBJ, Principal={"AWS": ROLE})),
    ),
    Case(
        "identity-allow-resource-silent",
        SAME_ACCOUNT,
        A,
        [doc(allow())],
        principal=ROLE,
        resource_policy=doc(allow("s3:PutObject", OBJ, Principal={"AWS": ROLE})),
    ),
    Case(
        "identity-allow-resource-deny",
        SAME_ACCOUNT,
        E,
        [doc(allow())],
        principal=ROLE,
        resource_policy=doc(deny(resource=OBJ, Principal={"AWS": ROLE})),
    ),
    Case(
        "resource-allow-identity-deny",
        SAME_ACCOUNT,
        E,
        [doc(deny())],
        principal=ROLE,
        resource_policy=doc(allow(resource=OBJ, Principal={"AWS": ROLE})),
    ),
    Case(
        "not-principal-deny-exempts-listed-with-account",
        NOT_PRINCIPAL,
        A,
        [doc(allow())],
        principal=ROLE,
        resource_policy=doc(
            deny(
                "s3:*",
                OBJ,
                NotPrincipal={"AWS": [ROLE, f"arn:aws:iam::{ACCOUNT}:root"]},
            )
        ),
    ),
    Case(
        "not-principal-deny-role-without-account",
        NOT_PRINCIPAL,
        E,
        [doc(allow())],
        principal=ROLE,
        resource_policy=doc(deny("s3:*", OBJ, NotPrincipal={"AWS": ROLE})),
    ),
    Case(
        "not-principal-deny-others",
        NOT_PRINCIPAL,
        E,
        [doc(allow())],
        principal=USER,
        resource_policy=doc(
            deny("s3:*", OBJ, NotPrincipal={"AWS": [ROLE, f"arn:aws:iam::{ACCOUNT}:root"]})
        ),
    ),
    Case(
        "not-principal-session-of-listed-role",
        NOT_PRINCIPAL,
        A,
        [doc(allow())],
        principal=SESSION,
        resource_policy=doc(
            deny("s3:*", OBJ, NotPrincipal={"AWS": [ROLE, f"arn:aws:iam::{ACCOUNT}:root"]})
        ),
    ),
    Case(
        "principal-arn-context-key",
        PRINCIPAL,
        A,
        [doc(allow(**cond("ArnEquals", "aws:PrincipalArn", ROLE)))],
        principal=SESSION,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_evaluate(case: Case) -> None:
    identity = [parse_policy(d, source=f"identity {i}") for i, d in enumerate(case.identity)]
    resource_policy = (
        parse_policy(case.resource_policy, source="resource policy")
        if case.resource_policy is not None
        else None
    )
    request = Request(case.action, case.resource, case.principal, case.context)
    decision = evaluate(request, identity, resource_policy)
    assert decision.decision == case.expected, f"{case.rule}: {decision.reason}"
    assert decision.allowed == (case.expected == A)
    if case.expected == IMPLICIT:
        assert decision.statements == ()


def test_case_table_is_large_and_cited() -> None:
    assert len(CASES) + len(TRUST_CASES) + len(KMS_CASES) >= 80
    assert len({c.id for c in CASES}) == len(CASES)
    assert all(c.rule for c in CASES)


# --- trust policies ------------------------------------------------------------------------------

SAGEMAKER_TRUST = doc(
    {
        "Effect": "Allow",
        "Principal": {"Service": "sagemaker.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }
)
ACCOUNT_TRUST = doc(
    {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
        "Action": "sts:AssumeRole",
    }
)
EXTERNAL_ID_TRUST = doc(
    {
        "Effect": "Allow",
        "Principal": {"AWS": OTHER},
        "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"sts:ExternalId": "ext-42"}},
    }
)
EVERYONE_TRUST = doc({"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"})
ASSUME_ANY = doc(allow("sts:AssumeRole", ROLE))

TRUST_CASES = [
    (
        "sagemaker-may-assume",
        SAGEMAKER_TRUST,
        "sagemaker.amazonaws.com",
        "sts:AssumeRole",
        {},
        [],
        A,
    ),
    (
        "other-service-may-not",
        SAGEMAKER_TRUST,
        "ec2.amazonaws.com",
        "sts:AssumeRole",
        {},
        [],
        IMPLICIT,
    ),
    ("user-may-not-assume-service-role", SAGEMAKER_TRUST, USER, "sts:AssumeRole", {}, [], IMPLICIT),
    (
        "other-action-not-trusted",
        SAGEMAKER_TRUST,
        "sagemaker.amazonaws.com",
        "sts:AssumeRoleWithWebIdentity",
        {},
        [],
        IMPLICIT,
    ),
    ("account-trust-needs-identity", ACCOUNT_TRUST, USER, "sts:AssumeRole", {}, [], IMPLICIT),
    ("account-trust-plus-identity", ACCOUNT_TRUST, USER, "sts:AssumeRole", {}, [ASSUME_ANY], A),
    (
        "external-id-matches",
        EXTERNAL_ID_TRUST,
        OTHER,
        "sts:AssumeRole",
        {"sts:ExternalId": "ext-42"},
        [],
        A,
    ),
    ("external-id-missing", EXTERNAL_ID_TRUST, OTHER, "sts:AssumeRole", {}, [], IMPLICIT),
    (
        "everyone-trusted",
        EVERYONE_TRUST,
        f"arn:aws:iam::{OTHER}:role/x",
        "sts:AssumeRole",
        {},
        [],
        A,
    ),
]


@pytest.mark.parametrize(
    "trust,principal,action,context,identity,expected",
    [c[1:] for c in TRUST_CASES],
    ids=[c[0] for c in TRUST_CASES],
)
def test_evaluate_trust(trust, principal, action, context, identity, expected) -> None:  # noqa: ANN001
    # Rule: TRUST
    decision = evaluate_trust(
        parse_policy(trust, source="trust policy"),
        principal,
        action,
        context=context,
        identity_policies=[parse_policy(d) for d in identity],
        role_arn=ROLE,
    )
    assert decision.decision == expected, f"{TRUST}: {decision.reason}"


# --- KMS key policies ----------------------------------------------------------------------------

DEFAULT_KEY_POLICY = doc(
    {
        "Sid": "Enable IAM User Permissions",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
        "Action": "kms:*",
        "Resource": "*",
    }
)
ROLE_ONLY_KEY_POLICY = doc(
    {"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "kms:Decrypt", "Resource": "*"}
)
ROOT_ENCRYPT_ONLY = doc(
    {
        "Effect": "Allow",
        "Principal": {"AWS": ACCOUNT},
        "Action": "kms:Encrypt",
        "Resource": "*",
    }
)
KEY_DENY = doc(
    {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
        "Action": "kms:*",
        "Resource": "*",
    },
    {"Effect": "Deny", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"},
)
KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
IDENTITY_DECRYPT = doc(allow("kms:Decrypt", KEY_ARN))
IDENTITY_DENY_DECRYPT = doc(deny("kms:Decrypt", "*"))

KMS_CASES = [
    ("root-delegation-plus-identity", DEFAULT_KEY_POLICY, [IDENTITY_DECRYPT], ROLE, A),
    ("root-delegation-no-identity", DEFAULT_KEY_POLICY, [], ROLE, IMPLICIT),
    ("identity-alone-cannot", ROLE_ONLY_KEY_POLICY, [IDENTITY_DECRYPT], USER, IMPLICIT),
    ("key-policy-names-role", ROLE_ONLY_KEY_POLICY, [], ROLE, A),
    ("key-policy-names-role-session", ROLE_ONLY_KEY_POLICY, [], SESSION, A),
    ("key-policy-deny-wins", KEY_DENY, [IDENTITY_DECRYPT], ROLE, E),
    ("identity-deny-wins", DEFAULT_KEY_POLICY, [IDENTITY_DECRYPT, IDENTITY_DENY_DECRYPT], ROLE, E),
    ("delegation-is-per-action", ROOT_ENCRYPT_ONLY, [IDENTITY_DECRYPT], ROLE, IMPLICIT),
    ("unnamed-caller-of-account", DEFAULT_KEY_POLICY, [IDENTITY_DECRYPT], None, A),
]


@pytest.mark.parametrize(
    "key_policy,identity,principal,expected",
    [c[1:] for c in KMS_CASES],
    ids=[c[0] for c in KMS_CASES],
)
def test_evaluate_key_policy(key_policy, identity, principal, expected) -> None:  # noqa: ANN001
    # Rule: KMS
    decision = evaluate_key_policy(
        parse_policy(key_policy, source="key policy"),
        [parse_policy(d, source="role policy") for d in identity],
        Request("kms:Decrypt", KEY_ARN, principal),
        ACCOUNT,
    )
    assert decision.decision == expected, f"{KMS}: {decision.reason}"


# --- what a decision tells the learner ---------------------------------------------------------


def test_reason_names_statement_pattern_and_policy() -> None:
    policy = parse_policy(doc(allow("s3:*", "*")), source="inline policy X")
    decision = evaluate(Request("s3:DeleteObject", "arn:aws:s3:::my-bucket/x"), [policy])
    assert decision.reason == (
        "s3:DeleteObject on arn:aws:s3:::my-bucket/x is allowed by statement 0 (s3:*) "
        "of inline policy X"
    )
    assert [(r.source, r.index, r.effect) for r in decision.statements] == [
        ("inline policy X", 0, "Allow")
    ]


def test_implicit_deny_reason() -> None:
    policy = parse_policy(doc(allow("s3:GetObject", OBJ)))
    decision = evaluate(Request("s3:ListBucket", BUCKET), [policy])
    assert decision.reason == "no statement allows s3:ListBucket on arn:aws:s3:::my-bucket"


def test_explicit_deny_lists_every_matching_deny_with_sid() -> None:
    policy = parse_policy(
        doc(allow("s3:*"), deny("s3:Delete*", Sid="NoDeletes"), deny("s3:*Object", Sid="NoObj")),
        source="guard",
    )
    decision = evaluate(Request("s3:DeleteObject", OBJ), [policy])
    assert decision.decision == "explicit_deny"
    assert [(r.index, r.sid) for r in decision.statements] == [(1, "NoDeletes"), (2, "NoObj")]
    assert 'statement 1 "NoDeletes" (s3:Delete*) of guard' in decision.reason


def test_key_policy_reason_explains_missing_delegation() -> None:
    decision = evaluate_key_policy(
        parse_policy(ROLE_ONLY_KEY_POLICY, source="key policy"),
        [parse_policy(IDENTITY_DECRYPT)],
        Request("kms:Decrypt", KEY_ARN, USER),
        ACCOUNT,
    )
    assert f"nor delegates to arn:aws:iam::{ACCOUNT}:root" in decision.reason
    assert "identity policy that allows it does not count" in decision.reason


def test_seed_common_permissions_policy() -> None:
    # The study page's "Common Permissions" policy, judged by meaning.
    policy = parse_policy(
        doc(
            allow(["s3:GetObject", "s3:PutObject", "s3:ListBucket"], [BUCKET, BUCKET + "/*"]),
            allow(
                ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                "arn:aws:logs:*:*:*",
            ),
            allow(
                ["ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                "*",
            ),
        )
    )
    allowed = [
        ("s3:GetObject", OBJ),
        ("s3:PutObject", OBJ),
        ("s3:ListBucket", BUCKET),
        ("ecr:GetAuthorizationToken", "*"),
        ("logs:CreateLogGroup", f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/sagemaker/x"),
    ]
    denied = [
        ("s3:DeleteObject", OBJ),
        ("s3:GetObject", "arn:aws:s3:::other-bucket/x"),
        ("s3:PutBucketPolicy", BUCKET),
        ("iam:PassRole", ROLE),
        ("kms:Decrypt", KEY_ARN),
        ("secretsmanager:GetSecretValue", "*"),
    ]
    for action, resource in allowed:
        assert evaluate(Request(action, resource), [policy]).allowed, (action, resource)
    for action, resource in denied:
        assert evaluate(Request(action, resource), [policy]).decision == "implicit_deny"


def test_repeated_evaluation_is_stable() -> None:
    # The per-policy action index is a cache; answers must not change once it is warm.
    policy = parse_policy(doc(allow("s3:Get*", OBJ), deny("s3:GetObjectAcl", OBJ)))
    for _ in range(3):
        assert evaluate(Request("s3:GetObject", OBJ), [policy]).allowed
        assert evaluate(Request("s3:getobjectacl", OBJ), [policy]).decision == "explicit_deny"
        assert not evaluate(Request("s3:GetObject", BUCKET), [policy]).allowed
