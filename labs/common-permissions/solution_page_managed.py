"""Reference solution, second form: the study page's policy exactly as printed, as a customer
managed policy attached to the role. Combining bucket and object ARNs in one statement is
allowed: each action still only applies to the resource type it acts on."""

import json

import boto3

iam = boto3.client("iam")

page_policy = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
            "Resource": ["arn:aws:s3:::my-bucket", "arn:aws:s3:::my-bucket/*"],
        },
        {
            "Effect": "Allow",
            "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": "arn:aws:logs:*:*:*",
        },
        {
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

account = boto3.client("sts").get_caller_identity()["Account"]
arn = f"arn:aws:iam::{account}:policy/SageMakerTrainingAccess"
try:
    iam.create_policy(PolicyName="SageMakerTrainingAccess", PolicyDocument=json.dumps(page_policy))
except iam.exceptions.EntityAlreadyExistsException:
    pass
iam.attach_role_policy(RoleName="SageMakerExecutionRole", PolicyArn=arn)
print("attached", arn)
