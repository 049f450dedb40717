"""Lab: least-privilege permissions for the execution role.

The role SageMakerExecutionRole and the bucket my-bucket already exist in the simulated AWS.
Give the role exactly what a training job needs, then run `trainer lab check common-permissions`.
"""

import json

import boto3

iam = boto3.client("iam")

# The study page's "Common Permissions".
policy = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
            # TODO: the bucket ARN (for ListBucket) and its objects (for GetObject/PutObject)
            "Resource": ["arn:aws:s3:::TODO"],
        },
        {
            "Effect": "Allow",
            "Action": [
                "logs:CreateLogGroup",
                "logs:CreateLogStream",
                # TODO: the action that writes log events
            ],
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

# TODO: attach the policy to the role, e.g.
# iam.put_role_policy(RoleName=..., PolicyName="training-access", PolicyDocument=json.dumps(policy))
print(json.dumps(policy, indent=2))
