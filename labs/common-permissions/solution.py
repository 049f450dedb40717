"""Reference solution: least-privilege permissions for the execution role.

Splits the study page's S3 statement so that each action gets only the resource type it acts
on: ListBucket on the bucket, object actions on its objects. put_role_policy replaces a policy
of the same name, so running this twice is harmless.
"""

import json

import boto3

iam = boto3.client("iam")

policy = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "ReadWriteTrainingData",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": "arn:aws:s3:::my-bucket/*",
        },
        {
            "Sid": "ListTrainingData",
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": "arn:aws:s3:::my-bucket",
        },
        {
            "Sid": "WriteLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": "arn:aws:logs:*:*:*",
        },
        {
            "Sid": "PullTrainingImages",
            "Effect": "Allow",
            "Action": [
                "ecr:GetAuthorizationToken",
                "ecr:BatchGetImage",
                "ecr:GetDownloadUrlForLayer",
            ],
            "Resource": "*",
        },
    ],
}

iam.put_role_policy(
    RoleName="SageMakerExecutionRole",
    PolicyName="training-access",
    PolicyDocument=json.dumps(policy),
)
print("attached training-access to SageMakerExecutionRole")
