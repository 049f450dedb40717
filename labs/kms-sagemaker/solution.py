"""Reference solution with boto3 (no SageMaker SDK needed). Idempotent: a second run finds the
job already started and leaves it alone, because training job names are unique per account."""

import boto3

JOB = "secure-training-1"

iam = boto3.client("iam")
kms = boto3.client("kms")
sagemaker = boto3.client("sagemaker")

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
        StoppingCondition={"MaxRuntimeInSeconds": 3600},
    )
    print("started", JOB)
