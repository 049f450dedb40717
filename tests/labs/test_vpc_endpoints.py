"""The vpc-endpoints lab, proven both ways: the starter and realistic wrong solutions fail on the
right check with the right message; every reference solution passes."""

from __future__ import annotations

import pytest
from helpers import REPO, failed_ids, message

LAB = REPO / "labs/vpc-endpoints"
API, RUNTIME, S3 = (
    "com.amazonaws.us-east-1.sagemaker.api",
    "com.amazonaws.us-east-1.sagemaker.runtime",
    "com.amazonaws.us-east-1.s3",
)
INTERFACE_CHECKS = ("endpoint-exists", "endpoint-type", "private-dns", "subnets", "security-group")
API_CHECKS = {f"api-{c}" for c in INTERFACE_CHECKS}
RUNTIME_CHECKS = {f"runtime-{c}" for c in INTERFACE_CHECKS}
S3_CHECKS = {"s3-endpoint-exists", "s3-endpoint-type", "s3-route-table"}

# Finds what setup made; then the three endpoints, each overridable by a test case.
PRELUDE = """
import boto3
ec2 = boto3.client("ec2")
vpc = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["ml-vpc"]}])["Vpcs"][0]["VpcId"]
in_vpc = [{"Name": "vpc-id", "Values": [vpc]}]
subnets = {
    next(t["Value"] for t in s["Tags"] if t["Key"] == "Name"): s["SubnetId"]
    for s in ec2.describe_subnets(Filters=in_vpc)["Subnets"]
}
both = [subnets["ml-vpc-private-a"], subnets["ml-vpc-private-b"]]
sg = ec2.describe_security_groups(
    Filters=in_vpc + [{"Name": "group-name", "Values": ["endpoint-sg"]}]
)["SecurityGroups"][0]["GroupId"]
rtb = ec2.describe_route_tables(
    Filters=[{"Name": "tag:Name", "Values": ["ml-vpc-private"]}]
)["RouteTables"][0]["RouteTableId"]
"""
INTERFACE = (
    'ec2.create_vpc_endpoint(VpcId=vpc, ServiceName="{service}", VpcEndpointType="Interface", '
    "SubnetIds=both, SecurityGroupIds=[sg], PrivateDnsEnabled=True)\n"
)
GATEWAY = (
    f'ec2.create_vpc_endpoint(VpcId=vpc, ServiceName="{S3}", VpcEndpointType="Gateway", '
    "RouteTableIds=[rtb])\n"
)


def endpoints(
    api: str | None = None, runtime: str | None = None, s3: str | None = None, after: str = ""
) -> str:
    """Code that makes all three endpoints right, except those given (a line of code, or "")."""
    return (
        PRELUDE
        + (INTERFACE.format(service=API) if api is None else api)
        + (INTERFACE.format(service=RUNTIME) if runtime is None else runtime)
        + (GATEWAY if s3 is None else s3)
        + after
    )


def test_starter_fails(run_lab):
    report = run_lab("vpc-endpoints", (LAB / "starter.py").read_text())
    assert report.run.exit_code == 0
    # Without VpcEndpointType, every endpoint is a gateway endpoint.
    assert failed_ids(report) == (API_CHECKS | RUNTIME_CHECKS) - {
        "api-endpoint-exists",
        "runtime-endpoint-exists",
    } | {"s3-route-table"}
    assert "when VpcEndpointType is left out" in message(report, "api-endpoint-type")


@pytest.mark.parametrize("solution", sorted(p.name for p in LAB.glob("solution*.py")))
def test_solutions_pass(run_lab, solution):
    report = run_lab("vpc-endpoints", (LAB / solution).read_text())
    assert report.run.ok, report.run.stderr
    assert report.passed, [c.message for c in report.checks if not c.passed]


def test_private_dns_is_on_by_default_for_interface_endpoints(run_lab):
    # AWS's documented default for PrivateDnsEnabled is true, and moto follows it.
    api = INTERFACE.format(service=API).replace(", PrivateDnsEnabled=True", "")
    report = run_lab("vpc-endpoints", endpoints(api=api))
    assert report.passed, [c.message for c in report.checks if not c.passed]


@pytest.mark.parametrize(
    ("case", "source", "failing", "words"),
    [
        (
            "S3 as an interface endpoint",
            endpoints(
                s3=f'ec2.create_vpc_endpoint(VpcId=vpc, ServiceName="{S3}", '
                'VpcEndpointType="Interface", SubnetIds=both, SecurityGroupIds=[sg])\n'
            ),
            {"s3-endpoint-type", "s3-route-table"},
            [
                "should be a Gateway endpoint",
                "Gateway endpoints exist only for S3 and DynamoDB",
                "Interface endpoints (PrivateLink)",
                "cannot check: the s3 endpoint in ml-vpc is an Interface endpoint",
            ],
        ),
        (
            "no runtime endpoint (the API endpoint alone does not serve inference)",
            endpoints(runtime=""),
            RUNTIME_CHECKS,
            [f"has no endpoint for {RUNTIME}", "its endpoints:"],
        ),
        (
            "private DNS off",
            endpoints(api=INTERFACE.format(service=API).replace("=True", "=False")),
            {"api-private-dns"},
            ["has private DNS off", "PrivateDnsEnabled=True"],
        ),
        (
            "runtime endpoint in one subnet only",
            endpoints(
                runtime=INTERFACE.format(service=RUNTIME).replace(
                    "SubnetIds=both", "SubnetIds=both[:1]"
                )
            ),
            {"runtime-subnets"},
            ["is not in ml-vpc-private-b", "survives the loss of a zone"],
        ),
        (
            "API endpoint without endpoint-sg (gets the default group)",
            endpoints(api=INTERFACE.format(service=API).replace("SecurityGroupIds=[sg], ", "")),
            {"api-security-group"},
            ["does not use endpoint-sg", "its groups: none"],
        ),
        (
            "S3 gateway endpoint on the main route table",
            endpoints(
                s3=GATEWAY.replace(
                    "[rtb]",
                    '[ec2.describe_route_tables(Filters=in_vpc + [{"Name": "association.main", '
                    '"Values": ["true"]}])["RouteTables"][0]["RouteTableId"]]',
                )
            ),
            {"s3-route-table"},
            [
                "not on the route table of ml-vpc-private-a, ml-vpc-private-b",
                "(Name=ml-vpc-private)",
            ],
        ),
        (
            "S3 endpoint with no type or route table (the API's default: a bare gateway)",
            endpoints(s3=f'ec2.create_vpc_endpoint(VpcId=vpc, ServiceName="{S3}")\n'),
            {"s3-route-table"},
            ["on no route table"],
        ),
        (
            "DNS hostnames turned off in the VPC (private DNS cannot resolve)",
            endpoints(
                after='ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": False})\n'
            ),
            {"api-private-dns", "runtime-private-dns"},
            ["has private DNS on, but ml-vpc has enableDnsHostnames off"],
        ),
        (
            "an internet gateway attached",
            endpoints(
                after="igw = ec2.create_internet_gateway()['InternetGateway']\n"
                "igw = igw['InternetGatewayId']\n"
                "ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)\n"
            ),
            {"no-internet-gateway"},
            ["is attached to ml-vpc", "detach_internet_gateway"],
        ),
        (
            "endpoints in the default VPC instead of ml-vpc",
            PRELUDE + "vpc = ec2.describe_vpcs(Filters=[{'Name': 'isDefault', 'Values': ['true']}])"
            "['Vpcs'][0]['VpcId']\n" + f'ec2.create_vpc_endpoint(VpcId=vpc, ServiceName="{API}", '
            'VpcEndpointType="Interface")\n',
            API_CHECKS | RUNTIME_CHECKS | S3_CHECKS,
            ["has no endpoint for", "exists in vpc-", "which is not ml-vpc"],
        ),
        (
            "a region typo in the service name",
            endpoints(api=INTERFACE.format(service=API.replace("us-east-1", "us-east1"))),
            API_CHECKS,
            [f"no endpoint for {API}", "com.amazonaws.us-east1.sagemaker.api", "exact"],
        ),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 60 else None,
)
def test_wrong_solutions_fail_on_the_right_check(run_lab, case, source, failing, words):
    report = run_lab("vpc-endpoints", source)
    assert failed_ids(report) == failing, (case, [c.message for c in report.checks])
    text = " ".join(message(report, check_id) for check_id in failing)
    for word in words:
        assert word in text, (case, text)


def test_a_renamed_vpc_is_reported_with_the_vpcs_present(run_lab):
    # Rename ml-vpc after setup: every check then reports the missing VPC.
    source = (
        PRELUDE
        + 'ec2.create_tags(Resources=[vpc], Tags=[{"Key": "Name", "Value": "ml-vpc-old"}])\n'
    )
    report = run_lab("vpc-endpoints", source)
    assert failed_ids(report) == API_CHECKS | RUNTIME_CHECKS | S3_CHECKS | {"no-internet-gateway"}
    assert "no VPC tagged Name=ml-vpc" in message(report, "api-endpoint-exists")
    assert "Name=ml-vpc-old" in message(report, "api-endpoint-exists")
    assert message(report, "no-internet-gateway").startswith("cannot check")
