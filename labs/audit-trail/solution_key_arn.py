"""Reference solution: create the trail first, then configure it step by step, naming the key by
its ARN (any form of the key's name works). Idempotent: safe to run twice."""

import boto3

cloudtrail = boto3.client("cloudtrail")
kms = boto3.client("kms")

NAME = "ml-audit-trail"
key_arn = kms.describe_key(KeyId="alias/ml-workloads")["KeyMetadata"]["Arn"]

existing = cloudtrail.describe_trails(trailNameList=[NAME])["trailList"]
if not existing:
    cloudtrail.create_trail(Name=NAME, S3BucketName="ml-audit-logs")

cloudtrail.update_trail(
    Name=NAME,
    S3BucketName="ml-audit-logs",
    IsMultiRegionTrail=True,
    EnableLogFileValidation=True,
    KmsKeyId=key_arn,
)
if not cloudtrail.get_trail_status(Name=NAME)["IsLogging"]:
    cloudtrail.start_logging(Name=NAME)

trail = cloudtrail.get_trail(Name=NAME)["Trail"]
print(
    f"{trail['Name']}: multi-region={trail['IsMultiRegionTrail']}, "
    f"validation={trail['LogFileValidationEnabled']}, key={trail.get('KmsKeyId')}"
)
