"""Lab: private access through VPC endpoints.

The VPC "ml-vpc" has two private subnets, their route table and the security group "endpoint-sg"
(HTTPS from inside the VPC), all made by the lab's setup, and no way to the internet. Give it the
study page's three endpoints so that training code inside it still reaches SageMaker and S3.
This runs against trainer's simulated AWS: boto3 needs no credentials or endpoint here.
"""

import boto3

ec2 = boto3.client("ec2")
region = ec2.meta.region_name

# Find what the lab's setup made, by name.
vpc_id = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["ml-vpc"]}])["Vpcs"][0]["VpcId"]
subnet_ids = [
    s["SubnetId"]
    for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
]
group_id = ec2.describe_security_groups(
    Filters=[
        {"Name": "vpc-id", "Values": [vpc_id]},
        {"Name": "group-name", "Values": ["endpoint-sg"]},
    ]
)["SecurityGroups"][0]["GroupId"]
route_table_id = ec2.describe_route_tables(
    Filters=[{"Name": "tag:Name", "Values": ["ml-vpc-private"]}]
)["RouteTables"][0]["RouteTableId"]

# The study page's table of VPC endpoints.
ENDPOINTS = {
    "sagemaker.api": "SageMaker API calls",
    "sagemaker.runtime": "Inference calls",
    "s3": "S3 access without internet",
}

for service, purpose in ENDPOINTS.items():
    # TODO: SageMaker's API and runtime need *interface* endpoints: VpcEndpointType="Interface",
    # in both private subnets (SubnetIds), with private DNS and endpoint-sg (SecurityGroupIds).
    # TODO: S3 needs a *gateway* endpoint on the private route table (RouteTableIds).
    endpoint = ec2.create_vpc_endpoint(
        VpcId=vpc_id,
        ServiceName=f"com.amazonaws.{region}.{service}",
    )["VpcEndpoint"]
    print(f"{service:<18} {purpose:<28} {endpoint['VpcEndpointId']}")
