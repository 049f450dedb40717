"""Setup actions for the VPC endpoints lab."""

from __future__ import annotations

from typing import Any

from trainer.labs.setup import action


@action("vpce.vpc_dns")
def vpc_dns(sandbox: Any, vpc: str) -> None:
    """Turn on DNS support and DNS hostnames for every VPC tagged Name=VPC.

    AWS refuses an interface endpoint with private DNS (``PrivateDnsEnabled=True``) in a VPC
    where either attribute is off; the lab starts from a VPC where private DNS can work.
    Idempotent. Raises when no VPC has that name (a broken lab)."""
    ec2 = sandbox.client("ec2")
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [vpc]}])["Vpcs"]
    if not vpcs:
        raise ValueError(f"no VPC tagged Name={vpc}; run ec2.private_network first")
    for found in vpcs:
        # ModifyVpcAttribute takes one attribute per call.
        ec2.modify_vpc_attribute(VpcId=found["VpcId"], EnableDnsSupport={"Value": True})
        ec2.modify_vpc_attribute(VpcId=found["VpcId"], EnableDnsHostnames={"Value": True})
