"""Reference solution, another way: find the private subnets and their route table from the VPC
itself, create each endpoint bare, then set it up with modify_vpc_endpoint. Idempotent."""

import boto3

ec2 = boto3.client("ec2")
region = ec2.meta.region_name

vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["ml-vpc"]}])["Vpcs"]
vpc_id = vpcs[0]["VpcId"]
in_vpc = [{"Name": "vpc-id", "Values": [vpc_id]}]

subnet_ids = sorted(s["SubnetId"] for s in ec2.describe_subnets(Filters=in_vpc)["Subnets"])
# The route table the private subnets are associated with.
route_table_id = ec2.describe_route_tables(
    Filters=[{"Name": "association.subnet-id", "Values": subnet_ids}]
)["RouteTables"][0]["RouteTableId"]
group_id = ec2.describe_security_groups(
    Filters=[*in_vpc, {"Name": "group-name", "Values": ["endpoint-sg"]}]
)["SecurityGroups"][0]["GroupId"]


def endpoint_for(service, endpoint_type):
    """The endpoint of ml-vpc for SERVICE, created (with TYPE) when there is none yet."""
    name = f"com.amazonaws.{region}.{service}"
    found = ec2.describe_vpc_endpoints(
        Filters=[*in_vpc, {"Name": "service-name", "Values": [name]}]
    )["VpcEndpoints"]
    if found:
        return found[0]
    placement = {"SubnetIds": subnet_ids[:1]} if endpoint_type == "Interface" else {}
    return ec2.create_vpc_endpoint(
        VpcEndpointType=endpoint_type, VpcId=vpc_id, ServiceName=name, **placement
    )["VpcEndpoint"]


for service in ("sagemaker.api", "sagemaker.runtime"):
    endpoint = endpoint_for(service, "Interface")
    ec2.modify_vpc_endpoint(
        VpcEndpointId=endpoint["VpcEndpointId"],
        AddSubnetIds=[s for s in subnet_ids if s not in endpoint["SubnetIds"]],
        AddSecurityGroupIds=[group_id],
        PrivateDnsEnabled=True,
    )
    print(service, endpoint["VpcEndpointId"])

s3 = endpoint_for("s3", "Gateway")
if route_table_id not in s3["RouteTableIds"]:
    ec2.modify_vpc_endpoint(VpcEndpointId=s3["VpcEndpointId"], AddRouteTableIds=[route_table_id])
print("s3", s3["VpcEndpointId"])
