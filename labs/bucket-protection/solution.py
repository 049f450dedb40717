"""Reference solution: protect the training data bucket.

Default encryption with SSE-KMS under the lab key and an S3 Bucket Key, all four Block Public
Access settings, and a bucket policy with two Denies: any request without TLS, and any upload
that does not ask for SSE-KMS. Every call replaces the previous configuration, so running this
twice is harmless. It reads and writes no objects: the simulator applies bucket policies to
object requests without evaluating their conditions, so it would refuse even a TLS upload.
"""

import json

import boto3

s3 = boto3.client("s3")
BUCKET = "my-bucket"

s3.put_bucket_encryption(
    Bucket=BUCKET,
    ServerSideEncryptionConfiguration={
        "Rules": [
            {
                "ApplyServerSideEncryptionByDefault": {
                    "SSEAlgorithm": "aws:kms",
                    "KMSMasterKeyID": "alias/ml-workloads",
                },
                "BucketKeyEnabled": True,
            }
        ]
    },
)

s3.put_public_access_block(
    Bucket=BUCKET,
    PublicAccessBlockConfiguration={
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    },
)

policy = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
        {
            # StringNotEquals is also true when the header is missing, so this one statement
            # denies uploads without the header as well as those asking for AES256.
            "Sid": "DenyUploadsWithoutSseKms",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:PutObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
            "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}},
        },
    ],
}
s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))
print(f"{BUCKET}: SSE-KMS with a bucket key, public access blocked, TLS and SSE-KMS required")
