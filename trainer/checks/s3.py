"""S3 checks: a bucket's default encryption, its Block Public Access settings, and what its
bucket policy denies, judged by the policy engine.

What the simulator stores (verified by experiment with moto 5.2.5), and how the checks cope:

* A new bucket has no default encryption configuration (GetBucketEncryption raises
  ServerSideEncryptionConfigurationNotFoundError); AWS reports SSE-S3 (AES256) for every bucket
  since January 2023. Both read as SSE-S3 here, since that is what S3 applies.
* ``BucketKeyEnabled`` comes back as given, and False when it was left out (AWS's default).
* ``KMSMasterKeyID`` comes back exactly as written (key id, key ARN, alias or alias ARN), so
  keys are compared through ``trainer.checks.kms`` and never as text.
* A public access block reports all four settings, False for any left out; a bucket without one
  raises NoSuchPublicAccessBlockConfiguration.
* PutBucketPolicy stores any text, even invalid JSON or a statement without Principal, which S3
  rejects (MalformedPolicy); the policy is therefore parsed and checked for that here.
* The simulator applies bucket policies to object requests but ignores their conditions: a Deny
  conditioned on ``aws:SecureTransport`` false refuses every PutObject there. So no check reads
  or writes objects; the policy checks ask ``trainer.policy`` what the policy decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trainer.checks.kms import describe_key, is_aws_managed, key_label, same_key
from trainer.checks.registry import CheckContext, Outcome, check, failed, passed, what_is_there

# The four Block Public Access settings, each with what stays possible while it is off
# (from the PublicAccessBlockConfiguration reference of the S3 API).
PUBLIC_ACCESS_SETTINGS: dict[str, str] = {
    "BlockPublicAcls": "new public ACLs can still be put on the bucket and its objects",
    "IgnorePublicAcls": "public ACLs already on the bucket or its objects still grant access",
    "BlockPublicPolicy": "a bucket policy that grants public access can still be put",
    "RestrictPublicBuckets": (
        "a public bucket policy would still let anyone in, not only AWS services and your "
        "account's principals"
    ),
}

_PUT_ENCRYPTION = (
    's3.put_bucket_encryption(Bucket="{bucket}", ServerSideEncryptionConfiguration={{'
    '"Rules": [{{"ApplyServerSideEncryptionByDefault": {{"SSEAlgorithm": "aws:kms", '
    '"KMSMasterKeyID": "{key}"}}, "BucketKeyEnabled": True}}]}})'
)


def _error_code(exc: Exception) -> str:
    return str(getattr(exc, "response", {}).get("Error", {}).get("Code", ""))


# -- lookups -----------------------------------------------------------------------------------


def bucket_names(ctx: CheckContext) -> list[str]:
    """The names of every bucket in the sandbox, sorted."""

    def fetch() -> list[str]:
        return sorted(b["Name"] for b in ctx.client("s3").list_buckets().get("Buckets", []))

    return ctx.memo("s3.buckets", fetch)


def missing_bucket(ctx: CheckContext, bucket: str) -> Outcome:
    """The failure every bucket check gives when BUCKET is absent: name the buckets there are."""
    there = what_is_there("buckets", bucket_names(ctx))
    return failed(
        f"no bucket named {bucket}; {there}. The lab's setup made {bucket}: use that name "
        "(bucket names are lower-case and exact), or reset the lab if you deleted it"
    )


def encryption_rule(ctx: CheckContext, bucket: str) -> dict[str, Any] | None:
    """The bucket's default encryption rule, or None when it has no configuration (then S3
    applies SSE-S3). Raises ClientError for anything else, e.g. NoSuchBucket."""

    def fetch() -> dict[str, Any] | None:
        s3 = ctx.client("s3")
        try:
            config = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]
        except s3.exceptions.ClientError as exc:
            if _error_code(exc) == "ServerSideEncryptionConfigurationNotFoundError":
                return None
            raise
        rules = config.get("Rules") or []
        return rules[0] if rules else None

    return ctx.memo(("s3.encryption", bucket), fetch)


def public_access_block(ctx: CheckContext, bucket: str) -> dict[str, bool] | None:
    """The bucket's four Block Public Access settings, or None when it has no configuration."""

    def fetch() -> dict[str, bool] | None:
        s3 = ctx.client("s3")
        try:
            response = s3.get_public_access_block(Bucket=bucket)
        except s3.exceptions.ClientError as exc:
            if _error_code(exc) == "NoSuchPublicAccessBlockConfiguration":
                return None
            raise
        return response["PublicAccessBlockConfiguration"]

    return ctx.memo(("s3.public_access_block", bucket), fetch)


def bucket_policy(ctx: CheckContext, bucket: str) -> Any:
    """The bucket policy as a trainer.policy.Policy, or None when the bucket has none.
    Raises PolicyError for a document S3 would refuse (MalformedPolicy)."""
    from trainer.policy import PolicyError, parse_policy

    def fetch() -> Any:
        s3 = ctx.client("s3")
        try:
            text = s3.get_bucket_policy(Bucket=bucket)["Policy"]
        except s3.exceptions.ClientError as exc:
            if _error_code(exc) == "NoSuchBucketPolicy":
                return None
            raise
        policy = parse_policy(text, source=f"the bucket policy of {bucket}")
        # S3 requires both elements in every statement of a bucket policy; the simulator does
        # not, and the engine would read a missing Resource as "every resource".
        for statement in policy.statements:
            if statement.principals is None and statement.not_principals is None:
                raise PolicyError(
                    'every statement of a bucket policy needs "Principal"; use "Principal": "*" '
                    "for everyone",
                    source=policy.source,
                    path=statement.path,
                )
            if statement.resources is None and statement.not_resources is None:
                raise PolicyError(
                    'every statement of a bucket policy needs "Resource"; name '
                    f"arn:aws:s3:::{bucket} and/or arn:aws:s3:::{bucket}/*",
                    source=policy.source,
                    path=statement.path,
                )
        return policy

    return ctx.memo(("s3.policy", bucket), fetch)


# -- default encryption ------------------------------------------------------------------------


def _algorithm_and_key(rule: dict[str, Any] | None) -> tuple[str, str | None]:
    if rule is None:
        return "AES256", None
    by_default = rule.get("ApplyServerSideEncryptionByDefault") or {}
    return by_default.get("SSEAlgorithm", "AES256"), by_default.get("KMSMasterKeyID") or None


def bucket_kms_key(ctx: CheckContext, bucket: str) -> str | None:
    """The KMSMasterKeyID of BUCKET's default SSE-KMS encryption when it names an existing
    customer managed key (as written: id, ARN, alias or alias ARN); None when the bucket does not
    exist, uses SSE-S3 or DSSE-KMS, or uses the AWS managed key aws/s3."""
    if bucket not in bucket_names(ctx):
        return None
    algorithm, ref = _algorithm_and_key(encryption_rule(ctx, bucket))
    if algorithm != "aws:kms" or ref is None or is_aws_managed(ctx, ref):
        return None
    return ref if describe_key(ctx, ref) is not None else None


@check("s3.default_encryption_kms", services=("s3", "kms"))
def default_encryption_kms(ctx: CheckContext, bucket: str, key: str | None = None) -> Outcome:
    """BUCKET encrypts new objects by default with SSE-KMS (``aws:kms``) under the customer
    managed key KEY, however the configuration names it (key id, key ARN, alias, alias ARN).

    Without KEY, any enabled customer managed key passes (a lab that lets the learner make and
    name the key; checks that need "that key" again use ``bucket_kms_key``)."""
    if bucket not in bucket_names(ctx):
        return missing_bucket(ctx, bucket)
    rule = encryption_rule(ctx, bucket)
    algorithm, ref = _algorithm_and_key(rule)
    wanted = key or "a customer managed key of yours"
    fix = _PUT_ENCRYPTION.format(bucket=bucket, key=key or "<your key's ARN>")
    if algorithm == "AES256":
        where = "S3's default: no configuration" if rule is None else "SSEAlgorithm AES256"
        return failed(
            f"bucket {bucket} encrypts new objects with SSE-S3 ({where}), expected SSE-KMS with "
            f"{wanted}: with SSE-S3, S3 owns the keys, so no key policy of yours decides who may "
            f"decrypt and CloudTrail records no use of a key. Set it with {fix}"
        )
    if algorithm == "aws:kms:dsse":
        return failed(
            f"bucket {bucket} uses DSSE-KMS (aws:kms:dsse, two layers of encryption), expected "
            'SSE-KMS ("SSEAlgorithm": "aws:kms"): DSSE-KMS is for rules that demand two layers, '
            f"costs more and cannot use an S3 Bucket Key. Set it with {fix}"
        )
    if algorithm != "aws:kms":
        return failed(
            f"bucket {bucket} uses SSEAlgorithm {algorithm}, expected aws:kms with {wanted}. "
            f"Set it with {fix}"
        )
    if key is not None and describe_key(ctx, key) is None:
        return failed(
            f"cannot check: no key {key}; the lab's setup made it, so reset the lab to get it back"
        )
    if ref is None or is_aws_managed(ctx, ref):
        given = "names no KMSMasterKeyID, so S3 uses" if ref is None else f"names {ref},"
        expected = f"the customer managed key {key}" if key else wanted
        add = f'"KMSMasterKeyID": "{key}" (or the key\'s ARN)' if key else "KMSMasterKeyID"
        return failed(
            f"bucket {bucket} uses SSE-KMS but {given} the AWS managed key aws/s3, expected "
            f"{expected}: you cannot edit the key policy of aws/s3, so you cannot "
            "decide who may use it, and other accounts can never be given access to it. Add "
            f"{add}: {fix}"
        )
    if describe_key(ctx, ref) is None:
        expected = f"{key} ({key_label(ctx, key)})" if key else wanted
        return failed(
            f"bucket {bucket} uses SSE-KMS with KMSMasterKeyID {ref}, which names no key: S3 "
            f"would fail every upload. Expected {expected}: {fix}"
        )
    if key is None:
        state = describe_key(ctx, ref).get("KeyState", "Enabled")
        if state != "Enabled":
            return failed(
                f"bucket {bucket} uses SSE-KMS with {key_label(ctx, ref)}, but that key is "
                f"{state}: S3 can neither encrypt new uploads nor decrypt what it holds. Enable "
                "the key (kms.enable_key, after kms.cancel_key_deletion if it is pending "
                "deletion)"
            )
        return passed(
            f"bucket {bucket} encrypts new objects with SSE-KMS under {key_label(ctx, ref)}, "
            f"configured as {ref}"
        )
    if not same_key(ctx, ref, key):
        label = key_label(ctx, ref)
        named = label if label.startswith(ref) else f"{ref}, that is {label}"
        return failed(
            f"bucket {bucket} uses SSE-KMS with {named}; expected "
            f"{key_label(ctx, key)}. Point KMSMasterKeyID at {key}: {fix}"
        )
    return passed(
        f"bucket {bucket} encrypts new objects with SSE-KMS under {key_label(ctx, key)}, "
        f"configured as {ref}"
    )


@check("s3.bucket_key_enabled", services=("s3",))
def bucket_key_enabled(ctx: CheckContext, bucket: str) -> Outcome:
    """BUCKET's default SSE-KMS encryption uses an S3 Bucket Key (``BucketKeyEnabled``)."""
    if bucket not in bucket_names(ctx):
        return missing_bucket(ctx, bucket)
    rule = encryption_rule(ctx, bucket)
    algorithm, _ = _algorithm_and_key(rule)
    if algorithm == "aws:kms:dsse":
        return failed(
            f"bucket {bucket} uses DSSE-KMS, which cannot use an S3 Bucket Key; switch to SSE-KMS "
            '("SSEAlgorithm": "aws:kms") with "BucketKeyEnabled": True'
        )
    if algorithm != "aws:kms":
        return failed(
            f"bucket {bucket} uses {algorithm} (SSE-S3), and an S3 Bucket Key applies only to "
            'SSE-KMS: set "SSEAlgorithm": "aws:kms" with your key and "BucketKeyEnabled": True '
            "in the same rule"
        )
    if rule is not None and rule.get("BucketKeyEnabled") is True:
        return passed(f"bucket {bucket} uses an S3 Bucket Key for SSE-KMS")
    return failed(
        f"bucket {bucket} has BucketKeyEnabled False (S3's default), expected True: without a "
        "bucket key, S3 calls KMS for every object it encrypts or decrypts, and each call is "
        "billed and counts against the account's KMS request quota; with one, S3 derives data "
        "keys from a short-lived bucket-level key and KMS traffic drops by up to 99%. Add "
        '"BucketKeyEnabled": True to the rule in put_bucket_encryption'
    )


# -- Block Public Access -----------------------------------------------------------------------


@check("s3.public_access_blocked", services=("s3",))
def public_access_blocked(ctx: CheckContext, bucket: str) -> Outcome:
    """All four Block Public Access settings of BUCKET are on."""
    if bucket not in bucket_names(ctx):
        return missing_bucket(ctx, bucket)
    settings = public_access_block(ctx, bucket)
    all_on = ", ".join(f'"{name}": True' for name in PUBLIC_ACCESS_SETTINGS)
    fix = (
        f's3.put_public_access_block(Bucket="{bucket}", '
        f"PublicAccessBlockConfiguration={{{all_on}}})"
    )
    if settings is None:
        return failed(
            f"bucket {bucket} has no Block Public Access configuration, expected all four "
            f"settings on: nothing stops a public ACL or a public bucket policy. Set it with {fix}"
        )
    off = [name for name in PUBLIC_ACCESS_SETTINGS if not settings.get(name)]
    if not off:
        return passed(f"bucket {bucket} blocks public access with all four settings on")
    actual = ", ".join(f"{name}={bool(settings.get(name))}" for name in PUBLIC_ACCESS_SETTINGS)
    risks = "; ".join(f"{name} off: {PUBLIC_ACCESS_SETTINGS[name]}" for name in off)
    return failed(
        f"bucket {bucket} has {actual}, expected all four True. {risks}. The four settings are "
        f"independent, so set them together: {fix}"
    )


# -- the bucket policy, judged by the policy engine --------------------------------------------
# A lab lists requests ({action, resource, principal?, context?}) and whether the bucket policy
# must deny them explicitly or must not deny them. The policy is judged alone, as the resource
# policy of the request: "not denied" is all it can promise, since allowing is the identity
# policies' job. A context value of null means the request lacks that key (an upload without an
# encryption header); ${account}, ${region} and ${key_arn} (the ARN of the check's KEY) stand
# for the sandbox's values.


def _who(principal: str | None, home: str) -> str:
    """A principal as a learner reads it: role X (of account N when not HOME, the sandbox's
    account), account N, or the service name."""
    if not principal:
        return "an anonymous caller"
    parts = principal.split(":", 5)
    if len(parts) != 6 or parts[2] not in ("iam", "sts"):
        return principal
    account, resource = parts[4], parts[5]
    if resource == "root":
        return f"account {account}"
    kind, _, path = resource.partition("/")
    label = f"{kind} {path.rsplit('/', 1)[-1]}" if path else resource
    return label if account == home else f"{label} of account {account}"


def _describe_context(context: Mapping[str, Any]) -> str:
    transport = ""
    headers = []
    for name, value in context.items():
        lowered = name.lower()
        if lowered == "aws:securetransport":
            secure = str(value).lower() == "true"
            transport = "over TLS" if secure else "over plain HTTP (aws:SecureTransport false)"
        elif lowered.startswith("s3:x-amz-"):
            # S3's header condition keys are the header names behind the s3: prefix.
            header = name[3:]
            headers.append(
                f"without an {header} header" if value is None else f"with {header}: {value}"
            )
        else:
            headers.append(f"without {name}" if value is None else f"with {name}={value}")
    return " ".join(filter(None, [transport, " and ".join(headers)]))


def _describe(ctx: CheckContext, request: Any) -> str:
    text = f"{request.action} on {request.resource} by {_who(request.principal, ctx.account_id)}"
    context = _describe_context(request.context)
    return f"{text} {context}" if context else text


def _resolve(value: Any, ctx: CheckContext, key_arn: str | None) -> Any:
    if not isinstance(value, str):
        return value
    value = value.replace("${account}", ctx.account_id).replace("${region}", ctx.region)
    if "${key_arn}" in value:
        if key_arn is None:
            raise ValueError("${key_arn} needs the check's key argument")
        value = value.replace("${key_arn}", key_arn)
    return value


def _requests(
    ctx: CheckContext, requests: list[dict[str, Any]], principal: str | None, key: str | None
) -> tuple[list[Any], Outcome | None]:
    """The lab's requests as engine Requests, or a failure when the lab key is gone."""
    from trainer.policy import Request

    key_arn = None
    if key is not None:
        metadata = describe_key(ctx, key)
        if metadata is None:
            return [], failed(
                f"cannot check: no key {key}; the lab's setup made it, so reset the lab to get "
                "it back"
            )
        key_arn = metadata["Arn"]
    built = []
    for raw in requests:
        context = {
            name: _resolve(value, ctx, key_arn)
            for name, value in (raw.get("context") or {}).items()
        }
        built.append(
            Request(
                raw["action"],
                _resolve(raw.get("resource", "*"), ctx, key_arn),
                _resolve(raw.get("principal", principal), ctx, key_arn),
                context,
            )
        )
    return built, None


def _policy_or_problem(ctx: CheckContext, bucket: str, expected: str) -> tuple[Any, Outcome | None]:
    from trainer.policy import PolicyError

    if bucket not in bucket_names(ctx):
        return None, missing_bucket(ctx, bucket)
    try:
        policy = bucket_policy(ctx, bucket)
    except PolicyError as exc:
        where = exc.path or (f"line {exc.line}, column {exc.column}" if exc.line else "")
        return None, failed(
            f"S3 would refuse the bucket policy of {bucket} (MalformedPolicy): "
            + (f"{where}: {exc.detail}" if where else exc.detail)
        )
    if policy is None:
        return None, failed(
            f"bucket {bucket} has no bucket policy, expected one that {expected}. Put it with "
            f's3.put_bucket_policy(Bucket="{bucket}", Policy=json.dumps(policy))'
        )
    return policy, None


def _why_not_denied(ctx: CheckContext, policy: Any, request: Any) -> str:
    """The nearest misses among the policy's Deny statements (those that fail on the fewest
    elements: conditions, then principal, then resource), or that none covers the action.
    All nearest misses are named: with two Denies, either may be the one the learner meant."""
    action = request.action.lower()
    near: dict[int, list[str]] = {}
    for st in policy.statements_for_action(action):
        if st.is_allow:
            continue
        if not st.matches_resource(request.resource, request.values):
            shown = ", ".join(st.resources or ()) or "NotResource " + ", ".join(
                st.not_resources or ()
            )
            rank, text = (
                1,
                f"{st.label()} covers {request.action} but not {request.resource} "
                f"(its Resource: {shown})",
            )
        elif st.match_principal(request.caller) is None:
            rank, text = (
                2,
                f"{st.label()} does not apply to {_who(request.principal, ctx.account_id)}",
            )
        else:
            false = [c for c in st.conditions if not c.test(request.values)]
            rank, text = (
                3,
                f"{st.label()} would deny, but its condition "
                + " and ".join(c.describe() for c in false)
                + " is false here",
            )
        near.setdefault(rank, []).append(text)
    if not near:
        return f"no Deny statement covers {request.action}"
    return "; ".join(near[max(near)][:3])


def _listed(items: list[str], limit: int = 4) -> str:
    shown = "; ".join(items[:limit])
    return shown + (f"; and {len(items) - limit} more" if len(items) > limit else "")


def _grouped(verdicts: list[tuple[str, str]], verb: str) -> str:
    """(request, why) pairs as one sentence part per distinct reason, so that six requests
    missed for the same reason read as one finding."""
    by_reason: dict[str, list[str]] = {}
    for request, why in verdicts:
        by_reason.setdefault(why, []).append(request)
    parts = []
    for why, requests in by_reason.items():
        verb_form = f"is {verb}" if len(requests) == 1 else f"are {verb}"
        parts.append(f"{', '.join(requests)} {verb_form} ({why})")
    return _listed(parts)


def _count(n: int, every: str = "") -> str:
    return "the request" if n == 1 else f"{every}{n} requests"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


@check("s3.policy_denies", services=("s3", "kms"))
def policy_denies(
    ctx: CheckContext,
    bucket: str,
    requests: list[dict[str, Any]],
    principal: str | None = None,
    key: str | None = None,
    fix: str = "add a Deny statement that matches these requests",
) -> Outcome:
    """BUCKET's policy explicitly denies every request in REQUESTS (each with PRINCIPAL unless it
    names its own). FIX tells the learner what to change when it does not."""
    from trainer.policy import EXPLICIT_DENY, evaluate

    built, problem = _requests(ctx, requests, principal, key)
    if problem:
        return problem
    policy, problem = _policy_or_problem(ctx, bucket, "denies these requests")
    if problem:
        return problem
    missed = []
    for request in built:
        decision = evaluate(request, (), policy)
        if decision.decision == EXPLICIT_DENY:
            continue
        why = _why_not_denied(ctx, policy, request)
        if decision.allowed:
            # Only the bucket policy is judged here, so its own Allow is what let it through.
            allow = policy.statements[decision.statements[0].index].label()
            why = f"an Allow matches ({allow}); {why}"
        missed.append((_describe(ctx, request), why))
    if missed:
        return failed(
            f"the bucket policy of {bucket} must explicitly deny {_count(len(built))}, and "
            f"{len(missed)} {'gets' if len(missed) == 1 else 'get'} through: "
            f"{_grouped(missed, 'not denied')}. {_sentence(fix)}"
        )
    return passed(
        f"the bucket policy of {bucket} explicitly denies {_count(len(built), 'all ')}: "
        + _listed([_describe(ctx, r) for r in built], limit=2)
    )


@check("s3.policy_does_not_deny", services=("s3", "kms"))
def policy_does_not_deny(
    ctx: CheckContext,
    bucket: str,
    requests: list[dict[str, Any]],
    principal: str | None = None,
    key: str | None = None,
    fix: str = "narrow the Deny statements so that they leave these requests alone",
) -> Outcome:
    """BUCKET's policy explicitly denies none of REQUESTS (each with PRINCIPAL unless it names
    its own). A bucket without a policy fails: there is nothing yet to judge."""
    from trainer.policy import EXPLICIT_DENY, evaluate

    built, problem = _requests(ctx, requests, principal, key)
    if problem:
        return problem
    policy, problem = _policy_or_problem(ctx, bucket, "still lets these requests through")
    if problem:
        return problem
    denied = []
    for request in built:
        decision = evaluate(request, (), policy)
        if decision.decision == EXPLICIT_DENY:
            statement = policy.statements[decision.statements[0].index]
            denied.append((_describe(ctx, request), _why_denied(statement, request)))
    if denied:
        return failed(
            f"the bucket policy of {bucket} must let {_count(len(built))} through, and denies "
            f"{len(denied)}: {_grouped(denied, 'explicitly denied')}. {_sentence(fix)}"
        )
    what = (
        "the legitimate request" if len(built) == 1 else f"any of {len(built)} legitimate requests"
    )
    return passed(
        f"the bucket policy of {bucket} does not deny {what}: "
        + _listed([_describe(ctx, r) for r in built], limit=2)
    )


def _why_denied(statement: Any, request: Any) -> str:
    """The statement that denies a request and why it applies; its conditions are named, since
    the usual mistake is an inverted Bool or StringEquals where StringNotEquals was meant."""
    covers = statement.describe_action_match(request.action.lower())
    text = f"by {statement.label()}, which covers {covers}"
    if not statement.conditions:
        return text + " and has no Condition"
    held = " and ".join(c.describe() for c in statement.conditions)
    return f"{text} and whose condition {held} holds here"
