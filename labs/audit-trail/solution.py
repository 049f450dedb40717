"""Reference solution: an audit trail with CloudTrail (idempotent: safe to run twice)."""

import boto3

cloudtrail = boto3.client("cloudtrail")

settings = {
    "Name": "ml-audit-trail",
    "S3BucketName": "ml-audit-logs",
    "IsMultiRegionTrail": True,  # every region: activity elsewhere is recorded too
    "EnableLogFileValidation": True,  # signed digest files prove the logs were not altered
    "KmsKeyId": "alias/ml-workloads",  # SSE-KMS with the customer managed key
}

try:
    trail = cloudtrail.create_trail(**settings)
except cloudtrail.exceptions.TrailAlreadyExistsException:
    trail = cloudtrail.update_trail(**settings)

# Trails made through the API start stopped.
cloudtrail.start_logging(Name="ml-audit-trail")

status = cloudtrail.get_trail_status(Name="ml-audit-trail")
print("trail", trail["TrailARN"], "logging:", status["IsLogging"])
