"""Lab: an audit trail with CloudTrail.

The study page's best practice 5, "Enable CloudTrail for auditing", in code: create the trail
"ml-audit-trail" delivering to the bucket "ml-audit-logs" (the lab's setup made it, with the
bucket policy CloudTrail needs), recording every region, with log file validation, its log files
encrypted with alias/ml-workloads, and logging started.
This runs against trainer's simulated AWS: boto3 needs no credentials or endpoint here.
"""

import boto3

cloudtrail = boto3.client("cloudtrail")

trail = cloudtrail.create_trail(
    Name="ml-audit-trail",
    S3BucketName="ml-audit-logs",
    # TODO: record the API calls of every region, not only this one.
    # TODO: turn on log file integrity validation.
    # TODO: encrypt the log files with the customer managed key alias/ml-workloads.
)
print("created", trail["TrailARN"])

# TODO: a new trail records nothing until logging is started.

status = cloudtrail.get_trail_status(Name="ml-audit-trail")
print("logging:", status["IsLogging"])
