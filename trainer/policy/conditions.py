"""Condition operators: parsing their names and testing them against a request context.

Semantics follow the IAM documentation ("IAM JSON policy elements: Condition operators" and
"Single-valued vs. multivalued context keys"):

* every operator block and every key in it must hold (AND); any one of a key's policy values is
  enough (OR);
* a key missing from the request makes the condition false, except for negated operators
  (StringNotEquals, ArnNotLike, NotIpAddress, ...), which are then true; ``...IfExists`` is true
  when the key is absent; ``Null`` tests presence itself;
* a negated operator holds only when no policy value matches (NOR);
* ``ForAnyValue:`` holds when at least one request value matches (false for a missing key),
  ``ForAllValues:`` when every request value matches (true for a missing key or an empty set).
"""

from __future__ import annotations

import base64
import ipaddress
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from trainer.policy.matching import (
    compile_pattern,
    compile_regex,
    has_variable,
    resolve_variables,
)

# base operator -> (family, negated)
_BASE_OPERATORS: dict[str, tuple[str, bool]] = {
    "StringEquals": ("string", False),
    "StringNotEquals": ("string", True),
    "StringEqualsIgnoreCase": ("string_ci", False),
    "StringNotEqualsIgnoreCase": ("string_ci", True),
    "StringLike": ("string_like", False),
    "StringNotLike": ("string_like", True),
    "NumericEquals": ("num_eq", False),
    "NumericNotEquals": ("num_eq", True),
    "NumericLessThan": ("num_lt", False),
    "NumericLessThanEquals": ("num_le", False),
    "NumericGreaterThan": ("num_gt", False),
    "NumericGreaterThanEquals": ("num_ge", False),
    "DateEquals": ("date_eq", False),
    "DateNotEquals": ("date_eq", True),
    "DateLessThan": ("date_lt", False),
    "DateLessThanEquals": ("date_le", False),
    "DateGreaterThan": ("date_gt", False),
    "DateGreaterThanEquals": ("date_ge", False),
    "Bool": ("bool", False),
    "BinaryEquals": ("binary", False),
    "IpAddress": ("ip", False),
    "NotIpAddress": ("ip", True),
    "ArnEquals": ("arn", False),
    "ArnLike": ("arn", False),
    "ArnNotEquals": ("arn", True),
    "ArnNotLike": ("arn", True),
    "Null": ("null", False),
}

BASE_OPERATORS: frozenset[str] = frozenset(_BASE_OPERATORS)

# Families whose policy values may hold ${...} variables (per the operator documentation).
_VARIABLE_FAMILIES = frozenset({"string", "string_ci", "string_like", "arn", "bool"})


class ConditionSyntaxError(ValueError):
    """A condition operator or value the IAM grammar does not accept; model.py adds the path."""


@dataclass(frozen=True)
class OperatorSpec:
    """A parsed operator name such as ``ForAllValues:StringLikeIfExists``."""

    name: str
    base: str
    family: str
    negated: bool
    if_exists: bool
    set_operator: str | None  # "ForAnyValue", "ForAllValues" or None


def parse_operator(name: str) -> OperatorSpec:
    """Parse an operator name; raise ConditionSyntaxError for anything IAM does not define.

    Operator names are matched exactly as documented; a wrong capitalisation is reported with
    the right spelling rather than guessed.
    """
    rest = name
    set_operator = None
    for prefix in ("ForAnyValue:", "ForAllValues:"):
        if rest.startswith(prefix):
            set_operator = prefix[:-1]
            rest = rest[len(prefix) :]
            break
    if_exists = False
    if rest.endswith("IfExists") and rest != "IfExists":
        if_exists = True
        rest = rest[: -len("IfExists")]
    spec = _BASE_OPERATORS.get(rest)
    if spec is None or (rest == "Null" and if_exists):
        hint = _suggest(name)
        raise ConditionSyntaxError(
            f"unknown condition operator {name!r}" + (f" (did you mean {hint!r}?)" if hint else "")
        )
    family, negated = spec
    return OperatorSpec(name, rest, family, negated, if_exists, set_operator)


def _suggest(name: str) -> str | None:
    lowered = name.lower()
    candidates = []
    for base in _BASE_OPERATORS:
        for prefix in ("", "ForAnyValue:", "ForAllValues:"):
            for suffix in ("", "IfExists"):
                if base == "Null" and suffix:
                    continue
                candidates.append(prefix + base + suffix)
    for cand in candidates:
        if cand.lower() == lowered:
            return cand
    return None


# --- value conversion ---------------------------------------------------------------------------


def value_to_str(value: object) -> str:
    """Policy and context values as IAM compares them: booleans as ``true``/``false``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _to_number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return None if math.isnan(number) else number


def _to_epoch(text: str) -> float | None:
    """ISO 8601 date/time (UTC when no zone is given) or epoch seconds, as IAM accepts them."""
    number = _to_number(text)
    if number is not None:
        return number
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _to_network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _to_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    # Cached: the ipaddress parser is slow and a workload sees the same few source addresses.
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        # A request may carry a single address written as a /32 network.
        net = _to_network(text)
        return net.network_address if net is not None and net.num_addresses == 1 else None


# --- compiled matchers: (request value) -> does it match any of the policy values ----------------

ValueTest = Callable[[str], bool]


def _arn_components(text: str) -> list[str] | None:
    parts = text.split(":", 5)
    return parts if len(parts) == 6 else None


def _compile_arn(pattern: str) -> ValueTest:
    # Each of the six colon-delimited parts is compared on its own, so a wildcard in the region
    # part cannot swallow the account part.
    pattern_parts = _arn_components(pattern)
    if pattern_parts is None:
        whole = compile_pattern(pattern)
        return lambda value: bool(whole(value))
    matchers = [compile_pattern(p) for p in pattern_parts]

    def test(value: str) -> bool:
        parts = _arn_components(value)
        return parts is not None and all(m(v) for m, v in zip(matchers, parts, strict=True))

    return test


def compile_values(family: str, values: tuple[str, ...]) -> ValueTest:
    """A test telling whether one request value matches any of the (variable-free) values.

    Raises ConditionSyntaxError for a policy value the family cannot hold (a number that is
    not a number, a bad CIDR, a date IAM would not parse).
    """
    if family == "string":
        allowed = frozenset(values)
        return allowed.__contains__
    if family == "string_ci":
        allowed_ci = frozenset(v.lower() for v in values)
        return lambda value: value.lower() in allowed_ci
    if family == "string_like":
        matchers = [compile_pattern(v) for v in values]
        return lambda value: any(m(value) for m in matchers)
    if family == "bool":
        wanted = frozenset(v.lower() for v in values)
        return lambda value: value.lower() in wanted
    if family == "binary":
        for v in values:
            try:
                base64.b64decode(v, validate=True)
            except ValueError as exc:
                raise ConditionSyntaxError(f"{v!r} is not base64") from exc
        allowed = frozenset(values)
        return allowed.__contains__
    if family == "arn":
        tests = [_compile_arn(v) for v in values]
        return lambda value: any(t(value) for t in tests)
    if family == "ip":
        nets = []
        for v in values:
            net = _to_network(v)
            if net is None:
                raise ConditionSyntaxError(f"{v!r} is not an IP address or CIDR range")
            nets.append(net)

        def ip_test(value: str) -> bool:
            addr = _to_address(value)
            return addr is not None and any(addr.version == n.version and addr in n for n in nets)

        return ip_test
    if family.startswith(("num_", "date_")):
        convert = _to_number if family.startswith("num_") else _to_epoch
        kind = "a number" if family.startswith("num_") else "a date (ISO 8601 or epoch seconds)"
        bounds = []
        for v in values:
            converted = convert(v)
            if converted is None:
                raise ConditionSyntaxError(f"{v!r} is not {kind}")
            bounds.append(converted)
        compare = _COMPARISONS[family.split("_", 1)[1]]

        def ordered_test(value: str) -> bool:
            got = convert(value)
            return got is not None and any(compare(got, b) for b in bounds)

        return ordered_test
    raise AssertionError(f"unhandled operator family {family}")  # pragma: no cover


_COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    "eq": lambda a, b: a == b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
}


@dataclass(frozen=True, eq=False)
class Condition:
    """One key under one operator, e.g. ``StringEquals`` / ``aws:SourceVpc`` / values.

    ``test(context)`` takes the normalised request context (lowered keys, tuples of strings)
    and says whether this condition holds.
    """

    operator: str
    key: str
    values: tuple[str, ...]
    spec: OperatorSpec
    test: Callable[[Mapping[str, tuple[str, ...]]], bool]

    def describe(self) -> str:
        shown = self.values[0] if len(self.values) == 1 else list(self.values)
        return f"{self.operator} {self.key} {shown}"


def build_condition(
    operator: str, key: str, values: tuple[str, ...], *, variables: bool
) -> Condition:
    """Compile one condition. ``variables`` is False for Version 2008-10-17 policies, where
    ``${...}`` is literal text."""
    spec = parse_operator(operator)
    key_lower = key.lower()
    if spec.family == "null":
        for v in values:
            if v.lower() not in ("true", "false"):
                raise ConditionSyntaxError(f"Null takes true or false, not {v!r}")
        wants_absent = frozenset(v.lower() == "true" for v in values)

        def null_test(ctx: Mapping[str, tuple[str, ...]]) -> bool:
            present = bool(ctx.get(key_lower))
            return (not present) in wants_absent

        return Condition(operator, key, values, spec, null_test)

    dynamic = variables and spec.family in _VARIABLE_FAMILIES and any(map(has_variable, values))
    static_test = None if dynamic else compile_values(spec.family, values)
    negated, if_exists, set_op = spec.negated, spec.if_exists, spec.set_operator

    def value_test_for(ctx: Mapping[str, tuple[str, ...]]) -> ValueTest | None:
        if static_test is not None:
            return static_test
        return _dynamic_test(spec.family, values, ctx)

    def test(ctx: Mapping[str, tuple[str, ...]]) -> bool:
        got = ctx.get(key_lower)
        if not got:
            if if_exists or set_op == "ForAllValues":
                return True
            if set_op == "ForAnyValue":
                return False
            return negated
        matches = value_test_for(ctx)
        if matches is not None and len(got) == 1:
            # The common single-valued case; every set operator agrees on one value.
            return bool(matches(got[0])) != negated
        # matches is None when a policy variable has no value: no policy value can match.
        hits = [False] * len(got) if matches is None else [bool(matches(v)) for v in got]
        if negated:
            hits = [not h for h in hits]
        if set_op == "ForAllValues":
            return all(hits)
        if set_op == "ForAnyValue":
            return any(hits)
        # No set operator: a negated operator must hold for every request value (none may
        # match), a positive one for any of them.
        return all(hits) if negated else any(hits)

    return Condition(operator, key, values, spec, test)


def _dynamic_test(
    family: str, values: tuple[str, ...], ctx: Mapping[str, tuple[str, ...]]
) -> ValueTest | None:
    if family in ("string_like", "arn"):
        regexes = [resolve_variables(v, ctx, as_pattern=True) for v in values]
        matchers = [compile_regex(r) for r in regexes if r is not None]
        if not matchers:
            return None
        # Resolved ARN patterns are compared whole: variables sit in the resource part in
        # practice, where whole and component-wise matching agree.
        return lambda value: any(m(value) for m in matchers)
    resolved = tuple(
        r for r in (resolve_variables(v, ctx, as_pattern=False) for v in values) if r is not None
    )
    if not resolved:
        return None
    return compile_values(family, resolved)
