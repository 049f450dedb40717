"""S3 setup actions."""

from __future__ import annotations

from typing import Any

from trainer.labs.setup import action


@action("s3.bucket")
def bucket(sandbox: Any, name: str) -> None:
    """An empty bucket in the sandbox's region (us-east-1 takes no location constraint)."""
    sandbox.client("s3").create_bucket(Bucket=name)
