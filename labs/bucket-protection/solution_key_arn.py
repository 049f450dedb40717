"""Reference solution, the stricter exam pattern: the key named by its ARN, and a policy that
spells out every case.

The key ARN is what the S3 documentation recommends for KMSMasterKeyID (an alias is resolved in
the account of whoever makes the request). The policy denies, besides plain HTTP: uploads whose
encryption header is not aws:kms, uploads with no header at all (Null; redundant after
StringNotEquals, but it says so), and SSE-KMS uploads that name another key. With that last
Deny, clients must send SSEKMSKeyId as well as ServerSideEncryption="aws:kms". Idempotent.
"""

import json

import boto3

s3 = boto3.client("s3")
kms = boto3.client("kms")
BUCKET = "my-bucket"
key_arn = kms.describe_key(KeyId="alias/ml-workloads")["KeyMetadata"]["Arn"]

s3.put_bucket_encryption(
    Bucket=BUCKET,
    ServerSideEncryptionConfiguration={
        "Rules": [
            {
                "ApplyServerSideEncryptionByDefault": {
                    "SSEAlgorithm": "aws:kms",
                    "KMSMasterKeyID": key_arn,
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

objects = f"arn:aws:s3:::{BUCKET}/*"
policy = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{BUCKET}", objects],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
        {
            "Sid": "DenyIncorrectEncryptionHeader",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:PutObject",
            "Resource": objects,
            "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}},
        },
        {
            "Sid": "DenyUnencryptedObjectUploads",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:PutObject",
            "Resource": objects,
            "Condition": {"Null": {"s3:x-amz-server-side-encryption": "true"}},
        },
        {
            "Sid": "DenyOtherKmsKeys",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:PutObject",
            "Resource": objects,
            "Condition": {
                "StringNotEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id": key_arn}
            },
        },
    ],
}
s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))
print(f"{BUCKET}: SSE-KMS with {key_arn} and a bucket key, public access blocked, policy set")
