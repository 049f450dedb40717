"""Deck validation: each malformed sample reports its problems at the lines its comments mark.

A fixture line ending in ``# expect: error: TEXT`` (or ``warning``) must get exactly one problem
of that severity whose message contains TEXT; lines without a marker must get none.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from helpers import REPO

from trainer.quiz import load_decks, validate_quiz_files

FIXTURES = Path(__file__).parent / "fixtures" / "quizzes"
KNOWN_LABS = {"execution-role"}
_MARKER = re.compile(r"#\s*expect:\s*(error|warning):\s*(.+?)\s*$")


def expected_problems(path: Path) -> list[tuple[int, str, str]]:
    found = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        match = _MARKER.search(line)
        if match:
            found.append((number, match[1], match[2]))
    return sorted(found)


@pytest.mark.parametrize(
    "name",
    [
        "bad-yaml.yaml",  # invalid YAML, with line and column
        "bad-fields.yaml",  # unknown and missing fields, a type's fields on another type
        "bad-single.yaml",  # not exactly one correct, fewer than four options, repeated id
        "bad-multi.yaml",  # select differs from the correct count, fewer than five options
        "bad-ordering-matching.yaml",  # out of bounds, not a permutation, not a full mapping
        "bad-references.yaml",  # undeclared domain, missing lab, wrong value types
        "warn-wording.yaml",  # warnings: option without why, "all of the above"
    ],
)
def test_each_problem_is_reported_at_its_line(name: str) -> None:
    path = FIXTURES / name
    problems = validate_quiz_files([path], KNOWN_LABS)
    expected = expected_problems(path)
    assert expected, "the fixture marks no expected problem"
    got = sorted((p.line, p.severity, p.message) for p in problems)
    assert [(line, severity) for line, severity, _ in got] == [
        (line, severity) for line, severity, _ in expected
    ], "\n".join(str(p) for p in problems)
    for (_, _, message), (line, _, text) in zip(got, expected, strict=True):
        assert text in message, f"line {line}: {message!r} lacks {text!r}"
    assert all(p.file == path for p in problems)


def test_problems_print_as_file_line_message() -> None:
    path = FIXTURES / "bad-multi.yaml"
    first = validate_quiz_files([path], KNOWN_LABS)[0]
    assert str(first).startswith(f"{path}:10: ")


def test_a_correct_deck_has_no_problems_and_loads_every_type() -> None:
    result = load_decks([FIXTURES / "good-sample.yaml"], KNOWN_LABS)
    assert result.problems == []
    (deck,) = result.decks
    assert deck.id == "sample"
    assert {q.type for q in deck.questions} == {
        "single",
        "multi",
        "true_false",
        "ordering",
        "matching",
    }
    assert deck.mock.questions == 5 and deck.mock.pass_percent == 72
    matching = deck.question("endpoint-purpose")
    assert matching is not None and dict(matching.pairs) == {"api": "a", "runtime": "b", "s3": "c"}


def test_warnings_do_not_stop_a_deck_from_loading() -> None:
    result = load_decks([FIXTURES / "warn-wording.yaml"], KNOWN_LABS)
    assert [deck.id for deck in result.decks] == ["warn-wording"]
    assert result.errors == [] and len(result.problems) == 2


def test_duplicate_question_ids_are_found_across_decks() -> None:
    first, second = FIXTURES / "bad-duplicate-a.yaml", FIXTURES / "bad-duplicate-b.yaml"
    result = load_decks([first, second], KNOWN_LABS)
    (problem,) = result.problems
    assert (problem.file, problem.line) == (second, 8)
    assert f"also at {first}:8" in problem.message
    # The first deck keeps the id; the second, broken, deck is left out.
    assert [deck.id for deck in result.decks] == ["duplicate-a"]
    # Each deck alone is fine.
    assert validate_quiz_files([second], KNOWN_LABS) == []


def test_one_broken_deck_never_stops_the_others() -> None:
    files = [
        FIXTURES / "bad-yaml.yaml",
        FIXTURES / "bad-single.yaml",
        FIXTURES / "good-sample.yaml",
    ]
    result = load_decks(files, KNOWN_LABS)
    assert [deck.id for deck in result.decks] == ["sample"]
    assert {p.file.name for p in result.errors} == {"bad-yaml.yaml", "bad-single.yaml"}


def test_lab_links_are_checked_only_when_labs_are_known() -> None:
    path = FIXTURES / "good-sample.yaml"
    assert load_decks([path], None).problems == []
    (problem,) = load_decks([path], set()).problems
    assert 'lab "execution-role" does not exist' in problem.message


def test_editing_question_text_keeps_its_id(tmp_path: Path) -> None:
    copy = tmp_path / "deck.yaml"
    shutil.copy(FIXTURES / "good-sample.yaml", copy)
    before = load_decks([copy]).decks[0].question("kms-at-rest")
    copy.write_text(copy.read_text().replace("protect SageMaker", "can protect SageMaker"))
    after = load_decks([copy]).decks[0].question("kms-at-rest")
    assert before is not None and after is not None
    assert before.stem != after.stem and before.id == after.id


def test_the_shipped_decks_load_without_errors() -> None:
    """The question bank in quizzes/ is well formed. Its lab links are left to `trainer
    validate`, which knows every lab of the content folder."""
    files = sorted((REPO / "quizzes").glob("*.yaml"))
    if not files:
        pytest.skip("no decks in quizzes/ yet")
    result = load_decks(files, None)
    assert result.errors == [], "\n".join(map(str, result.errors))
    assert len(result.decks) == len(files)


def test_the_parse_cache_gives_the_same_result_and_notices_edits(
    tmp_path: Path, trainer_home: Path
) -> None:
    copy = tmp_path / "deck.yaml"
    shutil.copy(FIXTURES / "bad-multi.yaml", copy)
    fresh = load_decks([copy], KNOWN_LABS, cache=False)
    first = load_decks([copy], KNOWN_LABS)
    assert list((trainer_home / "cache" / "quizzes").glob("*.pickle"))
    second = load_decks([copy], KNOWN_LABS)
    assert fresh.problems == first.problems == second.problems

    copy.write_text(copy.read_text().replace("select: 3", "select: 2"))
    edited = load_decks([copy], KNOWN_LABS)
    assert [p.line for p in edited.problems] == [25]
