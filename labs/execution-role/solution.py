"""Reference solution: the SageMaker execution role (idempotent: safe to run twice)."""

import json

import boto3

iam = boto3.client("iam")

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

try:
    role = iam.create_role(
        RoleName="SageMakerExecutionRole",
        AssumeRolePolicyDocument=json.dumps(trust_policy),
        Description="Assumed by SageMaker to run training jobs",
    )["Role"]
except iam.exceptions.EntityAlreadyExistsException:
    iam.update_assume_role_policy(
        RoleName="SageMakerExecutionRole", PolicyDocument=json.dumps(trust_policy)
    )
    role = iam.get_role(RoleName="SageMakerExecutionRole")["Role"]

print("created", role["Arn"])
