"""Reference solution: private access through VPC endpoints (idempotent: safe to run twice)."""

import boto3

ec2 = boto3.client("ec2")
region = ec2.meta.region_name


def by_name(describe, key, name, **filters):
    """The one resource tagged Name=NAME, found through a describe_* call."""
    extra = [{"Name": k, "Values": [v]} for k, v in filters.items()]
    found = describe(Filters=[{"Name": "tag:Name", "Values": [name]}, *extra])[key]
    return found[0]


vpc_id = by_name(ec2.describe_vpcs, "Vpcs", "ml-vpc")["VpcId"]
subnet_ids = [
    by_name(ec2.describe_subnets, "Subnets", name, **{"vpc-id": vpc_id})["SubnetId"]
    for name in ("ml-vpc-private-a", "ml-vpc-private-b")
]
group_id = ec2.describe_security_groups(
    Filters=[
        {"Name": "vpc-id", "Values": [vpc_id]},
        {"Name": "group-name", "Values": ["endpoint-sg"]},
    ]
)["SecurityGroups"][0]["GroupId"]
route_table_id = by_name(
    ec2.describe_route_tables, "RouteTables", "ml-vpc-private", **{"vpc-id": vpc_id}
)["RouteTableId"]


def existing(service_name):
    return [
        e
        for e in ec2.describe_vpc_endpoints(
            Filters=[
                {"Name": "vpc-id", "Values": [vpc_id]},
                {"Name": "service-name", "Values": [service_name]},
            ]
        )["VpcEndpoints"]
        if e["State"].lower() not in ("deleted", "deleting")
    ]


# Interface endpoints (PrivateLink): a network interface in each private subnet, guarded by
# endpoint-sg; private DNS makes the SDK's usual endpoint names resolve to them.
for service in ("sagemaker.api", "sagemaker.runtime"):
    name = f"com.amazonaws.{region}.{service}"
    if not existing(name):
        ec2.create_vpc_endpoint(
            VpcEndpointType="Interface",
            VpcId=vpc_id,
            ServiceName=name,
            SubnetIds=subnet_ids,
            SecurityGroupIds=[group_id],
            PrivateDnsEnabled=True,
        )

# S3 takes a gateway endpoint: a route to S3's prefix list in the private route table. Free.
s3_name = f"com.amazonaws.{region}.s3"
if not existing(s3_name):
    ec2.create_vpc_endpoint(
        VpcEndpointType="Gateway",
        VpcId=vpc_id,
        ServiceName=s3_name,
        RouteTableIds=[route_table_id],
    )

for endpoint in ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])[
    "VpcEndpoints"
]:
    print(
        endpoint["VpcEndpointId"],
        endpoint.get("VpcEndpointType", "Gateway"),
        endpoint["ServiceName"],
    )
