"""Reference solution with the SageMaker Python SDK v2, as the study page writes it.
Needs the extra: pip install "trainer[sagemaker]". Each run starts a new job
(secure-training-<timestamp>); the newest one is checked."""

# trainer-requires: sagemaker

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

iam = boto3.client("iam")
kms = boto3.client("kms")

role_arn = iam.get_role(RoleName="SageMakerExecutionRole")["Role"]["Arn"]
kms_key_arn = kms.describe_key(KeyId="alias/ml-workloads")["KeyMetadata"]["Arn"]

estimator = Estimator(
    image_uri="683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
    role=role_arn,
    instance_count=1,
    instance_type="ml.m5.xlarge",
    output_path="s3://my-bucket/output",
    base_job_name="secure-training",
    output_kms_key=kms_key_arn,
    volume_kms_key=kms_key_arn,
)
estimator.fit(wait=False)
print("started", estimator.latest_training_job.name)
