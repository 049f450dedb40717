"""Lab: the SageMaker execution role.

Create the role SageMakerExecutionRole with a trust policy that lets SageMaker assume it.
This runs against trainer's simulated AWS: boto3 needs no credentials or endpoint here.
"""

import json

import boto3

iam = boto3.client("iam")

# The study page's trust policy: who may assume the role.
trust_policy = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            # TODO: name the service principal that must assume the role.
            "Principal": {"Service": "TODO.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}

# TODO: create the role "SageMakerExecutionRole" with the trust policy above, e.g.
# iam.create_role(RoleName=..., AssumeRolePolicyDocument=json.dumps(trust_policy))
print(json.dumps(trust_policy, indent=2))
