"""Secrets Manager checks: a secret exists, holds the expected JSON, is encrypted with the right
KMS key, and its password never shows up in what the learner's code printed.

Every message here names fields, keys and where a value appeared, and never the secret value
itself: a check report is output too, and the lesson of the lab is that secrets stay out of it.
"""

from __future__ import annotations

import json
from typing import Any

from trainer.checks.kms import describe_key, key_label, resolve_lab_key, same_key
from trainer.checks.registry import CheckContext, Outcome, check, failed, passed, what_is_there

# moto and AWS both leave KmsKeyId out of DescribeSecret when the AWS managed key protects the
# secret; a learner may also name that key explicitly.
DEFAULT_KEY_ALIAS = "alias/aws/secretsmanager"


def get_secret(ctx: CheckContext, name: str) -> dict[str, Any] | None:
    """DescribeSecret for NAME (a name or ARN), or None when Secrets Manager has no such secret.

    A secret scheduled for deletion is still returned; it carries ``DeletedDate``."""

    def fetch() -> dict[str, Any] | None:
        client = ctx.client("secretsmanager")
        try:
            return client.describe_secret(SecretId=name)
        except client.exceptions.ResourceNotFoundException:
            return None

    return ctx.memo(("secretsmanager.describe", name), fetch)


def secret_names(ctx: CheckContext) -> list[str]:
    """The names of every secret not scheduled for deletion, sorted."""

    def fetch() -> list[str]:
        pages = ctx.client("secretsmanager").get_paginator("list_secrets").paginate()
        return sorted(s["Name"] for page in pages for s in page["SecretList"])

    return ctx.memo("secretsmanager.names", fetch)


def missing_secret(ctx: CheckContext, name: str) -> Outcome:
    """The failure a secret check gives when NAME does not exist: name the secrets that do."""
    there = what_is_there("secrets", secret_names(ctx))
    return failed(
        f"no secret named {name}; {there}. Create it with "
        f"secretsmanager.create_secret(Name={name!r}, SecretString=json.dumps({{...}})) "
        "(names are case-sensitive; the slash is part of the name)"
    )


def _usable_secret(ctx: CheckContext, name: str) -> tuple[dict[str, Any] | None, Outcome | None]:
    """The secret's description, or the short "cannot check" failure a dependent check gives."""
    description = get_secret(ctx, name)
    if description is None:
        return None, failed(f"cannot check: there is no secret named {name} yet")
    if description.get("DeletedDate"):
        return None, failed(f"cannot check: secret {name} is scheduled for deletion")
    return description, None


_NOT_TEXT = object()  # the secret holds SecretBinary, not SecretString


def secret_string(ctx: CheckContext, name: str) -> Any:
    """The secret's current SecretString; ``_NOT_TEXT`` for a binary secret; None if unreadable.

    Callers must never put the returned value into a message."""

    def fetch() -> Any:
        client = ctx.client("secretsmanager")
        try:
            response = client.get_secret_value(SecretId=name)
        except (
            client.exceptions.ResourceNotFoundException,
            client.exceptions.InvalidRequestException,
        ):
            return None
        if "SecretString" in response:
            return response["SecretString"]
        return _NOT_TEXT

    return ctx.memo(("secretsmanager.value", name), fetch)


def _json_type(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "true/false", type(None): "null"}
    return names.get(type(value), "number")


def _field_problems(document: dict[str, Any], fields: list[str]) -> list[str]:
    problems = []
    for name in fields:
        if name not in document:
            problems.append(f"{name!r} is missing")
        elif not isinstance(document[name], str):
            problems.append(f"{name!r} is a JSON {_json_type(document[name])}, not text")
        elif not document[name].strip():
            problems.append(f"{name!r} is empty")
    return problems


@check("secrets.secret_exists", services=("secretsmanager",))
def secret_exists(ctx: CheckContext, secret: str) -> Outcome:
    """The secret exists and is not scheduled for deletion."""
    description = get_secret(ctx, secret)
    if description is None:
        return missing_secret(ctx, secret)
    if description.get("DeletedDate"):
        return failed(
            f"secret {secret} is scheduled for deletion (on {description['DeletedDate']:%Y-%m-%d})"
            f" and cannot be read; restore it with "
            f"secretsmanager.restore_secret(SecretId={secret!r})"
        )
    return passed(f"secret {secret} exists ({description['ARN']})")


@check("secrets.json_fields", services=("secretsmanager",))
def json_fields(ctx: CheckContext, secret: str, fields: list[str]) -> Outcome:
    """The secret's SecretString is a JSON object whose FIELDS are all non-empty text."""
    _, problem = _usable_secret(ctx, secret)
    if problem:
        return problem
    expected = ", ".join(fields)
    value = secret_string(ctx, secret)
    if value is None:
        return failed(f"cannot check: secret {secret} has no current value to read")
    if value is _NOT_TEXT:
        return failed(
            f"secret {secret} holds SecretBinary; store the credentials as text: "
            f"SecretString=json.dumps({{...}}) with the keys {expected}"
        )
    try:
        document = json.loads(value)
    except ValueError as exc:
        # A JSONDecodeError message gives only a position, never the text it failed on.
        return failed(
            f"the value of secret {secret} is not JSON ({exc}); pass "
            f"SecretString=json.dumps({{...}}) so that readers can json.loads it"
        )
    if not isinstance(document, dict):
        return failed(
            f"the value of secret {secret} is a JSON {_json_type(document)}; expected an object "
            f"with the keys {expected}, e.g. json.dumps({{{', '.join(map(repr, fields))}: ...}})"
        )
    problems = _field_problems(document, fields)
    if problems:
        keys = ", ".join(map(repr, sorted(document))) or "none"
        return failed(
            f"the JSON in secret {secret} does not hold the credentials: {'; '.join(problems)} "
            f"(keys present: {keys}; values not shown). Expected non-empty text for {expected}"
        )
    return passed(f"secret {secret} holds a JSON object with non-empty {expected}")


def _json_document(ctx: CheckContext, secret: str) -> dict[str, Any] | None:
    """The secret's SecretString parsed as a JSON object, or None when it is anything else."""
    value = secret_string(ctx, secret)
    try:
        document = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


@check("secrets.field_matches", services=("secretsmanager",))
def field_matches(
    ctx: CheckContext, secret: str, field: str, value: str, source: str = "where it came from"
) -> Outcome:
    """The secret's JSON FIELD is exactly VALUE, the credential moved in from SOURCE (e.g. a
    parameter). Neither value ever appears in the message."""
    _, problem = _usable_secret(ctx, secret)
    if problem:
        return problem
    document = _json_document(ctx, secret)
    if document is None or not isinstance(document.get(field), str):
        return failed(f"cannot check: secret {secret} holds no JSON object with a text {field!r}")
    if document[field] == value:
        return passed(f"the {field} in secret {secret} is the one from {source}")
    stripped = " (it differs only in leading or trailing whitespace)"
    near = stripped if document[field].strip() == value.strip() else ""
    return failed(
        f"the {field} in secret {secret} is not the one from {source}{near} (values not shown): "
        "readers of the secret would present a credential the database does not accept. Copy "
        "the value itself, as read, rather than an example or a placeholder"
    )


@check("secrets.encrypted_with_key", services=("secretsmanager", "kms", "s3"))
def encrypted_with_key(
    ctx: CheckContext, secret: str, key: str | None = None, key_of_bucket: str | None = None
) -> Outcome:
    """Secrets Manager encrypts the secret with KEY (a customer managed key, named any way), or
    with KEY_OF_BUCKET, the customer managed key that encrypts that bucket by default."""
    description, problem = _usable_secret(ctx, secret)
    if problem:
        return problem
    assert description is not None
    actual = description.get("KmsKeyId")
    if not actual or actual in (DEFAULT_KEY_ALIAS, "aws/secretsmanager"):
        wanted = repr(key) if key else f"<the key that encrypts {key_of_bucket}>"
        return failed(
            f"secret {secret} is encrypted with the default {DEFAULT_KEY_ALIAS} key (AWS managed); "
            f"pass KmsKeyId={wanted} to create_secret (or update_secret) so that your customer "
            "managed key protects it and its key policy decides who can decrypt it"
        )
    key, problem = resolve_lab_key(ctx, key, key_of_bucket)
    if key is None:
        return problem
    if describe_key(ctx, key) is None:
        return failed(f"cannot check: the lab key {key} does not exist (was it deleted?)")
    if not same_key(ctx, actual, key):
        return failed(
            f"secret {secret} is encrypted with {key_label(ctx, actual)}, expected the lab key "
            f"{key_label(ctx, key)}; update it with "
            f"update_secret(SecretId={secret!r}, KmsKeyId={key!r})"
        )
    state = describe_key(ctx, key).get("KeyState", "Enabled")
    if state != "Enabled":
        return failed(
            f"secret {secret} is encrypted with {key_label(ctx, key)}, but that key is {state}: "
            "Secrets Manager cannot decrypt the secret until the key is enabled again "
            "(kms.enable_key, or kms.cancel_key_deletion then kms.enable_key)"
        )
    return passed(f"secret {secret} is encrypted with {key_label(ctx, key)}")


def _spellings(value: str) -> set[str]:
    """The ways VALUE shows up when printed: as is, inside JSON, inside a Python repr."""
    return {value, json.dumps(value)[1:-1], repr(value)[1:-1]}


def _where(text: str, forms: set[str]) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), 1) if any(f in line for f in forms)]


@check("secrets.value_not_in_output", services=("secretsmanager",))
def value_not_in_output(ctx: CheckContext, secret: str, field: str = "password") -> Outcome:
    """The secret's FIELD appears nowhere in the learner's stdout or stderr, in any common
    printed form (plain, JSON-escaped, repr-escaped)."""
    if ctx.run is None:
        return failed("cannot check: there is no run of your code to look at")
    _, problem = _usable_secret(ctx, secret)
    if problem:
        return problem
    document = _json_document(ctx, secret)
    sought = document.get(field) if document is not None else None
    if not isinstance(sought, str) or not sought.strip():
        return failed(f"cannot check: secret {secret} has no non-empty {field!r} to look for")
    forms = _spellings(sought)
    leaks = []
    for stream, text in (("stdout", ctx.run.stdout), ("stderr", ctx.run.stderr)):
        lines = _where(text, forms)
        if lines:
            shown = ", ".join(map(str, lines[:5])) + (" ..." if len(lines) > 5 else "")
            leaks.append(f"{stream} (line {shown})")
    if leaks:
        return failed(
            f"the {field} stored in secret {secret} appears in your code's output: "
            f"{'; '.join(leaks)}. Never print or log a secret (output ends up in terminals, "
            "CI logs and CloudWatch); print that it was read, or the username, instead"
        )
    return passed(f"the {field} of secret {secret} appears nowhere in your code's stdout or stderr")
