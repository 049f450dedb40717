"""CloudTrail checks: a trail exists, where it delivers, how it protects its logs, and whether it
is actually logging.

What moto stores (verified by experiment with moto 5.2): GetTrail returns ``KmsKeyId`` exactly as
the caller wrote it (alias, alias ARN, key id or key ARN) and leaves it out when no key was
given; GetTrailStatus reports ``IsLogging`` False for a new trail until StartLogging, as AWS does
for trails made through the API. Key comparison therefore goes through ``trainer.checks.kms``.
"""

from __future__ import annotations

from typing import Any

from trainer.checks.kms import describe_key, key_label, same_key
from trainer.checks.registry import CheckContext, Outcome, check, failed, passed, what_is_there


def get_trail(ctx: CheckContext, name: str) -> dict[str, Any] | None:
    """GetTrail's description of the trail NAME (a name or trail ARN), or None when absent."""

    def fetch() -> dict[str, Any] | None:
        client = ctx.client("cloudtrail")
        try:
            return client.get_trail(Name=name)["Trail"]
        except client.exceptions.TrailNotFoundException:
            return None

    return ctx.memo(("cloudtrail.trail", name), fetch)


def trail_names(ctx: CheckContext) -> list[str]:
    """The names of every trail the sandbox's region can see, sorted."""

    def fetch() -> list[str]:
        pages = ctx.client("cloudtrail").get_paginator("list_trails").paginate()
        return sorted(t["Name"] for page in pages for t in page["Trails"])

    return ctx.memo("cloudtrail.names", fetch)


def missing_trail(ctx: CheckContext, name: str) -> Outcome:
    """The failure a trail check gives when NAME does not exist: name the trails that do."""
    there = what_is_there("trails", trail_names(ctx))
    return failed(
        f"no trail named {name}; {there}. Create it with "
        f"cloudtrail.create_trail(Name={name!r}, S3BucketName=...) (names are case-sensitive)"
    )


def _trail(ctx: CheckContext, name: str) -> tuple[dict[str, Any] | None, Outcome | None]:
    trail = get_trail(ctx, name)
    if trail is None:
        return None, failed(f"cannot check: there is no trail named {name} yet")
    return trail, None


@check("cloudtrail.trail_exists", services=("cloudtrail",))
def trail_exists(ctx: CheckContext, trail: str) -> Outcome:
    """A trail named TRAIL exists."""
    description = get_trail(ctx, trail)
    if description is None:
        return missing_trail(ctx, trail)
    return passed(f"trail {trail} exists ({description['TrailARN']})")


@check("cloudtrail.delivers_to_bucket", services=("cloudtrail",))
def delivers_to_bucket(ctx: CheckContext, trail: str, bucket: str) -> Outcome:
    """The trail writes its log files to the S3 bucket BUCKET (any key prefix)."""
    description, problem = _trail(ctx, trail)
    if problem:
        return problem
    assert description is not None
    actual = description.get("S3BucketName")
    if actual != bucket:
        return failed(
            f"trail {trail} delivers its log files to bucket {actual or '(none)'}, expected "
            f"{bucket}; the lab's setup gave {bucket} the bucket policy CloudTrail needs. Fix it "
            f"with cloudtrail.update_trail(Name={trail!r}, S3BucketName={bucket!r})"
        )
    prefix = description.get("S3KeyPrefix")
    where = f"s3://{bucket}/{prefix}/AWSLogs/" if prefix else f"s3://{bucket}/AWSLogs/"
    return passed(f"trail {trail} delivers its log files to {where}")


@check("cloudtrail.multi_region", services=("cloudtrail",))
def multi_region(ctx: CheckContext, trail: str) -> Outcome:
    """The trail records events from every region."""
    description, problem = _trail(ctx, trail)
    if problem:
        return problem
    assert description is not None
    if not description.get("IsMultiRegionTrail"):
        return failed(
            f"trail {trail} records only {description.get('HomeRegion') or ctx.region} events; "
            "activity in any other region (where an attacker might start instances or read "
            "data) would leave no record. Pass IsMultiRegionTrail=True to create_trail or "
            "update_trail"
        )
    return passed(f"trail {trail} records events from every region")


@check("cloudtrail.log_file_validation", services=("cloudtrail",))
def log_file_validation(ctx: CheckContext, trail: str) -> Outcome:
    """Log file integrity validation is on for the trail."""
    description, problem = _trail(ctx, trail)
    if problem:
        return problem
    assert description is not None
    if not description.get("LogFileValidationEnabled"):
        return failed(
            f"trail {trail} has log file validation off, so nobody can prove its log files were "
            "not changed or deleted after delivery. Pass EnableLogFileValidation=True: CloudTrail "
            "then writes signed digest files with a SHA-256 hash of every log file"
        )
    return passed(f"trail {trail} validates its log files (signed hourly digest files)")


@check("cloudtrail.encrypted_with_key", services=("cloudtrail", "kms"))
def encrypted_with_key(ctx: CheckContext, trail: str, key: str) -> Outcome:
    """The trail encrypts its log files with KEY (SSE-KMS), however either key is written."""
    description, problem = _trail(ctx, trail)
    if problem:
        return problem
    assert description is not None
    actual = description.get("KmsKeyId")
    if not actual:
        return failed(
            f"trail {trail} has no KMS key, so its log files get only the bucket's default "
            f"SSE-S3 encryption; pass KmsKeyId={key!r} to create_trail (or update_trail) so "
            "that reading the logs also needs kms:Decrypt on your key"
        )
    if describe_key(ctx, key) is None:
        return failed(f"cannot check: the lab key {key} does not exist (was it deleted?)")
    if not same_key(ctx, actual, key):
        return failed(
            f"trail {trail} encrypts its log files with {key_label(ctx, actual)}, expected the "
            f"lab key {key_label(ctx, key)} (its key policy lets CloudTrail use it); fix it with "
            f"cloudtrail.update_trail(Name={trail!r}, KmsKeyId={key!r})"
        )
    state = describe_key(ctx, key).get("KeyState", "Enabled")
    if state != "Enabled":
        return failed(
            f"trail {trail} encrypts with {key_label(ctx, key)}, but that key is {state}: "
            "CloudTrail cannot deliver log files until the key is enabled again"
        )
    return passed(f"trail {trail} encrypts its log files with {key_label(ctx, key)}")


def trail_status(ctx: CheckContext, trail: dict[str, Any]) -> dict[str, Any]:
    """GetTrailStatus of the trail TRAIL (a GetTrail description), read once per check run."""

    def fetch() -> dict[str, Any]:
        return ctx.client("cloudtrail").get_trail_status(Name=trail["TrailARN"])

    return ctx.memo(("cloudtrail.status", trail["Name"]), fetch)


def _stopped(status: dict[str, Any]) -> bool:
    return bool(status.get("StopLoggingTime") or status.get("TimeLoggingStopped"))


@check("cloudtrail.logging", services=("cloudtrail",))
def logging(ctx: CheckContext, trail: str | None = None) -> Outcome:
    """The trail TRAIL is logging now (created and started, not stopped since). Without TRAIL,
    at least one trail of the account is logging, whatever its name."""
    if trail is None:
        return _any_trail_logging(ctx)
    description, problem = _trail(ctx, trail)
    if problem:
        return problem
    assert description is not None
    status = trail_status(ctx, description)
    if status.get("IsLogging"):
        return passed(f"trail {trail} is logging")
    if _stopped(status):
        return failed(
            f"trail {trail} exists but its logging was stopped, so it records nothing; call "
            f"cloudtrail.start_logging(Name={trail!r}) (stop_logging is itself an event attackers "
            "use to cover their tracks)"
        )
    return failed(
        f"trail {trail} exists but is not logging: a trail created through the API records "
        f"nothing until you call cloudtrail.start_logging(Name={trail!r})"
    )


def _any_trail_logging(ctx: CheckContext) -> Outcome:
    # DescribeTrails gives every trail's description in one call (ListTrails then GetTrail per
    # trail would take one more per trail); shadow trails of other regions are left out.
    trails = ctx.client("cloudtrail").describe_trails(includeShadowTrails=False)["trailList"]
    if not trails:
        return failed(
            "no trail records this account's API calls: without one, nobody can tell afterwards "
            "who read the training data, changed a role or disabled a key. Create one with "
            "cloudtrail.create_trail(Name=..., S3BucketName=...) and start it with "
            "cloudtrail.start_logging(Name=...)"
        )
    logging_now = [t["Name"] for t in trails if trail_status(ctx, t).get("IsLogging")]
    if len(logging_now) == 1:
        return passed(f"trail {logging_now[0]} is logging")
    if logging_now:
        return passed(f"trails {', '.join(logging_now)} are logging")
    described = ", ".join(
        f"{t['Name']} ({'stopped' if _stopped(trail_status(ctx, t)) else 'never started'})"
        for t in trails
    )
    return failed(
        f"no trail is logging: {described}. A trail created through the API records nothing "
        "until cloudtrail.start_logging(Name=...) is called, and a stopped one records nothing "
        "either"
    )
