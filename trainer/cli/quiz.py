"""`trainer quiz list|take|grade`: decks, a plain-terminal quiz, and grading an answers file.

`take` is for SSH sessions, screen readers and scripts: plain lines, no colour or layout, one
answer line read from standard input per question. A closed input ends the session cleanly; every
answer given before it is already saved.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from trainer.cli.output import positive, print_json
from trainer.errors import UsageError
from trainer.quiz import Deck, LoadResult, Question, find_deck, load_content_decks
from trainer.quiz.alldecks import exam_deck
from trainer.quiz.grading import (
    AnswerError,
    Presentation,
    TypedAnswer,
    answer_from_data,
    is_correct,
    parse_typed,
)
from trainer.quiz.sessions import (
    DrillSession,
    ExamClosed,
    ExamResult,
    ExamSession,
    Feedback,
    ReviewSession,
)
from trainer.quiz.stats import deck_counts
from trainer.store import Store

MODES = ("drill", "exam", "review")
DEFAULT_DRILL_COUNT = 20


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    quiz = subparsers.add_parser(
        "quiz", help="drill, review and mock exams from the question decks"
    )
    commands = quiz.add_subparsers(dest="quiz_command", metavar="COMMAND", required=True)

    p = commands.add_parser("list", help="decks with their question and due counts")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_list)

    p = commands.add_parser("take", help="take a quiz in the plain terminal, answers on stdin")
    p.add_argument(
        "deck",
        nargs="?",
        help="deck id (default: every deck; for an exam, one exam over every deck)",
    )
    p.add_argument("--mode", choices=MODES, default="drill", help="default: drill")
    p.add_argument(
        "--count",
        type=positive(int, "a whole number"),
        metavar="N",
        help=f"questions to ask (drill: {DEFAULT_DRILL_COUNT}; exam: the deck's mock size)",
    )
    p.add_argument("--seed", type=int, metavar="N", help="make question and option order repeat")
    p.set_defaults(func=cmd_take)

    p = commands.add_parser("grade", help="grade a file of answers without touching the schedule")
    p.add_argument("deck", help="deck id")
    p.add_argument(
        "--answers", required=True, metavar="FILE", help="YAML or JSON map of question id: answer"
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_grade)


def _load() -> LoadResult:
    """Every deck that loads; the errors of those that do not are shown as warnings."""
    result = load_content_decks()
    for problem in result.errors:
        print(f"trainer: warning: {problem}", file=sys.stderr)
    return result


# -- list ----------------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    result = _load()
    with Store() as store:
        counts = deck_counts(store, result.decks)
    rows = [
        {
            "id": deck.id,
            "title": deck.title,
            "questions": counts[deck.id].questions,
            "due": counts[deck.id].due,
            "new": counts[deck.id].new,
        }
        for deck in result.decks
    ]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("No quiz decks found.")
        return 0
    width = max(len(row["id"]) for row in rows)
    for row in rows:
        print(
            f"{row['id']:<{width}}  {row['questions']:>4} questions  {row['due']:>4} due"
            f"  {row['new']:>4} new  {row['title']}"
        )
    return 0


# -- grade ---------------------------------------------------------------------------------


def cmd_grade(args: argparse.Namespace) -> int:
    deck = find_deck(_load(), args.deck)
    answers = _read_answers(Path(args.answers))
    graded: list[tuple[Question, bool]] = []
    for question_id, value in answers.items():
        question = deck.question(str(question_id))
        if question is None:
            raise UsageError(f'{args.answers}: deck "{deck.id}" has no question "{question_id}"')
        graded.append((question, is_correct(question, answer_from_data(question, value))))
    domains: dict[str, dict[str, int]] = {}
    for question, correct in graded:
        score = domains.setdefault(question.domain, {"correct": 0, "total": 0})
        score["correct"] += correct
        score["total"] += 1
    right = sum(correct for _, correct in graded)
    percent = round(100.0 * right / len(graded), 1)
    passed = percent >= deck.mock.pass_percent
    if args.json:
        print_json(
            {
                "score_percent": percent,
                "passed": passed,
                "domains": domains,
                "questions": [{"id": q.id, "correct": correct} for q, correct in graded],
            }
        )
        return 0
    verdict = "PASS" if passed else "FAIL"
    print(
        f"{deck.id}: {right}/{len(graded)} right ({percent:g}%), {verdict}"
        f" (pass mark {deck.mock.pass_percent:g}%)"
    )
    for domain_id, score in domains.items():
        print(f"  {domain_id}: {score['correct']}/{score['total']}")
    for question, correct in graded:
        print(f"  {'right' if correct else 'WRONG'}  {question.id}")
    return 0


def _read_answers(path: Path) -> dict[Any, Any]:
    """The answers file as a map; JSON by extension, otherwise YAML (which also reads JSON)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text") from None
    if path.suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from None
    else:
        from trainer.yamlfile import load_yaml

        data = load_yaml(path)
    if not isinstance(data, dict) or not data:
        raise UsageError(f"{path}: expected a map of question id to answer")
    return data


# -- take ----------------------------------------------------------------------------------


class _Terminal:
    """Line-by-line input and plain output. ``read`` returns None at end of input."""

    def __init__(self) -> None:
        self.stdin = sys.stdin
        self.out = sys.stdout
        isatty = getattr(self.stdin, "isatty", None)
        self._interactive = bool(isatty and isatty())

    def say(self, text: str = "") -> None:
        print(text, file=self.out)

    def read(self, prompt: str = "> ") -> str | None:
        self.out.write(prompt)
        self.out.flush()
        line = self.stdin.readline()
        if not line:
            self.say()
            return None
        line = line.rstrip("\r\n")
        if not self._interactive:
            # Piped input is not echoed by a terminal; echo it so a transcript reads as a dialog.
            self.say(line)
        return line

    def ask(self, presentation: Presentation) -> TypedAnswer | None:
        """Read lines until one is a readable answer; None at end of input."""
        while True:
            line = self.read()
            if line is None:
                return None
            try:
                return parse_typed(presentation, line)
            except AnswerError as exc:
                self.say(f"  {exc}; try again (empty line skips)")


def cmd_take(args: argparse.Namespace) -> int:
    result = _load()
    if not result.decks:
        raise UsageError("no quiz decks to take; see `trainer validate`")
    term = _Terminal()
    with Store() as store:
        if args.mode == "exam":
            # No deck (or "all"): one exam over every deck and domain, as the TUI offers.
            return _take_exam(term, store, exam_deck(result, args.deck), args)
        decks = [find_deck(result, args.deck)] if args.deck else result.decks
        questions = [question for deck in decks for question in deck.questions]
        if args.mode == "review":
            session: DrillSession | ReviewSession = ReviewSession(
                store, questions, seed=args.seed, limit=args.count
            )
            if not session.remaining():
                term.say("Nothing to review: no missed or flagged questions. Well done.")
                return 0
            term.say(
                f"Review: {session.remaining()} missed or flagged question(s)."
                " Type your answer; ? flags; an empty line skips; end of input stops."
            )
        else:
            session = DrillSession(
                store, questions, seed=args.seed, limit=args.count or DEFAULT_DRILL_COUNT
            )
            due, new = session.counts()
            term.say(
                f"Drill: {due} due, {new} new. Type your answer; ? marks it unsure;"
                " an empty line skips; end of input stops."
            )
        return _take_one_by_one(term, session)


def _take_one_by_one(term: _Terminal, session: DrillSession | ReviewSession) -> int:
    number = 0
    while (presentation := session.next_question()) is not None:
        number += 1
        term.say()
        _show_question(term, presentation, f"[{number}]")
        typed = term.ask(presentation)
        if typed is None:
            break
        if isinstance(session, DrillSession):
            feedback = session.answer(typed.answer, unsure=typed.flagged)
        else:
            feedback = session.answer(typed.answer, flagged=typed.flagged)
        _show_feedback(term, feedback)
    term.say()
    if session.answered == 0:
        term.say("No answers given.")
        return 0
    percent = 100.0 * session.right / session.answered
    term.say(f"Summary: {session.right}/{session.answered} right ({percent:.0f}%).")
    if isinstance(session, DrillSession):
        due, new = session.counts(time.time() + 24 * 3600)
        term.say(f"Due within a day: {due}; never drilled: {new}.")
    return 0


def _show_question(term: _Terminal, presentation: Presentation, label: str) -> None:
    question = presentation.question
    instruction = {
        "single": "choose one",
        "multi": f"choose {question.select}",
        "true_false": "true or false: t or f",
        "ordering": "put in order, first to last, e.g. c a b",
        "matching": "match each number to a letter, e.g. 1b 2a 3c",
    }[question.type]
    term.say(f"{label} {question.domain} · {instruction}")
    term.say(question.stem)
    if question.type == "matching":
        for number, prompt in enumerate(question.prompts, start=1):
            term.say(f"  {number}. {prompt.text}")
        term.say("  with:")
    for letter, text in presentation.choices():
        term.say(f"  {letter}) {text}")


def _show_feedback(term: _Terminal, feedback: Feedback) -> None:
    presentation, question = feedback.presentation, feedback.question
    right_answer = presentation.describe(question.correct_answer())
    if feedback.correct:
        term.say("Right." + (" (marked unsure)" if feedback.flagged else ""))
    elif feedback.answer is None:
        term.say(f"Skipped. The answer: {right_answer}")
    else:
        given = presentation.describe(feedback.answer)
        term.say(f"Wrong: you answered {given}; the answer: {right_answer}")
    _show_whys(term, presentation, feedback.answer, feedback.correct)
    term.say(question.explanation)
    term.say(f"Tip: {question.tip}")
    if question.lab and not feedback.correct:
        term.say(f"Practise it: trainer lab show {question.lab}")
    if feedback.due is not None:
        term.say(f"Next time: {_when(feedback.due)}.")


def _show_whys(term: _Terminal, presentation: Presentation, answer: Any, correct: bool) -> None:
    """The why of the right options, and of the option chosen when it was wrong."""
    question = presentation.question
    if question.type not in ("single", "multi"):
        return
    chosen = {answer} if isinstance(answer, str) else set(answer or ())
    for option_id in presentation.order:
        option = question.option(option_id)
        if option.why and (option.correct or (option_id in chosen and not correct)):
            term.say(f"  {presentation.letter_of(option_id)}) {option.why}")


def _when(epoch: float) -> str:
    seconds = max(0.0, epoch - time.time())
    if seconds < 3600:
        return f"in {max(1, round(seconds / 60))} minute(s)"
    if seconds < 2 * 86400:
        return f"in {round(seconds / 3600)} hour(s)"
    return f"in {round(seconds / 86400)} days"


# -- exams ---------------------------------------------------------------------------------


def _take_exam(term: _Terminal, store: Store, deck: Deck, args: argparse.Namespace) -> int:
    exam = None
    for record in ExamSession.unfinished(store, deck.id):
        candidate = ExamSession.resume(store, deck, record)
        if candidate.expired():
            term.say(f"Your exam from {_clock(record.started_at)} ran out of time; its result:")
            _show_result(term, candidate.submit())
            term.say(f"Run `trainer quiz take {deck.id} --mode exam` again for a new exam.")
            return 0
        answered = len(candidate.questions) - len(candidate.unanswered())
        term.say(
            f"You have an unfinished exam from {_clock(record.started_at)}: {answered} of"
            f" {len(candidate.questions)} answered, {_minutes(candidate.remaining_seconds())} left."
        )
        choice = term.read("Press Enter to resume it, or type new to abandon it and start over: ")
        if choice is None:
            return 0
        if choice.strip().lower() == "new":
            candidate.abandon()
            term.say("Abandoned.")
            continue
        exam = candidate
        break
    if exam is None:
        exam = ExamSession.start(store, deck, count=args.count, seed=args.seed)
        term.say(
            f"Mock exam: {deck.title}. {len(exam.questions)} questions,"
            f" {_minutes(exam.remaining_seconds())}, pass mark {deck.mock.pass_percent:g}%."
        )
    term.say(
        "Type your answer; ? flags the question for a second look; an empty line skips."
        " Skipped and flagged questions come back before you submit."
    )
    total = len(exam.questions)
    # First pass: every question not answered yet.
    for index, presentation in enumerate(exam.questions, start=1):
        if exam.answer_of(presentation.question.id) is not None:
            continue
        outcome = _exam_question(term, exam, presentation, f"[{index}/{total}]", second_look=False)
        if outcome == "eof":
            return _exam_saved(term, exam, deck)
        if outcome == "time":
            break
    else:
        # Second look at what is flagged or unanswered; end of input here submits.
        again = [p for p in exam.questions if exam.is_flagged(p.question.id)]
        again += [p for p in exam.unanswered() if p not in again]
        if again:
            term.say()
            term.say(
                f"Second look: {len(again)} flagged or unanswered. An empty line keeps the answer"
                " shown; end of input submits."
            )
        for presentation in again:
            index = exam.questions.index(presentation) + 1
            label = f"[{index}/{total}]"
            if _exam_question(term, exam, presentation, label, second_look=True) != "ok":
                break
    term.say()
    _show_result(term, exam.submit())
    return 0


def _exam_question(
    term: _Terminal, exam: ExamSession, presentation: Presentation, label: str, *, second_look: bool
) -> str:
    """Ask one exam question; "ok", "eof" (input ended) or "time" (the clock ran out)."""
    if exam.expired():
        term.say("Time is up.")
        return "time"
    question_id = presentation.question.id
    term.say()
    _show_question(term, presentation, f"{label} {_minutes(exam.remaining_seconds())} left ·")
    if second_look:
        flag = " (flagged)" if exam.is_flagged(question_id) else ""
        term.say(f"  your answer: {presentation.describe(exam.answer_of(question_id))}{flag}")
    exam.visit(question_id)
    typed = term.ask(presentation)
    if typed is None:
        return "eof"
    try:
        if typed.answer is not None:
            exam.answer(question_id, typed.answer, flagged=typed.flagged)
        elif typed.flagged:
            # "?" alone flags; an empty line keeps the answer (if any) and the flag as they are.
            exam.flag(question_id, True)
    except ExamClosed:
        term.say("Time is up; that answer came too late and was not counted.")
        return "time"
    return "ok"


def _exam_saved(term: _Terminal, exam: ExamSession, deck: Deck) -> int:
    answered = len(exam.questions) - len(exam.unanswered())
    term.say(
        f"Exam saved: {answered} of {len(exam.questions)} answered,"
        f" {_minutes(exam.remaining_seconds())} left on the clock."
        f" Run `trainer quiz take {deck.id} --mode exam` to resume it."
    )
    return 0


def _show_result(term: _Terminal, result: ExamResult) -> None:
    verdict = "PASS" if result.passed else "FAIL"
    term.say(
        f"Result: {result.correct}/{result.total} right ({result.percent:.0f}%): {verdict}"
        f" (pass mark {result.pass_percent:g}%), in {_minutes(result.seconds)}."
    )
    term.say("By domain:")
    for domain_id, score in result.domains.items():
        term.say(f"  {domain_id}: {score.correct}/{score.total}")
    if not result.missed:
        return
    term.say("Missed:")
    for missed in result.missed:
        presentation, question = missed.presentation, missed.question
        term.say()
        term.say(f"- {question.id} ({question.domain}): {question.stem}")
        term.say(
            f"  you answered {presentation.describe(missed.answer)};"
            f" the answer: {_describe_right(presentation)}"
        )
        term.say(f"  {question.explanation}")
        if question.lab:
            term.say(f"  Practise it: trainer lab show {question.lab}")


def _describe_right(presentation: Presentation) -> str:
    question = presentation.question
    described = presentation.describe(question.correct_answer())
    if question.type == "single":
        return f"{described}) {question.option(question.correct_answer()).text}"  # type: ignore[arg-type]
    return described


def _minutes(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def _clock(epoch: float) -> str:
    return datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M")
