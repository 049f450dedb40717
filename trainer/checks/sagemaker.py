"""SageMaker training-job checks: which job, which role, where its output goes, which KMS keys
encrypt it, and where in the network it runs.

A lab names its job by a prefix (``secure-training``) because the SageMaker SDK appends a
timestamp to the names it makes. When several jobs match, the newest is judged: it is the
learner's latest attempt.
"""

from __future__ import annotations

from typing import Any

from trainer.checks.ec2 import (
    find_vpc_by_name,
    get_security_groups,
    get_subnets,
    missing_vpc,
    open_ingress,
    route_table_of_subnet,
    tag_value,
    vpc_label,
)
from trainer.checks.iam import get_role
from trainer.checks.kms import describe_key, is_aws_managed, key_label, resolve_lab_key, same_key
from trainer.checks.registry import CheckContext, Outcome, check, failed, passed, what_is_there

# -- lookups -------------------------------------------------------------------------------


def training_jobs(ctx: CheckContext) -> list[dict[str, Any]]:
    """Summaries of every training job in the sandbox, newest first."""

    def fetch() -> list[dict[str, Any]]:
        pages = ctx.client("sagemaker").get_paginator("list_training_jobs").paginate()
        jobs = [j for page in pages for j in page["TrainingJobSummaries"]]
        return sorted(
            jobs, key=lambda j: (j.get("CreationTime") or 0, j["TrainingJobName"]), reverse=True
        )

    return ctx.memo("sagemaker.training_jobs", fetch)


def find_training_job(ctx: CheckContext, name_prefix: str) -> dict[str, Any] | None:
    """DescribeTrainingJob of the newest job whose name starts with NAME_PREFIX, or None."""

    def fetch() -> dict[str, Any] | None:
        for summary in training_jobs(ctx):
            if summary["TrainingJobName"].startswith(name_prefix):
                sagemaker = ctx.client("sagemaker")
                return sagemaker.describe_training_job(TrainingJobName=summary["TrainingJobName"])
        return None

    return ctx.memo(("sagemaker.training_job", name_prefix), fetch)


def _missing_job(ctx: CheckContext, name_prefix: str) -> Outcome:
    there = what_is_there("training jobs", [j["TrainingJobName"] for j in training_jobs(ctx)])
    return failed(
        f"no training job whose name starts with {name_prefix}; {there}. Start one with "
        f'Estimator(..., base_job_name="{name_prefix}").fit(wait=False) or '
        f'sagemaker.create_training_job(TrainingJobName="{name_prefix}-1", ...) '
        "(names are case-sensitive)"
    )


def _job_or_problem(ctx: CheckContext, name_prefix: str) -> tuple[dict[str, Any] | None, Outcome]:
    job = find_training_job(ctx, name_prefix)
    if job is None:
        return None, failed(f"cannot check: no training job whose name starts with {name_prefix}")
    return job, passed("")


# -- the job and its role ------------------------------------------------------------------


@check("sagemaker.training_job_exists", services=("sagemaker",))
def training_job_exists(ctx: CheckContext, name_prefix: str) -> Outcome:
    """A training job whose name starts with NAME_PREFIX exists."""
    job = find_training_job(ctx, name_prefix)
    if job is None:
        return _missing_job(ctx, name_prefix)
    status = job.get("TrainingJobStatus", "?")
    return passed(f"training job {job['TrainingJobName']} exists ({status})")


@check("sagemaker.training_job_role", services=("sagemaker", "iam"))
def training_job_role(ctx: CheckContext, name_prefix: str, role: str) -> Outcome:
    """The job runs as the role ROLE of this account (its RoleArn is that role's ARN)."""
    job, problem = _job_or_problem(ctx, name_prefix)
    if job is None:
        return problem
    name = job["TrainingJobName"]
    actual = job.get("RoleArn", "")
    expected = get_role(ctx, role)
    if expected is None:
        return failed(f"cannot check: there is no role named {role}")
    if actual == expected["Arn"]:
        return passed(f"training job {name} runs as {role}")
    return failed(
        f"training job {name} runs as {actual or 'no role'}, expected {expected['Arn']}: the job "
        f"gets the permissions of the role you pass. Pass role=<the ARN of {role}> (boto3: "
        "RoleArn=iam.get_role(RoleName=...)['Role']['Arn'])"
    )


@check("sagemaker.training_job_output_path", services=("sagemaker",))
def training_job_output_path(ctx: CheckContext, name_prefix: str, s3_uri: str) -> Outcome:
    """The job writes its model artifacts under S3_URI (a trailing slash makes no difference)."""
    job, problem = _job_or_problem(ctx, name_prefix)
    if job is None:
        return problem
    name = job["TrainingJobName"]
    actual = job.get("OutputDataConfig", {}).get("S3OutputPath", "")
    if actual.rstrip("/") == s3_uri.rstrip("/"):
        return passed(f"training job {name} writes to {s3_uri}")
    return failed(
        f"training job {name} writes to {actual or 'nowhere'}, expected {s3_uri}. Pass "
        f'output_path="{s3_uri}" (boto3: OutputDataConfig={{"S3OutputPath": "{s3_uri}", ...}})'
    )


# -- KMS keys ------------------------------------------------------------------------------


def _form(ref: str) -> str:
    """Which of the four ways of naming a key REF uses, for the learner's benefit."""
    if ref.startswith("arn:"):
        return "alias ARN" if ":alias/" in ref else "key ARN"
    return "alias name" if ref.startswith("alias/") else "key id"


def _judge_key(
    ctx: CheckContext,
    name_prefix: str,
    key: str | None,
    key_of_bucket: str | None,
    *,
    field: str,
    what: str,
    sdk_arg: str,
    default: str,
) -> Outcome:
    """The job's key at FIELD ("Section.Attribute") against the lab key (KEY, or the key that
    encrypts KEY_OF_BUCKET), each failure with its own message."""
    job, problem = _job_or_problem(ctx, name_prefix)
    if job is None:
        return problem
    expected, problem = resolve_lab_key(ctx, key, key_of_bucket)
    if expected is None:
        return problem
    section, attribute = field.split(".")
    ref = job.get(section, {}).get(attribute)
    name = job["TrainingJobName"]
    fix = f"pass {sdk_arg}=<the ARN of {expected}> (boto3: {field})"
    lab_key = describe_key(ctx, expected)
    if lab_key is None:
        return failed(f"cannot check: the lab key {expected} does not exist")
    if not ref:
        return failed(
            f"training job {name} encrypts {what} without a key of yours ({field} is not set, so "
            f"{default}); {fix}"
        )
    if describe_key(ctx, ref) is None:
        return failed(
            f"training job {name} names the key {ref!r} for {what}, and no such key exists: "
            f"SageMaker could not encrypt with it; {fix}"
        )
    if same_key(ctx, ref, expected):
        state = lab_key.get("KeyState")
        if state != "Enabled":
            return failed(
                f"training job {name} encrypts {what} with {expected}, but that key is {state}: "
                f"SageMaker cannot use it. Enable the key (kms.enable_key) and start the job again"
            )
        return passed(
            f"training job {name} encrypts {what} with {expected} (given as {_form(ref)})"
        )
    if is_aws_managed(ctx, ref):
        return failed(
            f"training job {name} encrypts {what} with the AWS managed key {key_label(ctx, ref)}, "
            f"expected the customer managed key {expected}: you cannot change an AWS managed "
            f"key's policy, so you cannot limit who may decrypt; {fix}"
        )
    return failed(
        f"training job {name} encrypts {what} with another key, {key_label(ctx, ref)}, expected "
        f"{expected} (key {lab_key['KeyId']}); {fix}"
    )


@check("sagemaker.training_job_output_key", services=("sagemaker", "kms", "s3"))
def training_job_output_key(
    ctx: CheckContext, name_prefix: str, key: str | None = None, key_of_bucket: str | None = None
) -> Outcome:
    """OutputDataConfig.KmsKeyId names KEY (as key id, key ARN, alias or alias ARN), enabled;
    with KEY_OF_BUCKET, the customer managed key that encrypts that bucket by default."""
    return _judge_key(
        ctx,
        name_prefix,
        key,
        key_of_bucket,
        field="OutputDataConfig.KmsKeyId",
        what="its output (the model artifacts in S3)",
        sdk_arg="output_kms_key",
        default="SageMaker uses the AWS managed key aws/s3",
    )


@check("sagemaker.training_job_volume_key", services=("sagemaker", "kms", "s3"))
def training_job_volume_key(
    ctx: CheckContext, name_prefix: str, key: str | None = None, key_of_bucket: str | None = None
) -> Outcome:
    """ResourceConfig.VolumeKmsKeyId names KEY (as key id, key ARN, alias or alias ARN),
    enabled; with KEY_OF_BUCKET, the customer managed key that encrypts that bucket by default."""
    return _judge_key(
        ctx,
        name_prefix,
        key,
        key_of_bucket,
        field="ResourceConfig.VolumeKmsKeyId",
        what="its training volume (the storage attached to the instances)",
        sdk_arg="volume_kms_key",
        default=(
            "SageMaker encrypts the volume with a transient key it discards, which you can "
            "neither control nor audit"
        ),
    )


# -- the network ---------------------------------------------------------------------------

_PAGE_PLACEHOLDERS = {"subnet-abc123", "subnet-def456", "sg-12345678"}


def _vpc_config(ctx: CheckContext, name_prefix: str) -> tuple[dict[str, Any] | None, Outcome]:
    job, problem = _job_or_problem(ctx, name_prefix)
    if job is None:
        return None, problem
    config = job.get("VpcConfig") or {}
    if not config.get("Subnets"):
        return None, failed(
            f"cannot check: training job {job['TrainingJobName']} has no VPC configuration"
        )
    return job, passed("")


def _unknown(ids: list[str], kind: str, made_by: str) -> str:
    """'subnets a, b do not exist', pointing out the study page's placeholder ids."""
    many = len(ids) > 1
    text = f"{kind}{'s' if many else ''} {', '.join(ids)} do{'' if many else 'es'} not exist"
    placeholders = [i for i in ids if i in _PAGE_PLACEHOLDERS]
    if placeholders:
        verb = "are" if len(placeholders) > 1 else "is"
        text += (
            f" ({', '.join(placeholders)} {verb} the study page's placeholder"
            f"{'s' if len(placeholders) > 1 else ''}: use the ids {made_by} returned)"
        )
    return text


@check("sagemaker.training_job_in_vpc", services=("sagemaker",))
def training_job_in_vpc(ctx: CheckContext, name_prefix: str) -> Outcome:
    """The job has a VPC configuration naming at least one subnet and one security group."""
    job, problem = _job_or_problem(ctx, name_prefix)
    if job is None:
        return problem
    name = job["TrainingJobName"]
    config = job.get("VpcConfig") or {}
    subnets, groups = config.get("Subnets") or [], config.get("SecurityGroupIds") or []
    if subnets and groups:
        return passed(
            f"training job {name} runs in subnets {', '.join(subnets)} with security groups "
            f"{', '.join(groups)}"
        )
    return failed(
        f"training job {name} has no VPC configuration, so it runs in a network SageMaker "
        "manages, with internet access: pass subnets=[...] and security_group_ids=[...] "
        '(boto3: VpcConfig={"Subnets": [...], "SecurityGroupIds": [...]})'
    )


@check("sagemaker.training_job_subnets", services=("sagemaker", "ec2"))
def training_job_subnets(
    ctx: CheckContext, name_prefix: str, vpc: str, min_subnets: int = 2, min_zones: int = 2
) -> Outcome:
    """The job's subnets exist, number at least MIN_SUBNETS, span at least MIN_ZONES availability
    zones, and all belong to the VPC tagged Name=VPC."""
    job, problem = _vpc_config(ctx, name_prefix)
    if job is None:
        return problem
    name = job["TrainingJobName"]
    ids = job["VpcConfig"]["Subnets"]
    found = get_subnets(ctx, ids)
    unknown = [i for i in ids if i not in found]
    if unknown:
        return failed(f"training job {name}: {_unknown(unknown, 'subnet', 'create_subnet')}")
    expected_vpc = find_vpc_by_name(ctx, vpc)
    if expected_vpc is None:
        return missing_vpc(ctx, vpc)
    elsewhere = [i for i in ids if found[i]["VpcId"] != expected_vpc["VpcId"]]
    if elsewhere:
        where = "; ".join(f"{i} is in {found[i]['VpcId']}" for i in elsewhere)
        return failed(
            f"training job {name} uses subnets outside {vpc} ({where}), expected every subnet in "
            f"{vpc_label(expected_vpc)}"
        )
    zones = sorted({found[i]["AvailabilityZone"] for i in ids})
    if len(set(ids)) < min_subnets or len(zones) < min_zones:
        listing = ", ".join(f"{i} ({found[i]['AvailabilityZone']})" for i in ids)
        return failed(
            f"training job {name} runs in {listing}, expected at least {min_subnets} subnets in "
            f"at least {min_zones} availability zones, so that losing one zone does not stop "
            "training; create the subnets with different AvailabilityZone values"
        )
    return passed(
        f"training job {name} runs in {len(set(ids))} subnets of {vpc} across {', '.join(zones)}"
    )


@check("sagemaker.training_job_security_group", services=("sagemaker", "ec2"))
def training_job_security_group(ctx: CheckContext, name_prefix: str, group: str) -> Outcome:
    """The job's security groups include one named GROUP, and every group it uses is in the same
    VPC as its subnets."""
    job, problem = _vpc_config(ctx, name_prefix)
    if job is None:
        return problem
    name = job["TrainingJobName"]
    ids = job["VpcConfig"].get("SecurityGroupIds") or []
    found = get_security_groups(ctx, ids)
    unknown = [i for i in ids if i not in found]
    if unknown:
        missing = _unknown(unknown, "security group", "create_security_group")
        return failed(f"training job {name}: {missing}")
    names = {i: found[i]["GroupName"] for i in ids}
    if group not in names.values():
        shown = ", ".join(f"{i} ({n})" for i, n in names.items()) or "none"
        return failed(
            f"training job {name} uses the security groups {shown}, expected the group {group}; "
            f"pass security_group_ids=[<the GroupId of {group}>]"
        )
    subnet_vpcs = {s["VpcId"] for s in get_subnets(ctx, job["VpcConfig"]["Subnets"]).values()}
    stray = [
        f"{names[i]} ({found[i]['VpcId']})" for i in ids if found[i]["VpcId"] not in subnet_vpcs
    ]
    if stray and subnet_vpcs:
        return failed(
            f"training job {name} uses security groups from another VPC than its subnets "
            f"({', '.join(stray)}; subnets in {', '.join(sorted(subnet_vpcs))}): create the group "
            "with VpcId=<your VPC's id>"
        )
    return passed(f"training job {name} uses the security group {group}")


@check("sagemaker.training_job_no_open_ingress", services=("sagemaker", "ec2"))
def training_job_no_open_ingress(ctx: CheckContext, name_prefix: str) -> Outcome:
    """No security group of the job allows inbound traffic from 0.0.0.0/0 or ::/0. Rules that
    name a security group (such as the group itself, for distributed training) are fine."""
    job, problem = _vpc_config(ctx, name_prefix)
    if job is None:
        return problem
    name = job["TrainingJobName"]
    ids = job["VpcConfig"].get("SecurityGroupIds") or []
    found = get_security_groups(ctx, ids)
    if not found:
        return failed(f"cannot check: training job {name} names no security group that exists")
    open_rules = [
        f"{g['GroupName']} ({g['GroupId']}) allows {rule}"
        for g in found.values()
        for rule in open_ingress(g)
    ]
    if open_rules:
        return failed(
            f"{'; '.join(open_rules)}: anyone on the internet may connect to the training "
            "instances. Remove those rules (ec2.revoke_security_group_ingress); to let the "
            "instances of a distributed job talk to each other, allow the group itself as source"
        )
    shown = ", ".join(g["GroupName"] for g in found.values())
    return passed(
        f"the security groups of training job {name} ({shown}) allow no inbound "
        "traffic from anywhere"
    )


@check("sagemaker.training_job_subnets_no_public_ip", services=("sagemaker", "ec2"))
def training_job_subnets_no_public_ip(ctx: CheckContext, name_prefix: str) -> Outcome:
    """None of the job's subnets gives instances a public IPv4 address on launch."""
    job, problem = _vpc_config(ctx, name_prefix)
    if job is None:
        return problem
    name = job["TrainingJobName"]
    found = get_subnets(ctx, job["VpcConfig"]["Subnets"])
    if not found:
        return failed(f"cannot check: training job {name} names no subnet that exists")
    public = [i for i, s in found.items() if s.get("MapPublicIpOnLaunch")]
    if public:
        return failed(
            f"subnets {', '.join(public)} of training job {name} assign public IP addresses on "
            "launch (MapPublicIpOnLaunch is true), expected private subnets: turn it off with "
            "ec2.modify_subnet_attribute(SubnetId=..., MapPublicIpOnLaunch={'Value': False})"
        )
    return passed(f"the subnets of training job {name} assign no public IP addresses")


@check("sagemaker.training_job_subnets_no_internet_route", services=("sagemaker", "ec2"))
def training_job_subnets_no_internet_route(ctx: CheckContext, name_prefix: str) -> Outcome:
    """No subnet of the job routes to an internet gateway (that would make it a public subnet).
    Routes through a NAT gateway are fine: they allow no inbound connections."""
    job, problem = _vpc_config(ctx, name_prefix)
    if job is None:
        return problem
    name = job["TrainingJobName"]
    found = get_subnets(ctx, job["VpcConfig"]["Subnets"])
    if not found:
        return failed(f"cannot check: training job {name} names no subnet that exists")
    public = []
    for subnet_id, subnet in sorted(found.items()):
        table = route_table_of_subnet(ctx, subnet)
        for route in (table or {}).get("Routes", []):
            if str(route.get("GatewayId", "")).startswith("igw-"):
                destination = (
                    route.get("DestinationCidrBlock")
                    or route.get("DestinationIpv6CidrBlock")
                    or "?"
                )
                label = tag_value(table) or table["RouteTableId"]
                public.append(
                    f"{subnet_id} (route table {label}: {destination} -> {route['GatewayId']})"
                )
    if public:
        return failed(
            f"subnets of training job {name} route to an internet gateway, which makes them public "
            f"subnets: {'; '.join(public)}. Keep training subnets on a route table without an "
            "internet gateway route; reach AWS services through VPC endpoints instead"
        )
    return passed(f"the subnets of training job {name} have no route to an internet gateway")
