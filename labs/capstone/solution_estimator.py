"""Reference solution with the SageMaker Python SDK v2 for the retraining job (the study page's
Estimator, with output_kms_key, volume_kms_key, subnets and security_group_ids); every other
finding is fixed with boto3 as in solution.py. Needs the extra: pip install "trainer[sagemaker]".

Idempotent: each step looks before it creates. Each run starts a new job
(secure-retrain-<timestamp>); the newest one is checked.
"""

# trainer-requires: sagemaker

import json
import sys

import boto3

try:
    from sagemaker.estimator import Estimator
except ModuleNotFoundError as missing:
    if missing.name != "sagemaker":
        raise  # the SDK is there but broken: show the real error
    print(
        'this solution uses the SageMaker Python SDK v2: pip install "trainer[sagemaker]" '
        "(solution.py does the same with boto3)",
        file=sys.stderr,
    )
    raise SystemExit(1) from None

ROLE = "MLTrainingRole"
BUCKET = "ml-data"
KEY_ALIAS = "alias/ml-data"
SECRET = "ml/database-credentials"
PARAMETER = "/ml/db-password"
VPC = "ml-vpc"
REGION = "us-east-1"
TRAIL = "ml-audit-trail"
LOG_BUCKET = "ml-audit-logs"

iam = boto3.client("iam")
s3 = boto3.client("s3")
kms = boto3.client("kms")
ssm = boto3.client("ssm")
secrets = boto3.client("secretsmanager")
ec2 = boto3.client("ec2")
cloudtrail = boto3.client("cloudtrail")
account = boto3.client("sts").get_caller_identity()["Account"]

# 1. Trust SageMaker only (execution-role).
iam.update_assume_role_policy(
    RoleName=ROLE,
    PolicyDocument=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "sagemaker.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    ),
)

# 2. Least privilege on ml-data (common-permissions): same PolicyName, so s3:* on * is replaced.
iam.put_role_policy(
    RoleName=ROLE,
    PolicyName="s3-access",
    PolicyDocument=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["s3:GetObject", "s3:PutObject"],
                    "Resource": f"arn:aws:s3:::{BUCKET}/*",
                },
                {
                    "Effect": "Allow",
                    "Action": "s3:ListBucket",
                    "Resource": f"arn:aws:s3:::{BUCKET}",
                },
            ],
        }
    ),
)
print("MLTrainingRole: trusts SageMaker only, reaches ml-data only")

# 3. A new customer managed key with rotation (kms-key), found again by its alias on a rerun.
try:
    key_arn = kms.describe_key(KeyId=KEY_ALIAS)["KeyMetadata"]["Arn"]
except kms.exceptions.NotFoundException:
    key_arn = kms.create_key(
        Description="Key for ML workloads: ml-data, its secret and training jobs",
        KeyUsage="ENCRYPT_DECRYPT",
        Tags=[{"TagKey": "Project", "TagValue": "ML"}],
    )["KeyMetadata"]["Arn"]
    kms.create_alias(AliasName=KEY_ALIAS, TargetKeyId=key_arn)
kms.enable_key_rotation(KeyId=key_arn)

# 4. Encrypt ml-data with that key and block public access (bucket-protection).
s3.put_bucket_encryption(
    Bucket=BUCKET,
    ServerSideEncryptionConfiguration={
        "Rules": [
            {
                "ApplyServerSideEncryptionByDefault": {
                    "SSEAlgorithm": "aws:kms",
                    "KMSMasterKeyID": key_arn,
                },
                "BucketKeyEnabled": True,
            }
        ]
    },
)
s3.put_public_access_block(
    Bucket=BUCKET,
    PublicAccessBlockConfiguration={
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    },
)
print("ml-data: SSE-KMS with", KEY_ALIAS, "and Block Public Access on")

# 5. Move the password into Secrets Manager (secrets-manager), then delete the parameter.
try:
    password = ssm.get_parameter(Name=PARAMETER)["Parameter"]["Value"]
except ssm.exceptions.ParameterNotFound:
    password = None  # moved on an earlier run
if password is not None:
    value = json.dumps({"username": "admin", "password": password})
    try:
        secrets.create_secret(Name=SECRET, SecretString=value, KmsKeyId=key_arn)
    except secrets.exceptions.ResourceExistsException:
        secrets.put_secret_value(SecretId=SECRET, SecretString=value)
    ssm.delete_parameter(Name=PARAMETER)
# Whatever made the secret, make sure that the key protects it (re-encrypts on a key change).
secrets.update_secret(SecretId=SECRET, KmsKeyId=key_arn)
print("password moved to", SECRET, "and", PARAMETER, "deleted")

# 6. Retrain inside the VPC, encrypted with the key (kms-sagemaker, vpc-isolation).
vpc_id = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [VPC]}])["Vpcs"][0]["VpcId"]
subnet_ids = [
    s["SubnetId"]
    for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
]
groups = ec2.describe_security_groups(
    Filters=[
        {"Name": "vpc-id", "Values": [vpc_id]},
        {"Name": "group-name", "Values": ["sagemaker-training-sg", "endpoint-sg"]},
    ]
)["SecurityGroups"]
group_id = {g["GroupName"]: g["GroupId"] for g in groups}

estimator = Estimator(
    image_uri="683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
    role=iam.get_role(RoleName=ROLE)["Role"]["Arn"],
    instance_count=1,
    instance_type="ml.m5.xlarge",
    output_path=f"s3://{BUCKET}/output",
    base_job_name="secure-retrain",
    output_kms_key=key_arn,
    volume_kms_key=key_arn,
    subnets=subnet_ids,
    security_group_ids=[group_id["sagemaker-training-sg"]],
)
estimator.fit(wait=False)
print("started", estimator.latest_training_job.name)

# 7. Private access to SageMaker and S3 (vpc-endpoints).
route_table_id = ec2.describe_route_tables(
    Filters=[{"Name": "tag:Name", "Values": ["ml-vpc-private"]}]
)["RouteTables"][0]["RouteTableId"]
existing = {
    e["ServiceName"]
    for e in ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])[
        "VpcEndpoints"
    ]
    if e["State"].lower() not in ("deleted", "deleting", "failed", "rejected")
}
for name in ("sagemaker.api", "sagemaker.runtime"):
    service = f"com.amazonaws.{REGION}.{name}"
    if service not in existing:
        ec2.create_vpc_endpoint(
            VpcId=vpc_id,
            ServiceName=service,
            VpcEndpointType="Interface",
            SubnetIds=subnet_ids,
            SecurityGroupIds=[group_id["endpoint-sg"]],
            PrivateDnsEnabled=True,
        )
if f"com.amazonaws.{REGION}.s3" not in existing:
    ec2.create_vpc_endpoint(
        VpcId=vpc_id,
        ServiceName=f"com.amazonaws.{REGION}.s3",
        VpcEndpointType="Gateway",
        RouteTableIds=[route_table_id],
    )
print("endpoints: sagemaker.api, sagemaker.runtime (interface), s3 (gateway)")

# 8. An audit trail (audit-trail): a log bucket CloudTrail may write to, the trail, logging on.
trail_arn = f"arn:aws:cloudtrail:{REGION}:{account}:trail/{TRAIL}"
s3.create_bucket(Bucket=LOG_BUCKET)  # creating a bucket you own again succeeds in us-east-1
s3.put_bucket_policy(
    Bucket=LOG_BUCKET,
    Policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AWSCloudTrailAclCheck",
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudtrail.amazonaws.com"},
                    "Action": "s3:GetBucketAcl",
                    "Resource": f"arn:aws:s3:::{LOG_BUCKET}",
                    "Condition": {"StringEquals": {"aws:SourceArn": trail_arn}},
                },
                {
                    "Sid": "AWSCloudTrailWrite",
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudtrail.amazonaws.com"},
                    "Action": "s3:PutObject",
                    "Resource": f"arn:aws:s3:::{LOG_BUCKET}/AWSLogs/{account}/*",
                    "Condition": {
                        "StringEquals": {
                            "s3:x-amz-acl": "bucket-owner-full-control",
                            "aws:SourceArn": trail_arn,
                        }
                    },
                },
            ],
        }
    ),
)
if TRAIL not in {t["Name"] for t in cloudtrail.list_trails()["Trails"]}:
    cloudtrail.create_trail(
        Name=TRAIL,
        S3BucketName=LOG_BUCKET,
        IsMultiRegionTrail=True,
        EnableLogFileValidation=True,
    )
cloudtrail.start_logging(Name=TRAIL)
print("trail", TRAIL, "is logging")
