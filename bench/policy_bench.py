"""Decisions per second: trainer.policy.evaluate against moto's IAMPolicy.is_action_permitted.

10,000 seeded requests against one 20-statement identity policy with conditions; each
evaluator runs the whole batch several times and the median is printed. Run:

    python bench/policy_bench.py [--runs 7] [--requests 10000]

moto decides conditions other than StringEquals by ignoring them, so the two do not always
agree; the number of disagreements is printed for information, not as a failure.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable

from trainer.policy import Request, evaluate, parse_policy

ACCOUNT = "111122223333"
BUCKETS = ["ml-data", "ml-models", "ml-logs", "scratch"]


def build_policy() -> dict:
    """A realistic SageMaker-style identity policy: 20 statements, most with conditions."""
    s: list[dict] = [
        {
            "Sid": "ReadData",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:GetObjectVersion"],
            "Resource": "arn:aws:s3:::ml-data/*",
            "Condition": {"StringEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}},
        },
        {
            "Sid": "ListData",
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": "arn:aws:s3:::ml-data",
            "Condition": {"StringLike": {"s3:prefix": ["train/*", "validation/*"]}},
        },
        {
            "Sid": "WriteModels",
            "Effect": "Allow",
            "Action": ["s3:PutObject", "s3:GetObject"],
            "Resource": "arn:aws:s3:::ml-models/*",
            "Condition": {"StringEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}},
        },
        {
            "Sid": "TLSOnly",
            "Effect": "Deny",
            "Action": "s3:*",
            "Resource": "*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
        {
            "Sid": "NoDeletes",
            "Effect": "Deny",
            "Action": ["s3:DeleteObject", "s3:DeleteBucket"],
            "Resource": "*",
        },
        {
            "Sid": "Logs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": f"arn:aws:logs:*:{ACCOUNT}:log-group:/aws/sagemaker/*",
        },
        {
            "Sid": "EcrToken",
            "Effect": "Allow",
            "Action": "ecr:GetAuthorizationToken",
            "Resource": "*",
        },
        {
            "Sid": "EcrPull",
            "Effect": "Allow",
            "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
            "Resource": f"arn:aws:ecr:*:{ACCOUNT}:repository/ml-*",
        },
        {
            "Sid": "KmsUse",
            "Effect": "Allow",
            "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
            "Resource": f"arn:aws:kms:us-east-1:{ACCOUNT}:key/*",
            "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}},
        },
        {
            "Sid": "CorpNetwork",
            "Effect": "Deny",
            "Action": "*",
            "Resource": "*",
            "Condition": {
                "NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24"]},
                "Bool": {"aws:ViaAWSService": "false"},
            },
        },
        {
            "Sid": "Training",
            "Effect": "Allow",
            "Action": ["sagemaker:CreateTrainingJob", "sagemaker:DescribeTrainingJob"],
            "Resource": f"arn:aws:sagemaker:*:{ACCOUNT}:training-job/*",
            "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "project"]}},
        },
        {
            "Sid": "Endpoints",
            "Effect": "Allow",
            "Action": "sagemaker:InvokeEndpoint",
            "Resource": f"arn:aws:sagemaker:*:{ACCOUNT}:endpoint/*",
            "Condition": {"StringEqualsIfExists": {"aws:SourceVpc": "vpc-0abc"}},
        },
        {
            "Sid": "PassRole",
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": f"arn:aws:iam::{ACCOUNT}:role/SageMaker*",
            "Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
        },
        {
            "Sid": "Secrets",
            "Effect": "Allow",
            "Action": "secretsmanager:GetSecretValue",
            "Resource": f"arn:aws:secretsmanager:*:{ACCOUNT}:secret:ml/*",
            "Condition": {"Null": {"aws:PrincipalTag/team": "false"}},
        },
        {
            "Sid": "ScratchAll",
            "Effect": "Allow",
            "Action": "s3:*Object",
            "Resource": "arn:aws:s3:::scratch/${aws:username}/*",
        },
        {
            "Sid": "BusinessHours",
            "Effect": "Allow",
            "Action": "sagemaker:CreateEndpoint",
            "Resource": f"arn:aws:sagemaker:*:{ACCOUNT}:endpoint/*",
            "Condition": {"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}},
        },
        {
            "Sid": "SmallLists",
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": "arn:aws:s3:::ml-models",
            "Condition": {"NumericLessThanEquals": {"s3:max-keys": "100"}},
        },
        {
            "Sid": "OrgOnly",
            "Effect": "Deny",
            "Action": "s3:PutObject",
            "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:ResourceOrgID": "o-example"}},
        },
        {
            "Sid": "Describe",
            "Effect": "Allow",
            "Action": ["sagemaker:Describe*", "sagemaker:List*"],
            "Resource": "*",
        },
        {
            "Sid": "NoIam",
            "Effect": "Deny",
            "NotAction": ["iam:PassRole", "iam:GetRole"],
            "Resource": f"arn:aws:iam::{ACCOUNT}:*",
            "Condition": {
                "ArnNotLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/Admin*"}
            },
        },
    ]
    assert len(s) == 20
    return {"Version": "2012-10-17", "Statement": s}


ACTIONS = [
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "s3:DeleteObject",
    "s3:GetObjectVersion",
    "logs:PutLogEvents",
    "logs:CreateLogStream",
    "ecr:GetAuthorizationToken",
    "ecr:BatchGetImage",
    "kms:Decrypt",
    "kms:Encrypt",
    "sagemaker:CreateTrainingJob",
    "sagemaker:InvokeEndpoint",
    "sagemaker:DescribeModel",
    "iam:PassRole",
    "iam:CreateUser",
    "secretsmanager:GetSecretValue",
    "ec2:RunInstances",
]


def resource_for(action: str, rng: random.Random, i: int) -> str:
    service = action.split(":")[0]
    if action == "s3:ListBucket":
        return f"arn:aws:s3:::{rng.choice(BUCKETS)}"
    if service == "s3":
        bucket = rng.choice(BUCKETS)
        key = f"alice/{i}.bin" if bucket == "scratch" else f"train/part-{i}.csv"
        return f"arn:aws:s3:::{bucket}/{key}"
    if service == "logs":
        group = "/aws/sagemaker/TrainingJobs"
        return f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{group}:log-stream:j{i}"
    if service == "ecr":
        return (
            "*"
            if action.endswith("Token")
            else f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/ml-{i % 7}"
        )
    if service == "kms":
        return f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k-{i % 11}"
    if service == "sagemaker":
        kind = "endpoint" if "Endpoint" in action else "training-job"
        return f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:{kind}/job-{i}"
    if service == "iam":
        return f"arn:aws:iam::{ACCOUNT}:role/SageMakerRole{i % 3}"
    if service == "secretsmanager":
        return f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:ml/db-{i % 5}"
    return "*"


def build_requests(count: int, seed: int = 7) -> list[tuple[str, str, dict[str, str]]]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        action = rng.choice(ACTIONS)
        context = {
            "aws:SecureTransport": rng.choice(["true", "true", "true", "false"]),
            "aws:SourceIp": rng.choice(["203.0.113.9", "198.51.100.20", "192.0.2.1"]),
            "aws:ViaAWSService": rng.choice(["false", "true"]),
            "aws:RequestedRegion": rng.choice(["us-east-1", "eu-west-1", "ap-south-1"]),
            "aws:username": "alice",
            "aws:CurrentTime": "2026-11-28T10:00:00Z",
        }
        if rng.random() < 0.5:
            context["s3:prefix"] = rng.choice(["train/", "validation/", "secret/"])
        if rng.random() < 0.5:
            context["iam:PassedToService"] = "sagemaker.amazonaws.com"
        out.append((action, resource_for(action, rng, i), context))
    return out


def time_runs(fn: Callable[[], object], runs: int) -> list[float]:
    fn()  # warm-up: imports, caches, regex compilation
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - start)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--requests", type=int, default=10_000)
    args = parser.parse_args()

    document = build_policy()
    raw = build_requests(args.requests)
    policy = parse_policy(document, source="bench policy")
    ours_requests = [Request(a, r, None, c) for a, r, c in raw]

    from moto.iam.access_control import IAMPolicy, PermissionResult

    moto_policy = IAMPolicy(json.dumps(document))

    def run_ours() -> list[bool]:
        return [evaluate(req, (policy,)).allowed for req in ours_requests]

    def run_moto() -> list[bool]:
        return [
            moto_policy.is_action_permitted(a, r, None, c) == PermissionResult.PERMITTED
            for a, r, c in raw
        ]

    ours = time_runs(run_ours, args.runs)
    moto = time_runs(run_moto, args.runs)
    ours_med, moto_med = statistics.median(ours), statistics.median(moto)
    ours_rate, moto_rate = args.requests / ours_med, args.requests / moto_med
    allowed = run_ours()
    disagreements = sum(x != y for x, y in zip(allowed, run_moto(), strict=True))

    print(f"policy: 20 statements; requests: {args.requests}; runs: {args.runs} (median)")
    print(f"trainer.policy.evaluate  {ours_med * 1000:9.1f} ms  {ours_rate:12,.0f} decisions/s")
    print(f"moto is_action_permitted {moto_med * 1000:9.1f} ms  {moto_rate:12,.0f} decisions/s")
    print(f"ratio (ours / moto): {ours_rate / moto_rate:.1f}x")
    print(
        f"allowed: {sum(allowed)} of {len(allowed)}; moto disagrees on {disagreements} "
        "(it skips every condition operator but StringEquals)"
    )


if __name__ == "__main__":
    main()
