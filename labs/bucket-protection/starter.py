"""Lab: protect the training data bucket.

The study page's best practices 2 ("Enable encryption at rest with KMS") and 6 ("Use S3 bucket
policies for data access control") for the bucket my-bucket, which the lab's setup made along
with the key alias/ml-workloads and the role SageMakerExecutionRole. The page has no snippet for
these, so here are the three boto3 calls with TODOs. Complete them, then run
`trainer lab check bucket-protection`.
This runs against trainer's simulated AWS: boto3 needs no credentials or endpoint here.
"""

import json

import boto3

s3 = boto3.client("s3")
BUCKET = "my-bucket"

# 1. Encryption at rest: every new object encrypted by default.
s3.put_bucket_encryption(
    Bucket=BUCKET,
    ServerSideEncryptionConfiguration={
        "Rules": [
            {
                "ApplyServerSideEncryptionByDefault": {
                    # TODO: SSE-KMS instead of SSE-S3, with the customer managed key
                    # alias/ml-workloads (KMSMasterKeyID).
                    "SSEAlgorithm": "AES256",
                },
                # TODO: use an S3 Bucket Key, so S3 does not call KMS for every object.
            }
        ]
    },
)

# 2. Block Public Access: the four settings go together.
s3.put_public_access_block(
    Bucket=BUCKET,
    PublicAccessBlockConfiguration={
        "BlockPublicAcls": True,
        # TODO: the other three settings.
    },
)

# 3. The bucket policy: refuse what must never happen, whoever asks.
policy = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            # TODO: the bucket ARN and the ARN of its objects.
            "Resource": [],
            # TODO: only for requests that did not come over TLS (aws:SecureTransport).
            "Condition": {},
        },
        # TODO: a second Deny: s3:PutObject on the objects, unless the upload asks for SSE-KMS
        # (the condition key s3:x-amz-server-side-encryption).
    ],
}

# TODO: put the policy on the bucket once it is complete (S3 refuses an empty Resource):
# s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))
print(json.dumps(policy, indent=2))
