"""Lab: encrypt a SageMaker training job with your KMS key.

The study page configures the job with the SageMaker Python SDK's Estimator. Complete it: the
model artifacts (output_kms_key) and the training volume (volume_kms_key) must be encrypted with
the customer managed key alias/ml-workloads.
This runs against trainer's simulated AWS: nothing trains, and no credentials are needed.
"""

import sys

import boto3

try:
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

iam = boto3.client("iam")
kms = boto3.client("kms")

role_arn = iam.get_role(RoleName="SageMakerExecutionRole")["Role"]["Arn"]

# TODO: the ARN of the lab key, e.g. kms.describe_key(KeyId="alias/ml-workloads")
kms_key_arn = None

estimator = Estimator(
    # Any training image will do here; this is SageMaker's built-in XGBoost in us-east-1.
    image_uri="683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
    role=role_arn,
    instance_count=1,
    instance_type="ml.m5.xlarge",
    output_path="s3://my-bucket/output",
    base_job_name="secure-training",
    # TODO: both must name the lab key.
    output_kms_key=kms_key_arn,
    volume_kms_key=kms_key_arn,
)

# wait=False starts the job and returns at once instead of streaming its logs.
estimator.fit(wait=False)
print("started", estimator.latest_training_job.name)
