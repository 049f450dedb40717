"""VPC endpoint checks: private access to AWS services from a VPC with no way to the internet.

An endpoint is found by its VPC (the VPC's Name tag, through ``trainer.checks.ec2``) and its
service name. Interface endpoints (PrivateLink) are judged on private DNS, subnets and security
groups; gateway endpoints on the route tables they are attached to.

What moto stores (verified by experiment with moto 5.2): an endpoint created without
VpcEndpointType has no ``VpcEndpointType`` in DescribeVpcEndpoints; AWS's documented default is
Gateway, so a missing type is read as Gateway. ``PrivateDnsEnabled`` is True unless the caller
passed False (AWS's default for interface endpoints is also true). moto accepts any service name
and any type for it, so the type check is what catches an S3 interface endpoint or a SageMaker
"gateway" endpoint.
"""

from __future__ import annotations

from typing import Any

from trainer.checks.ec2 import (
    find_vpc_by_name,
    missing_vpc,
    route_table_of_subnet,
    security_groups_named,
    subnets_in_vpc,
    tag_value,
)
from trainer.checks.registry import CheckContext, Outcome, check, failed, passed

INTERFACE, GATEWAY = "Interface", "Gateway"
_GONE = {"deleted", "deleting", "failed", "rejected", "expired"}


def endpoint_type(endpoint: dict[str, Any]) -> str:
    """The endpoint's type; Gateway when the description has none (the API's default)."""
    return endpoint.get("VpcEndpointType") or GATEWAY


def short_service(service: str) -> str:
    """``com.amazonaws.us-east-1.sagemaker.api`` -> ``sagemaker.api`` for messages."""
    parts = service.split(".")
    return ".".join(parts[3:]) if len(parts) > 3 and parts[0] == "com" else service


def vpc_endpoints(ctx: CheckContext, vpc_id: str) -> list[dict[str, Any]]:
    """The endpoints of VPC_ID that exist (not deleted, failed or rejected), by VpcEndpointId."""

    def fetch() -> list[dict[str, Any]]:
        pages = (
            ctx.client("ec2")
            .get_paginator("describe_vpc_endpoints")
            .paginate(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])
        )
        found = [e for page in pages for e in page["VpcEndpoints"]]
        live = [e for e in found if str(e.get("State", "")).lower() not in _GONE]
        return sorted(live, key=lambda e: e["VpcEndpointId"])

    return ctx.memo(("vpce.endpoints", vpc_id), fetch)


def _article(word: str) -> str:
    return f"an {word}" if word[:1].lower() in "aeiou" else f"a {word}"


def _describe(endpoint: dict[str, Any]) -> str:
    return f"{endpoint['VpcEndpointId']} ({endpoint_type(endpoint)}, {endpoint['ServiceName']})"


def _vpc(ctx: CheckContext, name: str) -> tuple[dict[str, Any] | None, Outcome | None]:
    vpc = find_vpc_by_name(ctx, name)
    if vpc is None:
        return None, failed(f"cannot check: there is no VPC tagged Name={name}")
    return vpc, None


def _typed_endpoints(
    ctx: CheckContext, vpc: str, service: str, wanted: str
) -> tuple[list[dict[str, Any]], Outcome | None]:
    """The endpoints for SERVICE in the VPC named VPC of type WANTED, or the "cannot check"
    failure a check of that type's settings gives."""
    found, problem = _vpc(ctx, vpc)
    if problem:
        return [], problem
    assert found is not None
    endpoints = [e for e in vpc_endpoints(ctx, found["VpcId"]) if e["ServiceName"] == service]
    typed = [e for e in endpoints if endpoint_type(e) == wanted]
    if typed:
        return typed, None
    if endpoints:
        kinds = ", ".join(sorted({endpoint_type(e) for e in endpoints}))
        return [], failed(
            f"cannot check: the {short_service(service)} endpoint in {vpc} is {_article(kinds)} "
            f"endpoint, not {_article(wanted)} endpoint"
        )
    return [], failed(f"cannot check: there is no {short_service(service)} endpoint in {vpc}")


@check("vpce.endpoint_exists", services=("ec2",))
def endpoint_exists(ctx: CheckContext, vpc: str, service: str) -> Outcome:
    """The VPC named VPC has an endpoint for SERVICE (full name, com.amazonaws.REGION.NAME)."""
    found = find_vpc_by_name(ctx, vpc)
    if found is None:
        return missing_vpc(ctx, vpc)
    endpoints = vpc_endpoints(ctx, found["VpcId"])
    mine = [e for e in endpoints if e["ServiceName"] == service]
    if mine:
        ids = ", ".join(f"{e['VpcEndpointId']} ({endpoint_type(e)})" for e in mine)
        return passed(f"{vpc} has an endpoint for {service}: {ids}")
    present = ", ".join(map(_describe, endpoints)) or "none"
    elsewhere = [
        e
        for e in ctx.client("ec2").describe_vpc_endpoints(
            Filters=[{"Name": "service-name", "Values": [service]}]
        )["VpcEndpoints"]
        if str(e.get("State", "")).lower() not in _GONE
    ]
    hint = ""
    if elsewhere:
        other = ", ".join(sorted({e["VpcId"] for e in elsewhere}))
        hint = f" An endpoint for it exists in {other}, which is not {vpc}: pass {vpc}'s VpcId."
    return failed(
        f"{vpc} ({found['VpcId']}) has no endpoint for {service} (its endpoints: {present}).{hint}"
        f" Create it with ec2.create_vpc_endpoint(VpcId=..., ServiceName={service!r}, ...); "
        "service names are exact, including the region"
    )


_WHY_TYPES = (
    "Gateway endpoints exist only for S3 and DynamoDB: they are a target in your route tables "
    "for the service's prefix list, cost nothing and need no DNS change. Interface endpoints "
    "(PrivateLink) are network interfaces with private IPs in your subnets, guarded by security "
    "groups and billed per hour and per GB; most services, SageMaker's API and runtime among "
    "them, offer only these."
)


@check("vpce.endpoint_type", services=("ec2",))
def endpoint_type_is(ctx: CheckContext, vpc: str, service: str, type: str) -> Outcome:  # noqa: A002
    """The endpoint for SERVICE in the VPC is of TYPE (Interface or Gateway)."""
    found, problem = _vpc(ctx, vpc)
    if problem:
        return problem
    assert found is not None
    endpoints = [e for e in vpc_endpoints(ctx, found["VpcId"]) if e["ServiceName"] == service]
    if not endpoints:
        return failed(f"cannot check: there is no {short_service(service)} endpoint in {vpc}")
    if any(endpoint_type(e) == type for e in endpoints):
        return passed(
            f"the {short_service(service)} endpoint in {vpc} is {_article(type)} endpoint"
        )
    actual = ", ".join(map(_describe, endpoints))
    if type == INTERFACE:
        actual += " (create_vpc_endpoint makes a Gateway endpoint when VpcEndpointType is left out)"
    if type == GATEWAY:
        how = "VpcEndpointType='Gateway' and RouteTableIds=[the private route table's id]"
    else:
        how = "VpcEndpointType='Interface', SubnetIds=[...], SecurityGroupIds=[...]"
    return failed(
        f"the {short_service(service)} endpoint in {vpc} should be {_article(type)} endpoint, but "
        "it is "
        f"{actual}. {_WHY_TYPES} Delete it (ec2.delete_vpc_endpoints) and create it with {how}"
    )


def _vpc_dns_attributes(ctx: CheckContext, vpc_id: str) -> dict[str, bool]:
    def fetch() -> dict[str, bool]:
        ec2 = ctx.client("ec2")
        values = {}
        for attribute, field in (
            ("enableDnsSupport", "EnableDnsSupport"),
            ("enableDnsHostnames", "EnableDnsHostnames"),
        ):
            answer = ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute=attribute)
            values[attribute] = bool(answer.get(field, {}).get("Value"))
        return values

    return ctx.memo(("vpce.vpc_dns", vpc_id), fetch)


@check("vpce.private_dns", services=("ec2",))
def private_dns(ctx: CheckContext, vpc: str, service: str) -> Outcome:
    """The interface endpoint for SERVICE has private DNS on, and the VPC resolves it (DNS
    support and DNS hostnames on), so the service's usual name reaches the endpoint."""
    endpoints, problem = _typed_endpoints(ctx, vpc, service, INTERFACE)
    if problem:
        return problem
    with_dns = [e for e in endpoints if e.get("PrivateDnsEnabled")]
    name = short_service(service)
    if not with_dns:
        ids = ", ".join(e["VpcEndpointId"] for e in endpoints)
        return failed(
            f"the {name} endpoint {ids} has private DNS off, so SDK calls to the service's usual "
            "regional name still resolve to its public addresses and leave the VPC (or fail, "
            "with no way out). Pass PrivateDnsEnabled=True, or "
            f"ec2.modify_vpc_endpoint(VpcEndpointId=..., PrivateDnsEnabled=True)"
        )
    vpc_id = endpoints[0]["VpcId"]
    off = [a for a, on in _vpc_dns_attributes(ctx, vpc_id).items() if not on]
    if off:
        return failed(
            f"the {name} endpoint has private DNS on, but {vpc} has {' and '.join(off)} off, so "
            "its private hosted zone is not used; turn them on with "
            "ec2.modify_vpc_attribute(VpcId=..., EnableDnsHostnames={'Value': True}) (and "
            "EnableDnsSupport)"
        )
    return passed(
        f"the {name} endpoint has private DNS on: the service's usual name resolves to it"
    )


def _subnets_named(
    ctx: CheckContext, vpc: str, vpc_id: str, names: list[str]
) -> tuple[dict[str, dict[str, Any]], Outcome | None]:
    """The VPC's subnets by Name tag, or the "cannot check" failure when one of NAMES is absent."""
    by_name = {tag_value(s): s for s in subnets_in_vpc(ctx, vpc_id)}
    absent = [n for n in names if n not in by_name]
    if absent:
        return {}, failed(f"cannot check: {vpc} has no subnet tagged Name={', '.join(absent)}")
    return by_name, None


@check("vpce.in_subnets", services=("ec2",))
def in_subnets(ctx: CheckContext, vpc: str, service: str, subnets: list[str]) -> Outcome:
    """The interface endpoint for SERVICE has a network interface in every subnet named in
    SUBNETS (subnet Name tags), so it stays reachable when one availability zone fails."""
    endpoints, problem = _typed_endpoints(ctx, vpc, service, INTERFACE)
    if problem:
        return problem
    by_name, problem = _subnets_named(ctx, vpc, endpoints[0]["VpcId"], subnets)
    if problem:
        return problem
    wanted = {by_name[n]["SubnetId"]: n for n in subnets}
    name = short_service(service)
    best = max(endpoints, key=lambda e: len(wanted.keys() & set(e.get("SubnetIds", []))))
    missing = [f"{n} ({sid})" for sid, n in wanted.items() if sid not in best.get("SubnetIds", [])]
    if missing:
        actual = ", ".join(best.get("SubnetIds", [])) or "none"
        return failed(
            f"the {name} endpoint {best['VpcEndpointId']} is not in {', '.join(missing)} "
            f"(its subnets: {actual}); put it in every private subnet, one per availability "
            "zone, so it survives the loss of a zone: SubnetIds=[...] when creating, or "
            "ec2.modify_vpc_endpoint(VpcEndpointId=..., AddSubnetIds=[...])"
        )
    return passed(f"the {name} endpoint is in {', '.join(subnets)}")


@check("vpce.security_groups", services=("ec2",))
def security_groups(ctx: CheckContext, vpc: str, service: str, groups: list[str]) -> Outcome:
    """The interface endpoint for SERVICE uses every security group named in GROUPS (group
    names in the VPC)."""
    endpoints, problem = _typed_endpoints(ctx, vpc, service, INTERFACE)
    if problem:
        return problem
    vpc_id = endpoints[0]["VpcId"]
    wanted: dict[str, str] = {}
    for group in groups:
        named = security_groups_named(ctx, group, vpc_id)
        if not named:
            return failed(f"cannot check: {vpc} has no security group named {group}")
        wanted.update({g["GroupId"]: group for g in named})
    name = short_service(service)

    def covered(endpoint: dict[str, Any]) -> set[str]:
        return {wanted[g["GroupId"]] for g in endpoint.get("Groups", []) if g["GroupId"] in wanted}

    best = max(endpoints, key=lambda e: len(covered(e)))
    have = covered(best)
    missing = [g for g in groups if g not in have]
    if missing:
        actual = ", ".join(
            f"{g['GroupId']} ({g.get('GroupName', '?')})" for g in best.get("Groups", [])
        )
        return failed(
            f"the {name} endpoint {best['VpcEndpointId']} does not use {', '.join(missing)} "
            f"(its groups: {actual or 'none'}); without it the endpoint gets the VPC's default "
            "group instead of the rule that admits HTTPS (443) from inside the VPC. Pass "
            "SecurityGroupIds=[...] or ec2.modify_vpc_endpoint(..., AddSecurityGroupIds=[...])"
        )
    return passed(f"the {name} endpoint uses {', '.join(groups)}")


@check("vpce.route_tables", services=("ec2",))
def route_tables(ctx: CheckContext, vpc: str, service: str, subnets: list[str]) -> Outcome:
    """The gateway endpoint for SERVICE is attached to the route table of every subnet named in
    SUBNETS (its explicit table, else the VPC's main table), so their traffic to the service
    takes the endpoint."""
    endpoints, problem = _typed_endpoints(ctx, vpc, service, GATEWAY)
    if problem:
        return problem
    by_name, problem = _subnets_named(ctx, vpc, endpoints[0]["VpcId"], subnets)
    if problem:
        return problem
    tables: dict[str, dict[str, Any]] = {}
    for name in subnets:
        table = route_table_of_subnet(ctx, by_name[name])
        if table is not None:
            tables[table["RouteTableId"]] = table
    attached = {t for e in endpoints for t in e.get("RouteTableIds", [])}
    missing = [t for t in tables if t not in attached]
    label = short_service(service)
    if missing:

        def describe(table_id: str) -> str:
            table_name = tag_value(tables[table_id]) if table_id in tables else None
            return f"{table_id} (Name={table_name})" if table_name else table_id

        return failed(
            f"the {label} gateway endpoint is not on the route table of {', '.join(subnets)}: "
            f"that is {', '.join(map(describe, missing))}, and the endpoint is on "
            f"{', '.join(sorted(attached)) or 'no route table'}. Subnets reach the endpoint only "
            "through a route in their own table: RouteTableIds=[...] when creating, or "
            "ec2.modify_vpc_endpoint(VpcEndpointId=..., AddRouteTableIds=[...])"
        )
    return passed(f"the {label} gateway endpoint is on the route table of {', '.join(subnets)}")


@check("vpce.no_internet_gateway", services=("ec2",))
def no_internet_gateway(ctx: CheckContext, vpc: str) -> Outcome:
    """No internet gateway is attached to the VPC named VPC."""
    found = find_vpc_by_name(ctx, vpc)
    if found is None:
        return failed(f"cannot check: there is no VPC tagged Name={vpc}")
    gateways = ctx.client("ec2").describe_internet_gateways(
        Filters=[{"Name": "attachment.vpc-id", "Values": [found["VpcId"]]}]
    )["InternetGateways"]
    if gateways:
        ids = ", ".join(g["InternetGatewayId"] for g in gateways)
        return failed(
            f"internet gateway {ids} is attached to {vpc}: the point of endpoints is that the VPC "
            "needs no way to the internet, and a gateway is one way out for a compromised "
            "training container. Detach it with ec2.detach_internet_gateway(InternetGatewayId="
            "..., VpcId=...) and delete it"
        )
    return passed(f"no internet gateway is attached to {vpc}")
