"""The vpc-isolation lab, proven both ways: the starter and realistic wrong solutions fail on the
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

LAB = REPO / "labs/vpc-isolation"
NETWORK_CHECKS = {
    "job-subnets",
    "job-security-group",
    "no-open-ingress",
    "subnets-no-public-ip",
    "subnets-no-internet-route",
}

# A boto3 attempt: VPC, subnets and group as the case says, {extra} to spoil something, then
# a job placed in {job_subnets} with {job_groups} (Python expressions over the names above).
ATTEMPT = """
import boto3
ec2 = boto3.client("ec2")
iam = boto3.client("iam")
sm = boto3.client("sagemaker")
vpc_id = ec2.create_vpc(CidrBlock={cidr!r}, TagSpecifications=[
    {{"ResourceType": "vpc", "Tags": [{{"Key": "Name", "Value": {vpc_name!r}}}]}}
])["Vpc"]["VpcId"]
subnet_ids = [
    ec2.create_subnet(VpcId=vpc_id, CidrBlock=block, AvailabilityZone=zone)["Subnet"]["SubnetId"]
    for block, zone in {subnets!r}
]
sg_id = ec2.create_security_group(
    GroupName="sagemaker-training-sg", Description="training", {group_vpc}
)["GroupId"]
{extra}
sm.create_training_job(
    TrainingJobName="vpc-training-3",
    AlgorithmSpecification={{"TrainingImage": "img:1", "TrainingInputMode": "File"}},
    RoleArn=iam.get_role(RoleName="SageMakerExecutionRole")["Role"]["Arn"],
    OutputDataConfig={{"S3OutputPath": "s3://my-bucket/output"}},
    ResourceConfig={{"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 30}},
    StoppingCondition={{"MaxRuntimeInSeconds": 3600}},
    {vpc_config}
)
"""
TWO_ZONES = [("{net}.1.0/24", "us-east-1a"), ("{net}.2.0/24", "us-east-1b")]


def attempt(
    *,
    cidr: str = "10.0.0.0/16",
    vpc_name: str = "ml-vpc",
    subnets: list[tuple[str, str]] | None = None,
    group_vpc: str = "VpcId=vpc_id",
    extra: str = "",
    job_subnets: str = "subnet_ids",
    job_groups: str = "[sg_id]",
    in_vpc: bool = True,
) -> str:
    net = cidr.rsplit(".", 2)[0]
    blocks = [(block.format(net=net), zone) for block, zone in (subnets or TWO_ZONES)]
    vpc_config = (
        f'VpcConfig={{"Subnets": {job_subnets}, "SecurityGroupIds": {job_groups}}},'
        if in_vpc
        else ""
    )
    return ATTEMPT.format(
        cidr=cidr,
        vpc_name=vpc_name,
        subnets=blocks,
        group_vpc=group_vpc,
        extra=extra,
        vpc_config=vpc_config,
    )


def ingress(permission: str) -> str:
    return f"ec2.authorize_security_group_ingress(GroupId=sg_id, IpPermissions=[{permission}])"


SELF_RULE = ingress('{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": sg_id}]}')


@needs_sdk
def test_starter_fails_on_the_network(run_lab):
    report = run_lab("vpc-isolation", (LAB / "starter.py").read_text())
    assert report.run.exit_code == 0, report.run.stderr
    assert failed_ids(report) == {"vpc-exists", "security-group-exists"} | NETWORK_CHECKS
    text = message(report, "job-subnets")
    assert "subnets subnet-abc123, subnet-def456 do not exist" in text
    assert "the study page's placeholders" in text
    assert "sg-12345678 is the study page's placeholder" in message(report, "job-security-group")
    assert "labs never reach real AWS" not in report.run.stderr


def test_starter_without_the_sdk_says_so_in_one_line(run_lab, tmp_path):
    hide_sdk(tmp_path)
    report = run_lab("vpc-isolation", (LAB / "starter.py").read_text())
    assert report.run.exit_code == 1
    lines = report.run.stderr.strip().splitlines()
    assert len(lines) == 1, report.run.stderr
    assert 'pip install "trainer[sagemaker]"' in lines[0]
    assert "create_training_job" in lines[0]


@pytest.mark.parametrize("solution", solution_params(LAB))
def test_solution_passes_and_passes_again(run_lab, sandbox, catalog, solution):
    assert_passes_twice(run_lab, sandbox, catalog, "vpc-isolation", LAB / solution)


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param(SELF_RULE, id="self-referencing-rule"),
        pytest.param(
            ingress(
                '{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, '
                '"IpRanges": [{"CidrIp": "10.0.0.0/16"}]}'
            ),
            id="https-from-inside-the-vpc",
        ),
        pytest.param("", id="no-rules"),
    ],
)
def test_closed_security_groups_pass(run_lab, extra):
    report = run_lab("vpc-isolation", attempt(extra=extra))
    assert report.passed, [(c.id, c.message) for c in report.checks if not c.passed]


IGW = """
igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
main = ec2.describe_route_tables(Filters=[
    {"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "association.main", "Values": ["true"]}
])["RouteTables"][0]["RouteTableId"]
ec2.create_route(RouteTableId=main, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
"""
DEFAULT_SUBNETS = """
default_vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]
default_subnets = [s["SubnetId"] for s in ec2.describe_subnets(
    Filters=[{"Name": "vpc-id", "Values": [default_vpc["VpcId"]]}])["Subnets"]][:2]
"""

# Each case: the learner's code, the checks it must fail, and words each failure must contain.
WRONG = [
    pytest.param(
        attempt(
            extra=ingress(
                '{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, '
                '"IpRanges": [{"CidrIp": "0.0.0.0/0"}]}'
            )
        ),
        {"no-open-ingress"},
        {"no-open-ingress": ["sagemaker-training-sg", "allows tcp 22 from 0.0.0.0/0"]},
        id="ssh-open-to-the-world",
    ),
    pytest.param(
        attempt(
            extra=SELF_RULE
            + "\n"
            + ingress('{"IpProtocol": "-1", "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}')
        ),
        {"no-open-ingress"},
        {"no-open-ingress": ["allows all traffic from ::/0"]},
        id="all-ipv6-open-beside-self-rule",
    ),
    pytest.param(
        attempt(subnets=[("{net}.1.0/24", "us-east-1a"), ("{net}.2.0/24", "us-east-1a")]),
        {"job-subnets"},
        {"job-subnets": ["(us-east-1a)", "at least 2 subnets in at least 2 availability zones"]},
        id="both-subnets-in-one-zone",
    ),
    pytest.param(
        attempt(job_subnets="subnet_ids[:1]"),
        {"job-subnets"},
        {"job-subnets": ["expected at least 2 subnets"]},
        id="one-subnet-only",
    ),
    pytest.param(
        attempt(
            extra="ec2.modify_subnet_attribute(SubnetId=subnet_ids[1], "
            'MapPublicIpOnLaunch={"Value": True})'
        ),
        {"subnets-no-public-ip"},
        {
            "subnets-no-public-ip": [
                "assign public IP addresses on launch",
                "modify_subnet_attribute",
            ]
        },
        id="subnet-maps-public-ips",
    ),
    pytest.param(
        attempt(extra=IGW),
        {"subnets-no-internet-route"},
        {"subnets-no-internet-route": ["0.0.0.0/0 -> igw-", "public subnets"]},
        id="internet-gateway-route",
    ),
    pytest.param(
        attempt(group_vpc=""),
        {"security-group-exists", "job-security-group"},
        {
            "security-group-exists": ["the default VPC", "not in ml-vpc", "VpcId"],
            "job-security-group": ["another VPC than its subnets"],
        },
        id="group-in-the-default-vpc",
    ),
    pytest.param(
        attempt(in_vpc=False),
        {"job-in-vpc"} | NETWORK_CHECKS,
        {
            "job-in-vpc": ["has no VPC configuration", "subnets=", "security_group_ids="],
            "job-subnets": ["cannot check", "no VPC configuration"],
        },
        id="job-without-vpc-config",
    ),
    pytest.param(
        attempt(cidr="10.1.0.0/16"),
        {"vpc-exists"},
        {"vpc-exists": ["has the CIDR block 10.1.0.0/16, expected 10.0.0.0/16"]},
        id="wrong-cidr",
    ),
    pytest.param(
        attempt(vpc_name="ML-VPC"),
        {"vpc-exists", "security-group-exists", "job-subnets"},
        {
            "vpc-exists": ["no VPC tagged Name=ml-vpc", "Name=ML-VPC"],
            "job-subnets": ["no VPC tagged Name=ml-vpc"],
        },
        id="vpc-name-wrong-case",
    ),
    pytest.param(
        attempt(extra=DEFAULT_SUBNETS, job_subnets="default_subnets"),
        {
            "job-subnets",
            "job-security-group",
            "subnets-no-public-ip",
            # A real default VPC also routes to an internet gateway; the simulator's has none.
        },
        {
            "job-subnets": ["uses subnets outside ml-vpc"],
            "subnets-no-public-ip": ["MapPublicIpOnLaunch is true"],
        },
        id="default-vpc-subnets",
    ),
]


@pytest.mark.parametrize(("code", "failing", "words"), WRONG)
def test_wrong_solution_fails_on_the_right_check(run_lab, code, failing, words):
    report = run_lab("vpc-isolation", code)
    assert report.run.exit_code == 0, report.run.stderr
    assert failed_ids(report) == failing, [(c.id, c.message) for c in report.checks]
    for check_id, expected in words.items():
        text = message(report, check_id)
        for word in expected:
            assert word in text, (check_id, text)
