"""Reading decks (quizzes/*.yaml) into typed objects, reporting every problem as FILE:LINE.

The format is fixed by issue 5; authors write it by hand, so the messages name the field, say
what was expected, and point at the line. Every problem of a file is collected (never just the
first), and one broken deck never stops the others from loading: a deck with any error is left
out of the result, its problems are returned.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainer.errors import ContentError
from trainer.problems import Problem
from trainer.quiz.model import QUESTION_TYPES, Deck, Domain, Item, Mock, Option, Question
from trainer.yamlfile import Mapping, YamlError, load_yaml
from trainer.yamlfile import Sequence as YamlSequence

SCHEMA_VERSION = 1

_DECK_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_DOMAIN_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_QUESTION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# Options that refer to other options stop making sense once the options are shuffled.
_SELF_REFERENCE = re.compile(
    r"\b(all|none|both|neither) of the (above|below|other|others|options|answers)\b"
    r"|\b(?:options?|answers?) [a-f] and [a-f]\b",
    re.IGNORECASE,
)

_DECK_FIELDS = ({"schema_version", "deck", "title", "domains", "questions"}, {"exam", "mock"})
_DOMAIN_FIELDS = ({"name", "weight"}, set())
_MOCK_FIELDS = ({"questions", "minutes", "pass_percent"}, set())
_COMMON_REQUIRED = {"id", "type", "domain", "stem", "explanation", "tip"}
_COMMON_OPTIONAL = {"tags", "lab", "references"}
_TYPE_FIELDS: dict[str, tuple[set[str], set[str]]] = {
    "single": ({"options"}, {"shuffle"}),
    "multi": ({"options", "select"}, {"shuffle"}),
    "true_false": ({"answer"}, set()),
    "ordering": ({"items"}, set()),
    "matching": ({"prompts", "responses", "pairs"}, set()),
}
_OPTION_FIELDS = ({"id", "text"}, {"correct", "why", "fixed"})
_ITEM_FIELDS = ({"id", "text"}, set())

SINGLE_MIN_OPTIONS = 4
MULTI_MIN_OPTIONS = 5
ORDERING_ITEMS = (3, 5)
MATCHING_PROMPTS = (3, 7)
# Used when a deck has no ``mock``: 72 % is the MLA-C01 pass mark (720 of 1000), and the real
# exam allows about two minutes per question.
DEFAULT_MOCK_QUESTIONS = 20
DEFAULT_MINUTES_PER_QUESTION = 2.0
DEFAULT_PASS_PERCENT = 72.0


@dataclass
class LoadResult:
    """The decks that loaded, and every problem found (warnings included, also for good decks)."""

    decks: list[Deck] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_error]

    def deck(self, deck_id: str) -> Deck | None:
        return next((deck for deck in self.decks if deck.id == deck_id), None)


def deck_files(folder: Path) -> list[Path]:
    """The deck files of a quizzes folder, in a stable order; none if the folder is missing."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_decks(
    files: Sequence[Path], known_labs: Collection[str] | None = None, *, cache: bool = True
) -> LoadResult:
    """Load every file; a file with an error is reported and skipped, the others still load.

    Question ids and deck ids must be unique across all ``files``: the second occurrence is the
    error. ``known_labs`` is the set of lab ids a question's ``lab`` may name; None skips that
    check (for callers that only run quizzes). With ``cache``, a file whose bytes were read
    before is not parsed again (see :mod:`trainer.quiz.cache`); the result is the same.
    """
    result = LoadResult()
    question_sites: dict[str, tuple[Path, int]] = {}
    deck_sites: dict[str, tuple[Path, int]] = {}
    for path in files:
        read = _read_cached(path) if cache else read_deck_file(path)
        problems = list(read.problems)
        # Checks across files and against the labs: not part of the cached per-file result.
        for deck_id, line in read.deck_sites:
            earlier = deck_sites.get(deck_id)
            if earlier:
                problems.append(
                    Problem(path, line, f'duplicate deck id "{deck_id}" (also at {_at(earlier)})')
                )
        for question_id, line in read.question_sites:
            earlier = question_sites.get(question_id)
            if earlier:
                message = f'duplicate question id "{question_id}" (also at {_at(earlier)})'
                problems.append(Problem(path, line, message))
        for question_id, lab, line in read.lab_links:
            if known_labs is not None and lab not in known_labs:
                known = ", ".join(sorted(known_labs)) or "none"
                message = f'question "{question_id}": lab "{lab}" does not exist (known: {known})'
                problems.append(Problem(path, line, message))
        for deck_id, line in read.deck_sites:
            deck_sites.setdefault(deck_id, (path, line))
        for question_id, line in read.question_sites:
            question_sites.setdefault(question_id, (path, line))
        problems.sort(key=lambda problem: problem.line)
        result.problems.extend(problems)
        if read.deck is not None and not any(p.is_error for p in problems):
            result.decks.append(read.deck)
    return result


@dataclass(frozen=True)
class FileRead:
    """What one deck file holds on its own: the deck (None if broken), its problems, and the
    ids and lab links that are checked against other files and the lab catalog."""

    deck: Deck | None
    problems: tuple[Problem, ...]
    deck_sites: tuple[tuple[str, int], ...]
    question_sites: tuple[tuple[str, int], ...]
    lab_links: tuple[tuple[str, str, int], ...]


def read_deck_file(path: Path) -> FileRead:
    """Parse and check one file by itself (ids within it unique, types and bounds right)."""
    reader = _DeckReader(path)
    deck = reader.read()
    return FileRead(
        deck,
        tuple(reader.problems),
        tuple(reader.deck_sites.items()),
        tuple(reader.question_sites.items()),
        tuple(reader.lab_links),
    )


def _read_cached(path: Path) -> FileRead:
    from trainer.quiz.cache import cached_read

    return cached_read(path, read_deck_file)


def _at(site: tuple[Path, int]) -> str:
    return f"{site[0]}:{site[1]}"


def validate_quiz_files(files: Sequence[Path], known_labs: set[str]) -> list[Problem]:
    """Every problem of these deck files, errors and warnings, each with its file and line."""
    return load_decks(files, known_labs).problems


class _DeckReader:
    """Checks one file and builds its Deck; problems accumulate in ``self.problems``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.question_sites: dict[str, int] = {}  # id -> line, first occurrence in this file
        self.deck_sites: dict[str, int] = {}
        self.lab_links: list[tuple[str, str, int]] = []  # (question id, lab id, line)
        self.problems: list[Problem] = []

    # -- reporting -------------------------------------------------------------------------

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def warn(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message, "warning"))

    def check_fields(
        self, node: Mapping, what: str, required: set[str], optional: set[str]
    ) -> bool:
        """Report unknown and missing fields; True when there were none."""
        ok = True
        allowed = required | optional
        for key in node:
            if key not in allowed:
                ok = False
                hint = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                suggestion = f'; did you mean "{hint[0]}"?' if hint else ""
                if node[key] is None and not hint:
                    # `{id: a, text: S3, ECR}` reads "ECR" as a field: the text needs quotes.
                    suggestion = "; if it belongs to a text, quote that text (a comma ends it)"
                self.error(
                    node.line_of(key),
                    f'unknown field "{key}" in {what}{suggestion}'
                    f" (allowed: {', '.join(sorted(allowed))})",
                )
        for key in sorted(required - node.keys()):
            ok = False
            self.error(node.line, f'{what} is missing "{key}"')
        return ok

    def text(self, node: Mapping, key: str, what: str) -> str | None:
        value = node.get(key)
        if key not in node:
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(node.line_of(key), f'"{key}" of {what} must be non-empty text')
            return None
        return value.strip()

    def ident(self, value: Any, line: int, what: str, pattern: re.Pattern[str]) -> str | None:
        # Authors often number items (id: 1); accept integers, but never YAML booleans.
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not pattern.match(value):
            self.error(
                line,
                f"{what} must be an id of letters, digits and dashes, got {value!r}",
            )
            return None
        return value

    def text_list(self, node: Mapping, key: str, what: str) -> tuple[str, ...]:
        if key not in node:
            return ()
        value = node[key]
        if not isinstance(value, list) or not all(
            isinstance(entry, str) and entry.strip() for entry in value
        ):
            self.error(node.line_of(key), f'"{key}" of {what} must be a list of text')
            return ()
        return tuple(entry.strip() for entry in value)

    def boolean(self, node: Mapping, key: str, what: str, default: bool) -> bool:
        if key not in node:
            return default
        value = node[key]
        if not isinstance(value, bool):
            self.error(node.line_of(key), f'"{key}" of {what} must be true or false')
            return default
        return value

    def number(self, node: Mapping, key: str, what: str, *, integer: bool) -> float | None:
        value = node.get(key)
        kinds = (int,) if integer else (int, float)
        if key not in node:
            return None
        if isinstance(value, bool) or not isinstance(value, kinds):
            kind = "a whole number" if integer else "a number"
            self.error(node.line_of(key), f'"{key}" of {what} must be {kind}, got {value!r}')
            return None
        return value

    # -- the deck --------------------------------------------------------------------------

    def read(self) -> Deck | None:
        try:
            data = load_yaml(self.path)
        except YamlError as exc:
            self.error(exc.line, exc.detail)
            return None
        except ContentError as exc:
            # trainer.yamlfile reports non-text keys as "line N: ..." without the file.
            match = re.match(r"line (\d+): (.*)", str(exc))
            line, message = (int(match[1]), match[2]) if match else (1, str(exc))
            self.error(line, message)
            return None
        if not isinstance(data, Mapping):
            self.error(
                getattr(data, "line", 1),
                "a deck must be a mapping with schema_version, deck, title, domains and questions",
            )
            return None

        self.check_fields(data, "the deck", *_DECK_FIELDS)
        version = data.get("schema_version")
        if "schema_version" in data and version != SCHEMA_VERSION:
            self.error(
                data.line_of("schema_version"),
                f"unsupported schema_version {version!r} (this trainer reads {SCHEMA_VERSION})",
            )
        deck_id = None
        if "deck" in data:
            deck_id = self.ident(data["deck"], data.line_of("deck"), '"deck"', _DECK_ID)
        if deck_id is not None:
            self.deck_sites[deck_id] = data.line_of("deck")
        title = self.text(data, "title", "the deck")
        exam = self.text(data, "exam", "the deck")
        domains = self.read_domains(data)
        questions = self.read_questions(data, deck_id or "?", domains)
        entries = data.get("questions")
        mock = self.read_mock(data, len(entries) if isinstance(entries, list) else 0)
        if deck_id is None or title is None or domains is None:
            return None
        return Deck(
            id=deck_id,
            title=title,
            exam=exam,
            domains=domains,
            mock=mock,
            questions=tuple(questions),
            file=self.path,
        )

    def read_domains(self, data: Mapping) -> dict[str, Domain] | None:
        if "domains" not in data:
            return None
        node = data["domains"]
        if not isinstance(node, Mapping) or not node:
            self.error(
                data.line_of("domains"),
                '"domains" must map each domain id to {name, weight}',
            )
            return None
        domains: dict[str, Domain] = {}
        for key, value in node.items():
            line = node.line_of(key)
            domain_id = self.ident(key, line, "a domain id", _DOMAIN_ID)
            if not isinstance(value, Mapping):
                self.error(line, f'domain "{key}" must be a mapping {{name, weight}}')
                continue
            what = f'domain "{key}"'
            self.check_fields(value, what, *_DOMAIN_FIELDS)
            name = self.text(value, "name", what)
            weight = self.number(value, "weight", what, integer=False)
            if weight is not None and weight <= 0:
                self.error(value.line_of("weight"), f'"weight" of {what} must be above 0')
                weight = None
            if domain_id and name and weight is not None:
                domains[domain_id] = Domain(domain_id, name, float(weight))
        return domains

    def read_mock(self, data: Mapping, question_count: int) -> Mock:
        default_count = max(1, min(DEFAULT_MOCK_QUESTIONS, question_count))
        default = Mock(
            default_count, default_count * DEFAULT_MINUTES_PER_QUESTION, DEFAULT_PASS_PERCENT
        )
        if "mock" not in data:
            return default
        node = data["mock"]
        if not isinstance(node, Mapping):
            self.error(data.line_of("mock"), '"mock" must be {questions, minutes, pass_percent}')
            return default
        self.check_fields(node, '"mock"', *_MOCK_FIELDS)
        count = self.number(node, "questions", '"mock"', integer=True)
        minutes = self.number(node, "minutes", '"mock"', integer=False)
        percent = self.number(node, "pass_percent", '"mock"', integer=False)
        if count is not None and count < 1:
            self.error(node.line_of("questions"), '"questions" of "mock" must be at least 1')
            count = None
        if minutes is not None and minutes <= 0:
            self.error(node.line_of("minutes"), '"minutes" of "mock" must be above 0')
            minutes = None
        if percent is not None and not 0 < percent <= 100:
            self.error(
                node.line_of("pass_percent"), '"pass_percent" of "mock" must be within 1..100'
            )
            percent = None
        if count is not None and question_count and count > question_count:
            self.warn(
                node.line_of("questions"),
                f"the mock exam asks for {count} questions but the deck has {question_count};"
                f" it will use all {question_count}",
            )
        return Mock(
            int(count) if count is not None else default.questions,
            float(minutes) if minutes is not None else default.minutes,
            float(percent) if percent is not None else default.pass_percent,
        )

    # -- questions -------------------------------------------------------------------------

    def read_questions(
        self, data: Mapping, deck_id: str, domains: dict[str, Domain] | None
    ) -> list[Question]:
        if "questions" not in data:
            return []
        node = data["questions"]
        if not isinstance(node, YamlSequence) or not node:
            self.error(data.line_of("questions"), '"questions" must be a non-empty list')
            return []
        questions = []
        for index, entry in enumerate(node):
            line = node.line_of(index)
            if not isinstance(entry, Mapping):
                self.error(line, "each question must be a mapping (id, type, domain, stem, ...)")
                continue
            question = self.read_question(entry, deck_id, domains)
            if question is not None:
                questions.append(question)
        return questions

    def read_question(
        self, node: Mapping, deck_id: str, domains: dict[str, Domain] | None
    ) -> Question | None:
        errors_before = self._error_count()
        question_id = None
        if "id" in node:
            question_id = self.ident(node["id"], node.line_of("id"), "a question id", _QUESTION_ID)
        what = f'question "{question_id}"' if question_id else "a question"
        if question_id is not None:
            earlier = self.question_sites.get(question_id)
            if earlier:
                self.error(
                    node.line_of("id"),
                    f'duplicate question id "{question_id}" (also at {self.path}:{earlier})',
                )
            else:
                self.question_sites[question_id] = node.line_of("id")

        kind = node.get("type")
        if "type" in node and kind not in QUESTION_TYPES:
            self.error(
                node.line_of("type"),
                f"unknown type {kind!r} for {what} (one of: {', '.join(QUESTION_TYPES)})",
            )
            kind = None
        required, optional = set(_COMMON_REQUIRED), set(_COMMON_OPTIONAL)
        if kind is not None:
            required |= _TYPE_FIELDS[kind][0]
            optional |= _TYPE_FIELDS[kind][1]
        else:
            # Without a known type, only the common fields can be judged unknown.
            optional |= {name for pair in _TYPE_FIELDS.values() for name in pair[0] | pair[1]}
        self.check_fields(node, what, required, optional)

        domain = None
        if "domain" in node:
            domain = self.ident(node["domain"], node.line_of("domain"), "a domain id", _DOMAIN_ID)
            if domain is not None and domains is not None and domain not in domains:
                self.error(
                    node.line_of("domain"),
                    f'{what}: domain "{domain}" is not declared in the deck\'s domains'
                    f" ({', '.join(domains) or 'none'})",
                )
        stem = self.text(node, "stem", what)
        explanation = self.text(node, "explanation", what)
        tip = self.text(node, "tip", what)
        tags = self.text_list(node, "tags", what)
        references = self.text_list(node, "references", what)
        lab = self.text(node, "lab", what)
        if lab is not None and question_id is not None:
            self.lab_links.append((question_id, lab, node.line_of("lab")))

        extra: dict[str, Any] = {}
        if kind in ("single", "multi"):
            extra = self.read_choice(node, kind, what)
        elif kind == "true_false":
            if "answer" in node and not isinstance(node["answer"], bool):
                self.error(node.line_of("answer"), f'"answer" of {what} must be true or false')
            else:
                extra = {"answer": node.get("answer")}
        elif kind == "ordering":
            extra = self.read_ordering(node, what)
        elif kind == "matching":
            extra = self.read_matching(node, what)

        if self._error_count() > errors_before or None in (question_id, kind, domain):
            return None
        assert question_id and kind and domain and stem and explanation and tip
        return Question(
            id=question_id,
            type=kind,
            domain=domain,
            stem=stem,
            explanation=explanation,
            tip=tip,
            deck_id=deck_id,
            file=self.path,
            line=node.line,
            tags=tags,
            lab=lab,
            references=references,
            **extra,
        )

    def _error_count(self) -> int:
        return sum(1 for problem in self.problems if problem.is_error)

    def read_entries(
        self, node: Mapping, key: str, what: str, fields: tuple[set[str], set[str]]
    ) -> list[tuple[Mapping, str]] | None:
        """A list of {id, text, ...} mappings with unique ids; None if absent or not a list."""
        if key not in node:
            return None
        entries = node[key]
        if not isinstance(entries, YamlSequence):
            self.error(node.line_of(key), f'"{key}" of {what} must be a list of {{id, text}}')
            return None
        seen: set[str] = set()
        result = []
        for index, entry in enumerate(entries):
            line = entries.line_of(index)
            if not isinstance(entry, Mapping):
                self.error(line, f'each entry of "{key}" in {what} must be a mapping {{id, text}}')
                continue
            self.check_fields(entry, f'an entry of "{key}" in {what}', *fields)
            entry_id = None
            if "id" in entry:
                entry_id = self.ident(
                    entry["id"], entry.line_of("id"), f'an id in "{key}"', _ANY_ID
                )
            if entry_id is not None and entry_id in seen:
                self.error(entry.line_of("id"), f'{what}: id "{entry_id}" appears twice in "{key}"')
            if entry_id is not None:
                seen.add(entry_id)
                self.text(entry, "text", f'"{key}" entry "{entry_id}" of {what}')
                result.append((entry, entry_id))
        return result

    def read_choice(self, node: Mapping, kind: str, what: str) -> dict[str, Any]:
        entries = self.read_entries(node, "options", what, _OPTION_FIELDS)
        shuffle = self.boolean(node, "shuffle", what, True)
        if entries is None:
            return {}
        options = []
        for entry, option_id in entries:
            option_what = f'option "{option_id}" of {what}'
            text = entry.get("text")
            correct = self.boolean(entry, "correct", option_what, False)
            fixed = self.boolean(entry, "fixed", option_what, False)
            why = self.text(entry, "why", option_what)
            if "why" not in entry:
                self.warn(
                    entry.line,
                    f'{option_what} has no "why": say why it is right or wrong',
                )
            if isinstance(text, str) and _SELF_REFERENCE.search(text):
                self.warn(
                    entry.line_of("text"),
                    f'{option_what} refers to other options ("{_SELF_REFERENCE.search(text)[0]}"),'
                    " which breaks when options are shuffled; name the choices instead",
                )
            options.append(
                Option(option_id, str(text).strip(), correct=correct, why=why, fixed=fixed)
            )
        correct_count = sum(option.correct for option in options)
        line = node.line_of("options")
        if kind == "single":
            if len(options) < SINGLE_MIN_OPTIONS:
                self.error(
                    line,
                    f"{what}: a single-answer question needs at least {SINGLE_MIN_OPTIONS}"
                    f" options; it has {len(options)}",
                )
            if correct_count != 1:
                self.error(
                    line,
                    f"{what}: a single-answer question needs exactly one correct option;"
                    f" it has {correct_count}",
                )
            return {"options": tuple(options), "shuffle": shuffle}
        select = self.number(node, "select", what, integer=True)
        if len(options) < MULTI_MIN_OPTIONS:
            self.error(
                line,
                f"{what}: a multiple-answer question needs at least {MULTI_MIN_OPTIONS} options;"
                f" it has {len(options)}",
            )
        if select is not None and select != correct_count:
            self.error(
                node.line_of("select"),
                f"{what}: select is {select} but {correct_count} options are marked correct",
            )
        if correct_count < 2 and select is not None and select == correct_count:
            self.error(
                node.line_of("select"),
                f"{what}: a multiple-answer question needs at least 2 correct options;"
                " use type single",
            )
        return {"options": tuple(options), "shuffle": shuffle, "select": select}

    def bounded_items(
        self, node: Mapping, key: str, what: str, bounds: tuple[int, int] | None
    ) -> tuple[Item, ...] | None:
        entries = self.read_entries(node, key, what, _ITEM_FIELDS)
        if entries is None:
            return None
        items = tuple(
            Item(entry_id, str(entry.get("text", "")).strip()) for entry, entry_id in entries
        )
        if bounds and not bounds[0] <= len(entries) <= bounds[1]:
            self.error(
                node.line_of(key),
                f'{what}: "{key}" needs {bounds[0]} to {bounds[1]} entries; it has {len(entries)}',
            )
        return items

    def read_ordering(self, node: Mapping, what: str) -> dict[str, Any]:
        items = self.bounded_items(node, "items", what, ORDERING_ITEMS)
        return {"items": items} if items is not None else {}

    def read_matching(self, node: Mapping, what: str) -> dict[str, Any]:
        prompts = self.bounded_items(node, "prompts", what, MATCHING_PROMPTS)
        responses = self.bounded_items(node, "responses", what, None)
        if prompts is not None and responses is not None and len(responses) < len(prompts):
            self.error(
                node.line_of("responses"),
                f'{what}: "responses" needs at least as many entries as "prompts"'
                f" ({len(prompts)}); it has {len(responses)}",
            )
        if "pairs" not in node:
            return {}
        pairs_node = node["pairs"]
        if not isinstance(pairs_node, Mapping):
            self.error(
                node.line_of("pairs"), f'"pairs" of {what} must map prompt id to response id'
            )
            return {}
        if prompts is None or responses is None:
            return {}
        prompt_ids = [prompt.id for prompt in prompts]
        response_ids = {response.id for response in responses}
        pairs: dict[str, str] = {}
        used: dict[str, str] = {}
        for key, value in pairs_node.items():
            line = pairs_node.line_of(key)
            prompt_id = self.ident(key, line, "a prompt id in pairs", _ANY_ID)
            response_id = self.ident(value, line, "a response id in pairs", _ANY_ID)
            if prompt_id is None or response_id is None:
                continue
            if prompt_id not in prompt_ids:
                self.error(line, f'{what}: pairs names prompt "{prompt_id}", which is not a prompt')
                continue
            if response_id not in response_ids:
                self.error(
                    line,
                    f'{what}: pairs matches "{prompt_id}" to "{response_id}", which is not a'
                    " response",
                )
                continue
            if response_id in used:
                self.error(
                    line,
                    f'{what}: response "{response_id}" is matched to both "{used[response_id]}"'
                    f' and "{prompt_id}"; each response fits one prompt',
                )
                continue
            used[response_id] = prompt_id
            pairs[prompt_id] = response_id
        missing = [p for p in prompt_ids if p not in pairs and p not in _keys_as_ids(pairs_node)]
        if missing:
            self.error(
                node.line_of("pairs"),
                f"{what}: pairs does not match prompt{'s' if len(missing) > 1 else ''} "
                + ", ".join(f'"{prompt_id}"' for prompt_id in missing),
            )
        return {
            "prompts": prompts,
            "responses": responses,
            "pairs": {p: pairs[p] for p in prompt_ids if p in pairs},
        }


_ANY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def _keys_as_ids(node: Iterable[Any]) -> set[str]:
    return {str(key) for key in node if not isinstance(key, bool)}
