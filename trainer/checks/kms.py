"""KMS lookups shared by every check that needs a key, and the KMS key checks.

One way to name a key: ``describe_key`` accepts a key id, a key ARN, an alias name
(``alias/ml-workloads``) or an alias ARN, and all four resolve to the same key here.
The key checks (``kms.key_*``, ``kms.round_trip``) judge "the lab key" the same way.
"""

from __future__ import annotations

from typing import Any

from trainer.checks.registry import CheckContext, Outcome, check, failed, passed, what_is_there


def describe_key(ctx: CheckContext, ref: str | None) -> dict[str, Any] | None:
    """The KeyMetadata of the key REF names (id, ARN, alias or alias ARN), or None."""
    if not ref:
        return None

    def fetch() -> dict[str, Any] | None:
        kms = ctx.client("kms")
        try:
            return kms.describe_key(KeyId=ref)["KeyMetadata"]
        except (kms.exceptions.NotFoundException, kms.exceptions.InvalidArnException):
            return None
        except kms.exceptions.ClientError:
            return None

    return ctx.memo(("kms.key", ref), fetch)


def same_key(ctx: CheckContext, ref: str | None, expected_ref: str) -> bool:
    """Whether REF names the same key as EXPECTED_REF, however each of them is written."""
    actual = describe_key(ctx, ref)
    expected = describe_key(ctx, expected_ref)
    return actual is not None and expected is not None and actual["KeyId"] == expected["KeyId"]


def key_label(ctx: CheckContext, ref: str | None) -> str:
    """How to name REF's key to a learner: its aliases if any, else its id; or 'no key'."""
    if not ref:
        return "no key"
    metadata = describe_key(ctx, ref)
    if metadata is None:
        return f"{ref} (no such key)"
    aliases = aliases_of(ctx, metadata["KeyId"])
    manager = "AWS managed" if is_aws_managed(ctx, ref) else "customer managed"
    return f"{', '.join(aliases) or metadata['KeyId']} ({manager} key)"


def _aliases(ctx: CheckContext) -> list[dict[str, Any]]:
    pages = ctx.client("kms").get_paginator("list_aliases").paginate()
    return [a for page in pages for a in page["Aliases"]]


# -- more lookups ----------------------------------------------------------------------------


def aliases_of(ctx: CheckContext, key_id: str) -> list[str]:
    """The alias names that point at the key KEY_ID (an id, not an ARN), sorted."""
    return sorted(
        a["AliasName"]
        for a in ctx.memo("kms.aliases", lambda: _aliases(ctx))
        if a.get("TargetKeyId") == key_id
    )


def is_aws_managed(ctx: CheckContext, ref: str | None) -> bool:
    """Whether REF names an AWS managed key (aws/s3, aws/secretsmanager, ...).

    Real KMS says so in KeyManager; the simulator reports such keys as customer managed, so an
    ``alias/aws/...`` alias pointing at the key counts as well.
    """
    if not ref:
        return False
    # Naming an AWS managed alias is enough; it also covers the simulator creating such a key on
    # first use, after the alias list was read.
    if ref.startswith(("alias/aws/", "aws/")) or ":alias/aws/" in ref:
        return True
    metadata = describe_key(ctx, ref)
    if metadata is None:
        return False
    if metadata.get("KeyManager") == "AWS":
        return True
    return any(a.startswith("alias/aws/") for a in aliases_of(ctx, metadata["KeyId"]))


def customer_keys_tagged(ctx: CheckContext, tag_key: str, tag_value: str) -> list[dict[str, Any]]:
    """KeyMetadata of every customer managed key carrying the tag TAG_KEY=TAG_VALUE, keys pending
    deletion left out, ordered by KeyId."""

    def fetch() -> list[dict[str, Any]]:
        kms = ctx.client("kms")
        found = []
        pages = kms.get_paginator("list_keys").paginate()
        for key_id in sorted(k["KeyId"] for page in pages for k in page["Keys"]):
            metadata = describe_key(ctx, key_id)
            if metadata is None or metadata.get("KeyState") == "PendingDeletion":
                continue
            if is_aws_managed(ctx, key_id):
                continue
            if key_tags(ctx, key_id).get(tag_key) == tag_value:
                found.append(metadata)
        return found

    return ctx.memo(("kms.tagged", tag_key, tag_value), fetch)


def key_tags(ctx: CheckContext, key_id: str) -> dict[str, str]:
    """The key's tags as a mapping (empty when it has none or cannot be read)."""

    def fetch() -> dict[str, str]:
        kms = ctx.client("kms")
        try:
            pages = kms.get_paginator("list_resource_tags").paginate(KeyId=key_id)
            return {t["TagKey"]: t["TagValue"] for page in pages for t in page.get("Tags", [])}
        except kms.exceptions.ClientError:
            return {}

    return ctx.memo(("kms.tags", key_id), fetch)


def resolve_lab_key(
    ctx: CheckContext, key: str | None, key_of_bucket: str | None
) -> tuple[str | None, Outcome | None]:
    """The key a check compares with: KEY as the lab names it, or, with KEY_OF_BUCKET, whichever
    customer managed key encrypts that bucket by default (a lab that lets the learner make and
    name "a new key", then asks for "that key" elsewhere). Returns (KEY, None); for a bucket,
    (the key's first alias, else its ARN, None), or (None, the "cannot check" failure) when the
    bucket has no such key. Exactly one of KEY and KEY_OF_BUCKET must be given."""
    if (key is None) == (key_of_bucket is None):
        raise ValueError("give exactly one of key and key_of_bucket")
    if key is not None:
        return key, None
    from trainer.checks.s3 import bucket_kms_key  # trainer.checks.s3 imports this module

    ref = bucket_kms_key(ctx, key_of_bucket)
    if ref is None:
        return None, failed(
            f"cannot check: bucket {key_of_bucket} is not encrypted with a customer managed key "
            "yet, and this check looks for that key"
        )
    metadata = describe_key(ctx, ref)
    assert metadata is not None  # bucket_kms_key returns only keys that exist
    aliases = aliases_of(ctx, metadata["KeyId"])
    name = aliases[0] if aliases else metadata["Arn"]
    # The caller looks the key up again under the name returned: that lookup is known already.
    ctx.memo(("kms.key", name), lambda: metadata)
    return name, None


# -- the key checks -------------------------------------------------------------------------
# Every key check takes KEY, the reference the lab tells the learner to use (an alias), and
# optionally TAG, a one-entry mapping such as {Project: ML}. When KEY names no key, the checks
# judge the one customer managed key carrying TAG instead, so that a forgotten alias fails the
# alias check alone rather than every check of the lab.


def _one_tag(tag: dict[str, str] | None) -> tuple[str, str] | None:
    if not tag:
        return None
    if len(tag) != 1:
        raise ValueError(f"tag must be a single KEY: VALUE entry, not {tag!r}")
    return next(iter(tag.items()))


def find_lab_key(
    ctx: CheckContext, key: str, tag: dict[str, str] | None = None
) -> tuple[dict[str, Any] | None, str]:
    """(KeyMetadata, how it was found): by KEY ("by its alias"), else, when TAG is given, the
    newest customer managed key with that tag ("by its tag"); (None, "") when neither finds one."""
    metadata = describe_key(ctx, key)
    if metadata is not None:
        return metadata, "by its alias"
    wanted = _one_tag(tag)
    if wanted:
        tagged = customer_keys_tagged(ctx, *wanted)
        if tagged:
            newest = max(tagged, key=lambda m: (m.get("CreationDate") or 0, m["KeyId"]))
            return newest, "by its tag"
    return None, ""


def _key_or_problem(
    ctx: CheckContext, key: str, tag: dict[str, str] | None
) -> tuple[dict[str, Any] | None, Outcome | None]:
    metadata, _ = find_lab_key(ctx, key, tag)
    if metadata is not None:
        return metadata, None
    where = f"no key {key}"
    if tag:
        where += " and no customer managed key tagged " + ", ".join(
            f"{k}={v}" for k, v in tag.items()
        )
    return None, failed(f"cannot check: {where}")


def _spec(metadata: dict[str, Any]) -> str:
    return metadata.get("KeySpec") or metadata.get("CustomerMasterKeySpec") or "?"


def _name(ctx: CheckContext, metadata: dict[str, Any]) -> str:
    aliases = aliases_of(ctx, metadata["KeyId"])
    return f"key {metadata['KeyId']}" + (f" ({', '.join(aliases)})" if aliases else "")


@check("kms.key_exists", services=("kms",))
def key_exists(ctx: CheckContext, key: str, tag: dict[str, str] | None = None) -> Outcome:
    """KEY (an alias) names a key. Without it, say whether a key with TAG exists (alias missing)
    and which customer managed aliases there are."""
    metadata = describe_key(ctx, key)
    if metadata is not None:
        return passed(f"{key} names key {metadata['KeyId']}")
    alias_hint = ""
    if key.startswith("alias/"):
        alias_hint = f" kms.create_alias(AliasName={key!r}, TargetKeyId=key_id)"
    found, how = find_lab_key(ctx, key, tag)
    if found is not None and how == "by its tag":
        others = aliases_of(ctx, found["KeyId"])
        has = f"its aliases are {', '.join(others)}" if others else "it has no alias"
        tag_text = ", ".join(f"{k}={v}" for k, v in (tag or {}).items())
        return failed(
            f"found key {found['KeyId']} by its tag {tag_text}, but {has}; expected the alias "
            f"{key}. Give it the alias:{alias_hint}"
        )
    custom = sorted(
        a["AliasName"]
        for a in ctx.memo("kms.aliases", lambda: _aliases(ctx))
        if not a["AliasName"].startswith("alias/aws/") and a.get("TargetKeyId")
    )
    there = what_is_there("aliases", custom)
    tag_text = (
        " and no customer managed key is tagged " + ", ".join(f"{k}={v}" for k, v in tag.items())
        if tag
        else ""
    )
    return failed(
        f"no key has the alias {key}{tag_text}; {there}. Create the key with kms.create_key(...), "
        f"then{alias_hint or ' give it that name'} (alias names are case-sensitive)"
    )


_STATE_FIX = {
    "Disabled": "turn it back on with kms.enable_key(KeyId=...)",
    "PendingDeletion": (
        "it is scheduled for deletion: kms.cancel_key_deletion(KeyId=...) then kms.enable_key(...)"
    ),
    "PendingImport": "it waits for key material; create a key with the default Origin AWS_KMS",
}


@check("kms.key_enabled", services=("kms",))
def key_enabled(ctx: CheckContext, key: str, tag: dict[str, str] | None = None) -> Outcome:
    """The lab key's KeyState is Enabled (a disabled key or one pending deletion fails)."""
    metadata, problem = _key_or_problem(ctx, key, tag)
    if problem:
        return problem
    state = metadata.get("KeyState", "?")
    if state == "Enabled":
        return passed(f"{_name(ctx, metadata)} is enabled")
    fix = _STATE_FIX.get(state, "make a new key")
    return failed(
        f"{_name(ctx, metadata)} is {state}, expected Enabled: no one can encrypt or decrypt "
        f"with it; {fix}"
    )


@check("kms.key_symmetric", services=("kms",))
def key_symmetric(ctx: CheckContext, key: str, tag: dict[str, str] | None = None) -> Outcome:
    """The lab key is a symmetric encryption key: KeySpec SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT."""
    metadata, problem = _key_or_problem(ctx, key, tag)
    if problem:
        return problem
    spec = _spec(metadata)
    # ENCRYPT_DECRYPT is KMS's default; the simulator leaves KeyUsage out when it was not given.
    usage = metadata.get("KeyUsage") or "ENCRYPT_DECRYPT"
    if spec == "SYMMETRIC_DEFAULT" and usage == "ENCRYPT_DECRYPT":
        return passed(f"{_name(ctx, metadata)} is a symmetric ENCRYPT_DECRYPT key")
    return failed(
        f"{_name(ctx, metadata)} is a {spec} key for {usage}, expected SYMMETRIC_DEFAULT for "
        "ENCRYPT_DECRYPT: SageMaker, S3, Secrets Manager and CloudTrail encrypt only with "
        'symmetric keys. Create it with KeyUsage="ENCRYPT_DECRYPT" and the default KeySpec'
    )


@check("kms.key_description", services=("kms",))
def key_description(
    ctx: CheckContext, key: str, description: str, tag: dict[str, str] | None = None
) -> Outcome:
    """The lab key's Description is exactly DESCRIPTION."""
    metadata, problem = _key_or_problem(ctx, key, tag)
    if problem:
        return problem
    actual = metadata.get("Description", "")
    if actual == description:
        return passed(f'{_name(ctx, metadata)} is described "{description}"')
    shown = f'"{actual}"' if actual else "no description"
    return failed(
        f'{_name(ctx, metadata)} has {shown}, expected "{description}". Set it with '
        f'kms.update_key_description(KeyId=..., Description="{description}")'
    )


@check("kms.key_tagged", services=("kms",))
def key_tagged(
    ctx: CheckContext,
    key: str,
    tag_key: str,
    tag_value: str,
    tag: dict[str, str] | None = None,
) -> Outcome:
    """The lab key carries the tag TAG_KEY=TAG_VALUE (keys and values are case-sensitive)."""
    metadata, problem = _key_or_problem(ctx, key, tag)
    if problem:
        return problem
    tags = key_tags(ctx, metadata["KeyId"])
    if tags.get(tag_key) == tag_value:
        return passed(f"{_name(ctx, metadata)} is tagged {tag_key}={tag_value}")
    actual = ", ".join(f"{k}={v}" for k, v in sorted(tags.items())) or "no tags"
    return failed(
        f"{_name(ctx, metadata)} has {actual}, expected the tag {tag_key}={tag_value}. Add it with "
        f'kms.tag_resource(KeyId=..., Tags=[{{"TagKey": "{tag_key}", "TagValue": "{tag_value}"}}])'
    )


@check("kms.key_rotation", services=("kms", "s3"))
def key_rotation(
    ctx: CheckContext,
    key: str | None = None,
    tag: dict[str, str] | None = None,
    key_of_bucket: str | None = None,
) -> Outcome:
    """Automatic rotation of the lab key's material is on. The key is KEY, or with
    KEY_OF_BUCKET the customer managed key that encrypts that bucket by default."""
    ref, problem = resolve_lab_key(ctx, key, key_of_bucket)
    if ref is None:
        return problem
    metadata, problem = _key_or_problem(ctx, ref, tag)
    if problem:
        return problem
    spec = _spec(metadata)
    if spec != "SYMMETRIC_DEFAULT":
        # Real KMS refuses rotation for these (UnsupportedOperationException); the simulator
        # accepts it, so judge by the key spec.
        return failed(
            f"{_name(ctx, metadata)} is a {spec} key, and KMS rotates only symmetric encryption "
            "keys automatically: make a symmetric key (the default KeySpec) and rotate that"
        )
    kms = ctx.client("kms")
    try:
        status = kms.get_key_rotation_status(KeyId=metadata["KeyId"])
    except kms.exceptions.ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "error")
        return failed(
            f"the rotation of {_name(ctx, metadata)} cannot be read ({code}); only symmetric "
            "keys with KMS-made material rotate automatically"
        )
    if status.get("KeyRotationEnabled"):
        period = status.get("RotationPeriodInDays")
        every = f" every {period} days" if period else ""
        return passed(f"{_name(ctx, metadata)} rotates its key material{every}")
    return failed(
        f"automatic rotation of {_name(ctx, metadata)} is off, expected on: turn it on with "
        "kms.enable_key_rotation(KeyId=...) so KMS makes new key material every year (old "
        "ciphertexts still decrypt)"
    )


@check("kms.round_trip", services=("kms",))
def round_trip(ctx: CheckContext, key: str) -> Outcome:
    """Encrypting a probe through KEY and decrypting it gives the probe back.

    The one check that calls a non-read API: Encrypt and Decrypt use the key but change no state.
    The simulator encrypts even with a disabled key, so the key's state is judged first, as real
    KMS would (DisabledException, KMSInvalidStateException).
    """
    metadata = describe_key(ctx, key)
    if metadata is None:
        return failed(f"cannot check: no key {key} to encrypt through")
    state = metadata.get("KeyState")
    if state != "Enabled":
        return failed(
            f"encrypting through {key} fails: {_name(ctx, metadata)} is {state}; "
            f"{_STATE_FIX.get(state, 'make a new key')}"
        )
    spec = _spec(metadata)
    if spec != "SYMMETRIC_DEFAULT":
        # The simulator "encrypts" with any key; real KMS needs an RSA algorithm for these and
        # no service would use such a key for data at rest.
        return failed(
            f"encrypting through {key} the way services do fails: {_name(ctx, metadata)} is a "
            f"{spec} key, not a symmetric one"
        )
    kms = ctx.client("kms")
    probe = b"trainer round-trip probe"
    try:
        ciphertext = kms.encrypt(KeyId=key, Plaintext=probe)["CiphertextBlob"]
        plaintext = kms.decrypt(CiphertextBlob=ciphertext, KeyId=key)["Plaintext"]
    except kms.exceptions.ClientError as exc:
        error = exc.response.get("Error", {})
        return failed(
            f"encrypting and decrypting through {key} fails: {error.get('Code', 'error')}: "
            f"{error.get('Message', '')}".rstrip(": ")
        )
    if plaintext != probe:
        return failed(f"decrypting through {key} did not give back what was encrypted")
    return passed(f"encrypt then decrypt through {key} gives the plaintext back")
