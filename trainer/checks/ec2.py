"""EC2 network lookups (VPCs, subnets, security groups) and the network-isolation checks.

The lookups are shared: any check module that needs "the VPC named ml-vpc" uses
``find_vpc_by_name`` so that every lab finds and names VPCs the same way.
"""

from __future__ import annotations

from typing import Any

from trainer.checks.registry import CheckContext, Outcome, check, failed, passed, what_is_there


def tag_value(resource: dict[str, Any], key: str = "Name") -> str | None:
    """The value of tag KEY on an EC2 resource description, or None."""
    return next((t["Value"] for t in resource.get("Tags") or [] if t.get("Key") == key), None)


def all_vpcs(ctx: CheckContext) -> list[dict[str, Any]]:
    """Every VPC in the sandbox's region, the default VPC included, ordered by VpcId."""

    def fetch() -> list[dict[str, Any]]:
        pages = ctx.client("ec2").get_paginator("describe_vpcs").paginate()
        return sorted((v for page in pages for v in page["Vpcs"]), key=lambda v: v["VpcId"])

    return ctx.memo("ec2.vpcs", fetch)


def vpcs_named(ctx: CheckContext, name: str) -> list[dict[str, Any]]:
    """The VPCs whose Name tag is exactly NAME (tags are case-sensitive), ordered by VpcId."""
    return [v for v in all_vpcs(ctx) if tag_value(v) == name]


def find_vpc_by_name(ctx: CheckContext, name: str) -> dict[str, Any] | None:
    """The VPC tagged Name=NAME, or None. When code made several, the first by VpcId."""
    found = vpcs_named(ctx, name)
    return found[0] if found else None


def vpc_label(vpc: dict[str, Any]) -> str:
    """How to name a VPC to a learner: ``vpc-123 (Name=ml-vpc, 10.0.0.0/16)``."""
    name = tag_value(vpc)
    parts = [f"Name={name}" if name else "no Name tag", vpc.get("CidrBlock", "?")]
    if vpc.get("IsDefault"):
        parts.append("the default VPC")
    return f"{vpc['VpcId']} ({', '.join(parts)})"


def missing_vpc(ctx: CheckContext, name: str) -> Outcome:
    """The failure a check gives when no VPC is named NAME: list the VPCs that are there."""
    there = what_is_there("VPCs", [vpc_label(v) for v in all_vpcs(ctx)], sep="; ")
    return failed(
        f"no VPC tagged Name={name}; {there}. Create it with ec2.create_vpc(CidrBlock=...) and "
        f'tag it: TagSpecifications=[{{"ResourceType": "vpc", "Tags": [{{"Key": "Name", '
        f'"Value": "{name}"}}]}}] (tag keys and values are case-sensitive)'
    )


def get_subnets(ctx: CheckContext, subnet_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The descriptions of the subnets SUBNET_IDS that exist, by SubnetId (absent ids left out)."""
    wanted = tuple(sorted(set(subnet_ids)))

    def fetch() -> dict[str, dict[str, Any]]:
        # Filtering by id (rather than SubnetIds=) returns the ones that exist instead of
        # failing the whole call on the first unknown id.
        if not wanted:
            return {}
        subnets = ctx.client("ec2").describe_subnets(
            Filters=[{"Name": "subnet-id", "Values": list(wanted)}]
        )["Subnets"]
        return {s["SubnetId"]: s for s in subnets}

    return ctx.memo(("ec2.subnets", wanted), fetch)


def subnets_in_vpc(ctx: CheckContext, vpc_id: str) -> list[dict[str, Any]]:
    """Every subnet of VPC_ID, ordered by SubnetId."""

    def fetch() -> list[dict[str, Any]]:
        subnets = ctx.client("ec2").describe_subnets(
            Filters=[{"Name": "vpc-id", "Values": [vpc_id]}]
        )["Subnets"]
        return sorted(subnets, key=lambda s: s["SubnetId"])

    return ctx.memo(("ec2.vpc_subnets", vpc_id), fetch)


def get_security_groups(ctx: CheckContext, group_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The descriptions of the security groups GROUP_IDS that exist, by GroupId."""
    wanted = tuple(sorted(set(group_ids)))

    def fetch() -> dict[str, dict[str, Any]]:
        if not wanted:
            return {}
        groups = ctx.client("ec2").describe_security_groups(
            Filters=[{"Name": "group-id", "Values": list(wanted)}]
        )["SecurityGroups"]
        return {g["GroupId"]: g for g in groups}

    return ctx.memo(("ec2.groups", wanted), fetch)


def security_groups_named(
    ctx: CheckContext, name: str, vpc_id: str | None = None
) -> list[dict[str, Any]]:
    """The security groups whose GroupName is NAME (in VPC_ID when given), ordered by GroupId."""

    def fetch() -> list[dict[str, Any]]:
        filters = [{"Name": "group-name", "Values": [name]}]
        if vpc_id:
            filters.append({"Name": "vpc-id", "Values": [vpc_id]})
        groups = ctx.client("ec2").describe_security_groups(Filters=filters)["SecurityGroups"]
        return sorted(groups, key=lambda g: g["GroupId"])

    return ctx.memo(("ec2.groups_named", name, vpc_id), fetch)


def route_table_of_subnet(ctx: CheckContext, subnet: dict[str, Any]) -> dict[str, Any] | None:
    """The route table that governs SUBNET: its explicit association, else its VPC's main table."""
    subnet_id, vpc_id = subnet["SubnetId"], subnet["VpcId"]

    def fetch() -> list[dict[str, Any]]:
        return ctx.client("ec2").describe_route_tables(
            Filters=[{"Name": "vpc-id", "Values": [vpc_id]}]
        )["RouteTables"]

    tables = ctx.memo(("ec2.route_tables", vpc_id), fetch)
    for table in tables:
        if any(a.get("SubnetId") == subnet_id for a in table.get("Associations", [])):
            return table
    return next((t for t in tables if any(a.get("Main") for a in t.get("Associations", []))), None)


_EVERYWHERE = {"0.0.0.0/0": "IpRanges", "::/0": "Ipv6Ranges"}


def _ports(permission: dict[str, Any]) -> str:
    protocol = str(permission.get("IpProtocol", "-1"))
    if protocol == "-1":
        return "all traffic"
    low, high = permission.get("FromPort"), permission.get("ToPort")
    if low is None or (low, high) in ((0, 65535), (-1, -1)):
        return f"all {protocol}"
    return f"{protocol} {low}" if low == high else f"{protocol} {low}-{high}"


def open_ingress(group: dict[str, Any]) -> list[str]:
    """The inbound rules of GROUP (a DescribeSecurityGroups entry) open to the whole internet,
    as ``"tcp 22 from 0.0.0.0/0"``; empty when there are none. Rules whose source is a security
    group, a prefix list or a narrower CIDR are not listed."""
    rules = []
    for permission in group.get("IpPermissions", []):
        for cidr, field in _EVERYWHERE.items():
            key = "CidrIp" if field == "IpRanges" else "CidrIpv6"
            if any(r.get(key) == cidr for r in permission.get(field, [])):
                rules.append(f"{_ports(permission)} from {cidr}")
    return rules


# -- checks --------------------------------------------------------------------------------


@check("ec2.vpc_exists", services=("ec2",))
def vpc_exists(ctx: CheckContext, name: str, cidr: str | None = None) -> Outcome:
    """A VPC is tagged Name=NAME (and, with CIDR, has that primary CIDR block)."""
    vpc = find_vpc_by_name(ctx, name)
    if vpc is None:
        return missing_vpc(ctx, name)
    if cidr and vpc.get("CidrBlock") != cidr:
        return failed(
            f"VPC {vpc['VpcId']} (Name={name}) has the CIDR block {vpc.get('CidrBlock')}, expected "
            f"{cidr}. A VPC's primary CIDR cannot change: delete it and create it with "
            f'CidrBlock="{cidr}"'
        )
    return passed(f"VPC {vpc_label(vpc)} exists")


@check("ec2.security_group_exists", services=("ec2",))
def security_group_exists(ctx: CheckContext, name: str, vpc: str) -> Outcome:
    """A security group named NAME exists in the VPC tagged Name=VPC."""
    expected = find_vpc_by_name(ctx, vpc)
    if expected is None:
        return failed(f"cannot check: no VPC tagged Name={vpc}")
    if security_groups_named(ctx, name, expected["VpcId"]):
        group = security_groups_named(ctx, name, expected["VpcId"])[0]
        return passed(f"security group {name} ({group['GroupId']}) is in {vpc}")
    elsewhere = security_groups_named(ctx, name)
    if elsewhere:
        vpcs = {v["VpcId"]: v for v in all_vpcs(ctx)}
        where = ", ".join(
            vpc_label(vpcs[g["VpcId"]]) if g.get("VpcId") in vpcs else str(g.get("VpcId"))
            for g in elsewhere
        )
        return failed(
            f"security group {name} is in {where}, not in {vpc}: a group belongs to one VPC. "
            f"Create it with ec2.create_security_group(GroupName={name!r}, Description=..., "
            f"VpcId=<the id of {vpc}>)"
        )
    return failed(
        f"no security group named {name} in {vpc}. Create it with "
        f"ec2.create_security_group(GroupName={name!r}, Description=..., VpcId=<the id of {vpc}>)"
    )
