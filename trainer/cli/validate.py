"""`trainer validate [PATH ...] [--deep]`: lint lab and quiz content; --deep proves each lab."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from trainer.errors import UsageError
from trainer.labs.catalog import load_catalog
from trainer.labs.validate import lint_labs, prove_labs
from trainer.paths import content_dir
from trainer.problems import Problem


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("validate", help="check lab and quiz content (for authors)")
    p.add_argument(
        "paths", nargs="*", metavar="PATH", help="lab folders, quiz files or content folders"
    )
    p.add_argument("--deep", action="store_true", help="also run every lab's starter and solutions")
    p.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="with --deep: prove N labs at once (default: one per CPU)",
    )
    p.set_defaults(func=cmd_validate)


def _collect(paths: list[str]) -> tuple[list[Path], list[Path]]:
    """Split PATHs into lab folders and quiz files; no PATH means the whole content folder."""
    roots = [Path(p) for p in paths] or [content_dir()]
    lab_folders: list[Path] = []
    quiz_files: list[Path] = []
    for path in roots:
        if not path.exists():
            raise UsageError(f"no such file or folder: {path}")
        if path.is_file() and path.name == "lab.yaml":
            lab_folders.append(path.parent)
        elif path.is_file():
            quiz_files.append(path)
        elif (path / "lab.yaml").is_file():
            lab_folders.append(path)
        elif (path / "labs").is_dir() or (path / "quizzes").is_dir():
            lab_folders += sorted(p.parent for p in (path / "labs").glob("*/lab.yaml"))
            quiz_files += sorted((path / "quizzes").glob("*.y*ml"))
        else:
            lab_folders += sorted(p.parent for p in path.glob("*/lab.yaml"))
            quiz_files += sorted(path.glob("*.y*ml"))
    return lab_folders, quiz_files


def cmd_validate(args: argparse.Namespace) -> int:
    lab_folders, quiz_files = _collect(args.paths)
    catalog_ids = set(load_catalog().labs)
    labs, problems = lint_labs(lab_folders, known_ids=catalog_ids)
    known_labs = catalog_ids | {lab.id for lab in labs}
    problems += _quiz_problems(quiz_files, known_labs)
    if args.deep and labs:
        # Prove only the labs that lint clean.
        clean = [
            lab
            for lab in labs
            if not any(p.is_error and p.file.parent == lab.folder for p in problems)
        ]
        problems += prove_labs(
            clean, jobs=args.jobs, progress=lambda m: print(m, file=sys.stderr, flush=True)
        )
    for problem in problems:
        print(problem)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    checked = f"{len(lab_folders)} lab(s), {len(quiz_files)} quiz file(s)"
    proof = ", proved" if args.deep else ""
    print(f"{checked}{proof}: {errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return 1 if errors else 0


def _quiz_problems(files: list[Path], known_labs: set[str]) -> list[Problem]:
    if not files:
        return []
    try:
        from trainer.quiz import validate_quiz_files
    except ImportError:
        return [Problem(f, 1, "quiz validation is not available in this build") for f in files]
    return validate_quiz_files(files, known_labs)
