"""Lab: run a training job inside your own VPC.

The study page passes subnets= and security_group_ids= to the Estimator, with placeholder ids.
Build the network those ids must come from (a VPC, two private subnets in two availability zones,
a security group), then start the job inside it.
This runs against trainer's simulated AWS: nothing trains, and no credentials are needed.
"""

import sys

import boto3

try:
    # The page writes `from sagemaker import Estimator`; SDK v2 exports it from
    # sagemaker.estimator only.
    from sagemaker.estimator import Estimator
except ModuleNotFoundError as missing:
    if missing.name != "sagemaker":
        raise  # the SDK is there but broken: show the real error
    print(
        'this lab uses the SageMaker Python SDK v2: pip install "trainer[sagemaker]", or start '
        "the job with boto3's sagemaker.create_training_job instead (see the README)",
        file=sys.stderr,
    )
    raise SystemExit(1) from None

ec2 = boto3.client("ec2")
iam = boto3.client("iam")

role_arn = iam.get_role(RoleName="SageMakerExecutionRole")["Role"]["Arn"]

# TODO: create the VPC 10.0.0.0/16 tagged Name=ml-vpc, e.g.
# vpc_id = ec2.create_vpc(CidrBlock=..., TagSpecifications=[...])["Vpc"]["VpcId"]

# TODO: two private subnets in two availability zones (us-east-1a, us-east-1b), e.g.
# ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.1.0/24", AvailabilityZone=...)

# TODO: the security group sagemaker-training-sg in that VPC, with no inbound rule from the
# internet, e.g. ec2.create_security_group(GroupName=..., Description=..., VpcId=vpc_id)

estimator = Estimator(
    # Any training image will do here; this is SageMaker's built-in XGBoost in us-east-1.
    image_uri="683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
    role=role_arn,
    instance_count=1,
    instance_type="ml.m5.xlarge",
    output_path="s3://my-bucket/output",
    base_job_name="vpc-training",
    # TODO: the study page's placeholders; use the ids of the subnets and group you created.
    subnets=["subnet-abc123", "subnet-def456"],
    security_group_ids=["sg-12345678"],
)

# wait=False starts the job and returns at once instead of streaming its logs.
estimator.fit(wait=False)
print("started", estimator.latest_training_job.name)
