"""EC2 setup actions: networks a lab starts from."""

from __future__ import annotations

from typing import Any

from trainer.labs.setup import action


def _name_tags(resource_type: str, name: str) -> list[dict[str, Any]]:
    return [{"ResourceType": resource_type, "Tags": [{"Key": "Name", "Value": name}]}]


@action("ec2.private_network")
def private_network(
    sandbox: Any,
    name: str,
    cidr: str = "10.0.0.0/16",
    subnets: list[str] | None = None,
    route_table: str | None = None,
    security_groups: list[dict[str, Any]] | None = None,
) -> None:
    """A VPC tagged Name=NAME with private subnets and no internet gateway.

    SUBNETS are CIDR blocks (default two /24s); each subnet goes to its own availability zone,
    in the region's zone order, is tagged ``<name>-private-<zone letter>`` and does not map
    public IPs on launch. With ROUTE_TABLE, a route table of that Name (local route only) is
    created and associated with every subnet, so a lab can point at "the private route table".
    SECURITY_GROUPS are ``{name, description?, ingress?: [{port, protocol?, cidr}]}``; a cidr of
    ``vpc`` means the VPC's own CIDR block (e.g. HTTPS from inside the VPC for endpoints).
    """
    ec2 = sandbox.client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock=cidr, TagSpecifications=_name_tags("vpc", name))["Vpc"][
        "VpcId"
    ]
    zones = [
        z["ZoneName"]
        for z in ec2.describe_availability_zones()["AvailabilityZones"]
        if z.get("State", "available") == "available"
    ]
    blocks = subnets if subnets is not None else _default_subnets(cidr)
    if len(blocks) > len(zones):
        raise ValueError(f"{len(blocks)} subnets but only {len(zones)} availability zones")
    subnet_ids = []
    for block, zone in zip(blocks, zones, strict=False):
        subnet = ec2.create_subnet(
            VpcId=vpc_id,
            CidrBlock=block,
            AvailabilityZone=zone,
            TagSpecifications=_name_tags("subnet", f"{name}-private-{zone[-1]}"),
        )["Subnet"]
        subnet_ids.append(subnet["SubnetId"])
    if route_table:
        table_id = ec2.create_route_table(
            VpcId=vpc_id, TagSpecifications=_name_tags("route-table", route_table)
        )["RouteTable"]["RouteTableId"]
        for subnet_id in subnet_ids:
            ec2.associate_route_table(RouteTableId=table_id, SubnetId=subnet_id)
    for group in security_groups or []:
        _security_group(ec2, vpc_id, cidr, **group)


def _default_subnets(cidr: str) -> list[str]:
    import ipaddress

    network = ipaddress.ip_network(cidr)
    prefix = min(max(network.prefixlen + 8, 24), 28)
    return [str(s) for s in list(network.subnets(new_prefix=prefix))[1:3]]


def _security_group(
    ec2: Any,
    vpc_id: str,
    vpc_cidr: str,
    name: str,
    description: str | None = None,
    ingress: list[dict[str, Any]] | None = None,
) -> None:
    group_id = ec2.create_security_group(
        GroupName=name,
        Description=description or name,
        VpcId=vpc_id,
        TagSpecifications=_name_tags("security-group", name),
    )["GroupId"]
    permissions = []
    for rule in ingress or []:
        source = vpc_cidr if rule["cidr"] == "vpc" else rule["cidr"]
        port = int(rule["port"])
        permissions.append(
            {
                "IpProtocol": rule.get("protocol", "tcp"),
                "FromPort": port,
                "ToPort": port,
                "IpRanges": [{"CidrIp": source}],
            }
        )
    if permissions:
        ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=permissions)
