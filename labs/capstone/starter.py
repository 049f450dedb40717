"""Capstone: secure a misconfigured ML account.

One TODO per finding of the audit (see the README for what "fixed" means and which lab taught
each fix). As it stands this script only looks at the account and changes nothing, so every
finding is still open. Never print the database password.
This runs against trainer's simulated AWS: nothing trains, and no credentials are needed.
"""

import json

import boto3

iam = boto3.client("iam")
s3 = boto3.client("s3")
kms = boto3.client("kms")
ssm = boto3.client("ssm")
secrets_client = boto3.client("secretsmanager")
sagemaker = boto3.client("sagemaker")
ec2 = boto3.client("ec2")
cloudtrail = boto3.client("cloudtrail")

# -- Finding 1: MLTrainingRole trusts ec2.amazonaws.com as well as SageMaker -------------------
role = iam.get_role(RoleName="MLTrainingRole")["Role"]
print("trust policy:", json.dumps(role["AssumeRolePolicyDocument"]))
# The study page's trust policy:
trust_policy = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "sagemaker.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}
# TODO: iam.update_assume_role_policy(RoleName="MLTrainingRole", PolicyDocument=...)

# -- Finding 2: MLTrainingRole may do anything in any bucket (inline policy s3-access) ----------
print("inline policies:", iam.list_role_policies(RoleName="MLTrainingRole")["PolicyNames"])
# The study page's S3 statement, for its bucket my-bucket:
#   {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
#    "Resource": ["arn:aws:s3:::my-bucket", "arn:aws:s3:::my-bucket/*"]}
# TODO: replace s3-access with least privilege on ml-data (iam.put_role_policy, same PolicyName)

# -- Finding 3: ml-data has no encryption of yours, and no key exists to give it ---------------
# The study page's key (add rotation, and an alias so that you can find it again):
#   response = kms.create_key(Description="Key for ML workloads", KeyUsage="ENCRYPT_DECRYPT",
#                             Tags=[{"TagKey": "Project", "TagValue": "ML"}])
#   key_id = response["KeyMetadata"]["KeyId"]
key_arn = None
# TODO: create the key, kms.enable_key_rotation(KeyId=...), then s3.put_bucket_encryption(...)
#       on ml-data with "SSEAlgorithm": "aws:kms" and "KMSMasterKeyID": key_arn

# -- Finding 4: ml-data does not block public access --------------------------------------------
# TODO: s3.put_public_access_block(Bucket="ml-data", PublicAccessBlockConfiguration={...})

# -- Finding 5: the database password is a plain-text parameter ---------------------------------
parameter = ssm.describe_parameters(
    ParameterFilters=[{"Key": "Name", "Values": ["/ml/db-password"]}]
)["Parameters"]
print("/ml/db-password:", [p["Type"] for p in parameter] or "gone")
# The study page's secret (username admin; the password is the parameter's value):
#   secrets_client.create_secret(
#       Name="ml/database-credentials",
#       SecretString=json.dumps({"username": "admin", "password": "secret123"}),
#   )
# TODO: read the parameter (ssm.get_parameter), create the secret with KmsKeyId=key_arn,
#       then ssm.delete_parameter(Name="/ml/db-password")

# -- Finding 6: no training job runs encrypted and inside the VPC -------------------------------
vpc_id = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["ml-vpc"]}])["Vpcs"][0]["VpcId"]
# The study page, with the Estimator:
#   Estimator(..., output_kms_key=kms_key_arn, volume_kms_key=kms_key_arn,
#             subnets=["subnet-abc123", "subnet-def456"], security_group_ids=["sg-12345678"])
# TODO: start a job named secure-retrain-... as MLTrainingRole with both keys and a VpcConfig
#       (the subnets of ml-vpc, the group sagemaker-training-sg); boto3's
#       sagemaker.create_training_job or the Estimator both work

# -- Finding 7: ml-vpc has no VPC endpoints -----------------------------------------------------
# The study page's table: sagemaker.api (SageMaker API calls), sagemaker.runtime (inference
# calls), s3 (S3 access without internet).
# TODO: ec2.create_vpc_endpoint(...) for com.amazonaws.us-east-1.sagemaker.api and
#       .sagemaker.runtime (Interface, endpoint-sg) and com.amazonaws.us-east-1.s3 (Gateway,
#       route table ml-vpc-private)

# -- Finding 8: CloudTrail records nothing --------------------------------------------------------
print("trails:", [t["Name"] for t in cloudtrail.list_trails()["Trails"]] or "none")
# TODO: a log bucket CloudTrail may write to, cloudtrail.create_trail(...), start_logging(...)
