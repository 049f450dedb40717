"""Wildcard matching for actions, resources and condition values.

AWS policies know two wildcards, ``*`` (any run of characters, including none) and ``?`` (exactly
one character); every other character is literal -- a ``.`` in an ARN is a dot, not "any
character". Patterns are compiled once and cached, because the lab checks evaluate the same
policies many times.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache

Matcher = Callable[[str], bool]


def _always(_value: str) -> bool:
    return True


def has_wildcard(pattern: str) -> bool:
    """True when ``pattern`` contains ``*`` or ``?``."""
    return "*" in pattern or "?" in pattern


def glob_to_regex(pattern: str) -> str:
    """The regular expression (without anchors) equivalent to an AWS wildcard pattern."""
    out = []
    for ch in pattern:
        if ch == "*":
            out.append(".*")
        elif ch == "?":
            out.append(".")
        else:
            out.append(re.escape(ch))
    return "".join(out)


@lru_cache(maxsize=16384)
def compile_pattern(pattern: str, ignore_case: bool = False) -> Matcher:
    """A function telling whether a value matches ``pattern``.

    With ``ignore_case`` the pattern is lowered here and the caller must pass lowered values
    (actions are lowered once per request, not once per comparison). The result is cached, so
    compiling the same pattern twice is cheap.
    """
    if ignore_case:
        pattern = pattern.lower()
    if pattern == "*":
        return _always
    if not has_wildcard(pattern):
        return pattern.__eq__
    body = pattern[:-1]
    if pattern.endswith("*") and not has_wildcard(body):
        return lambda value, _prefix=body: value.startswith(_prefix)
    return re.compile(glob_to_regex(pattern), re.DOTALL).fullmatch  # type: ignore[return-value]


@lru_cache(maxsize=16384)
def compile_regex(regex: str) -> Matcher:
    """Cached full-match function for an already translated regular expression."""
    return re.compile(regex, re.DOTALL).fullmatch  # type: ignore[return-value]


def wildcard_match(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    """Whether ``value`` matches the AWS wildcard ``pattern`` (convenience, uses the cache)."""
    if ignore_case:
        value = value.lower()
    return bool(compile_pattern(pattern, ignore_case)(value))


class PatternSet:
    """Several wildcard patterns tested as one: literals by set lookup, the rest by matcher."""

    __slots__ = ("patterns", "_literals", "_matchers", "_any", "_ignore_case")

    def __init__(self, patterns: Sequence[str], *, ignore_case: bool = False) -> None:
        self.patterns = tuple(patterns)
        self._ignore_case = ignore_case
        literals: set[str] = set()
        matchers: list[Matcher] = []
        self._any = False
        for p in self.patterns:
            key = p.lower() if ignore_case else p
            if key == "*":
                self._any = True
            elif has_wildcard(key):
                matchers.append(compile_pattern(key, False))
            else:
                literals.add(key)
        self._literals = frozenset(literals)
        self._matchers = tuple(matchers)

    def matches(self, value: str) -> bool:
        """``value`` must already be lowered when the set ignores case."""
        if self._any or value in self._literals:
            return True
        return any(m(value) for m in self._matchers)

    def first_match(self, value: str) -> str | None:
        """The first pattern (as written) that ``value`` matches, for explanations."""
        for p in self.patterns:
            if compile_pattern(p, self._ignore_case)(value):
                return p
        return None


# --- policy variables --------------------------------------------------------------------------
# ${aws:username}, ${aws:PrincipalTag/team, 'none'}, and the escapes ${*}, ${?}, ${$}.
_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_ESCAPES = {"*": "*", "?": "?", "$": "$"}


def has_variable(text: str) -> bool:
    """Whether ``text`` contains a ``${...}`` policy variable."""
    return "${" in text and _VARIABLE.search(text) is not None


def _split_variable(body: str) -> tuple[str, str | None]:
    name, sep, default = body.partition(",")
    if not sep:
        return name.strip(), None
    default = default.strip()
    if len(default) >= 2 and default[0] == default[-1] == "'":
        default = default[1:-1]
    return name.strip(), default


@lru_cache(maxsize=4096)
def _template_parts(template: str) -> tuple[tuple[str, str, str, str | None], ...]:
    """A template split once into (literal as text, literal as regex, variable, default)."""
    parts = []
    pos = 0
    for m in _VARIABLE.finditer(template):
        literal = template[pos : m.start()]
        body = m.group(1)
        if body in _ESCAPES:
            # ${*} and friends are literal characters, never wildcards.
            parts.append(
                (literal + _ESCAPES[body], glob_to_regex(literal) + re.escape(body), "", None)
            )
        else:
            name, default = _split_variable(body)
            parts.append((literal, glob_to_regex(literal), name.lower(), default))
        pos = m.end()
    tail = template[pos:]
    parts.append((tail, glob_to_regex(tail), "", None))
    return tuple(parts)


def resolve_variables(
    template: str, context: Mapping[str, tuple[str, ...]], *, as_pattern: bool
) -> str | None:
    """Substitute policy variables from a request context (keys lowered).

    With ``as_pattern`` the result is a regular expression in which substituted values are
    literal (a ``*`` inside a user name is not a wildcard) and the template's own ``*``/``?``
    stay wildcards; otherwise the plain substituted string. Returns None when a variable has no
    single value in the context and no default: AWS then treats the element as not matching.
    """
    out: list[str] = []
    for text, regex, name, default in _template_parts(template):
        out.append(regex if as_pattern else text)
        if not name:
            continue
        values = context.get(name)
        if values is not None and len(values) == 1:
            value = values[0]
        elif default is not None:
            value = default
        else:
            return None
        out.append(re.escape(value) if as_pattern else value)
    return "".join(out)
