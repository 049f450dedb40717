"""Reference solution with boto3 (no SageMaker SDK needed). Idempotent: a second run finds the
VPC, subnets, group and job it made the first time and makes nothing twice."""

import boto3

JOB = "vpc-training-1"

ec2 = boto3.client("ec2")
iam = boto3.client("iam")
kms = boto3.client("kms")
sagemaker = boto3.client("sagemaker")


def name_tag(resource_type: str, name: str) -> list:
    return [{"ResourceType": resource_type, "Tags": [{"Key": "Name", "Value": name}]}]


vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["ml-vpc"]}])["Vpcs"]
if vpcs:
    vpc_id = vpcs[0]["VpcId"]
else:
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=name_tag("vpc", "ml-vpc"))[
        "Vpc"
    ]["VpcId"]

# Two private subnets in two zones: a new subnet maps no public IPs, and the VPC's main route
# table has only the local route, since this VPC has no internet gateway.
subnet_ids = []
for cidr, zone in (("10.0.1.0/24", "us-east-1a"), ("10.0.2.0/24", "us-east-1b")):
    found = ec2.describe_subnets(
        Filters=[
            {"Name": "vpc-id", "Values": [vpc_id]},
            {"Name": "cidr-block", "Values": [cidr]},
        ]
    )["Subnets"]
    if found:
        subnet_ids.append(found[0]["SubnetId"])
    else:
        subnet = ec2.create_subnet(
            VpcId=vpc_id,
            CidrBlock=cidr,
            AvailabilityZone=zone,
            TagSpecifications=name_tag("subnet", f"ml-private-{zone[-1]}"),
        )["Subnet"]
        subnet_ids.append(subnet["SubnetId"])

groups = ec2.describe_security_groups(
    Filters=[
        {"Name": "vpc-id", "Values": [vpc_id]},
        {"Name": "group-name", "Values": ["sagemaker-training-sg"]},
    ]
)["SecurityGroups"]
if groups:
    sg_id = groups[0]["GroupId"]
else:
    sg_id = ec2.create_security_group(
        GroupName="sagemaker-training-sg",
        Description="SageMaker training instances: no inbound except from each other",
        VpcId=vpc_id,
    )["GroupId"]
    # Distributed training: the instances of one job talk to each other, and to nothing else.
    ec2.authorize_security_group_ingress(
        GroupId=sg_id,
        IpPermissions=[{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": sg_id}]}],
    )

role_arn = iam.get_role(RoleName="SageMakerExecutionRole")["Role"]["Arn"]
kms_key_arn = kms.describe_key(KeyId="alias/ml-workloads")["KeyMetadata"]["Arn"]

try:
    sagemaker.describe_training_job(TrainingJobName=JOB)
    print(JOB, "already started")
except sagemaker.exceptions.ClientError:
    sagemaker.create_training_job(
        TrainingJobName=JOB,
        AlgorithmSpecification={
            "TrainingImage": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
            "TrainingInputMode": "File",
        },
        RoleArn=role_arn,
        OutputDataConfig={"S3OutputPath": "s3://my-bucket/output", "KmsKeyId": kms_key_arn},
        ResourceConfig={
            "InstanceType": "ml.m5.xlarge",
            "InstanceCount": 1,
            "VolumeSizeInGB": 30,
            "VolumeKmsKeyId": kms_key_arn,
        },
        VpcConfig={"Subnets": subnet_ids, "SecurityGroupIds": [sg_id]},
        StoppingCondition={"MaxRuntimeInSeconds": 3600},
    )
    print("started", JOB, "in", ", ".join(subnet_ids))
