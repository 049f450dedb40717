"""Quiz engine speed: loading a big bank, and choosing the next drill question.

Generates a bank of QUESTIONS questions (all five types, spread over DECKS files), then a store
with a card for every question and a review log of LOG rows, and prints medians:

- load + validate the whole bank, parsing every file, and again with the parse cache filled
  (issue 5 target: under 1 s for 10,000 questions);
- rebuild the card cache from the log (replaying every drill answer through FSRS);
- open a drill session over every question (reads the due times of all cards);
- next drill question (target: under 5 ms with 10,000 cards and a long log);
- record an answer (log row + card update, one committed transaction).

    python bench/quiz_bench.py [--questions 10000] [--decks 10] [--log 100000]
                               [--runs 5] [--cold-runs 1]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from trainer.quiz import load_decks
from trainer.quiz.scheduler import SCHEDULER_VERSION, rebuild_cards
from trainer.quiz.sessions import DrillSession
from trainer.store import Store

DAY = 86400.0
TYPES = ("single", "multi", "true_false", "ordering", "matching")
DOMAINS = ("iam", "encryption", "secrets", "network", "governance")


def question_yaml(number: int) -> str:
    """One question of a rotating type, in the hand-written format of issue 5."""
    kind = TYPES[number % len(TYPES)]
    head = (
        f"  - id: q{number:05d}\n"
        f"    type: {kind}\n"
        f"    domain: {DOMAINS[number % len(DOMAINS)]}\n"
        f"    tags: [generated, n{number % 7}]\n"
        f"    stem: Generated question number {number}, which asks about a fact of the page?\n"
        f"    explanation: The explanation of question {number}, shown after every answer.\n"
        f"    tip: VPC endpoints for private access\n"
        f"    references: [https://docs.aws.amazon.com/sagemaker/latest/dg/q{number}.html]\n"
    )
    if kind in ("single", "multi"):
        correct = {0} if kind == "single" else {0, 2}
        count = 4 if kind == "single" else 5
        options = "".join(
            f"      - {{id: {letter}, text: Option {letter} of {number},"
            f"{' correct: true,' if index in correct else ''} why: Because {letter}.}}\n"
            for index, letter in enumerate("abcde"[:count])
        )
        select = "    select: 2\n" if kind == "multi" else ""
        return head + select + "    options:\n" + options
    if kind == "true_false":
        return head + f"    answer: {'true' if number % 2 else 'false'}\n"
    if kind == "ordering":
        items = "".join(f"      - {{id: s{i}, text: Step {i} of {number}}}\n" for i in range(4))
        return head + "    items:\n" + items
    prompts = "".join(f"      - {{id: p{i}, text: Prompt {i}}}\n" for i in range(4))
    responses = "".join(f"      - {{id: r{i}, text: Response {i}}}\n" for i in range(5))
    pairs = ", ".join(f"p{i}: r{i}" for i in range(4))
    return (
        head
        + "    prompts:\n"
        + prompts
        + "    responses:\n"
        + responses
        + (f"    pairs: {{{pairs}}}\n")
    )


def write_bank(folder: Path, questions: int, decks: int) -> list[Path]:
    files = []
    per_deck = -(-questions // decks)
    for deck in range(decks):
        numbers = range(deck * per_deck, min(questions, (deck + 1) * per_deck))
        domains = "".join(f"  {d}: {{name: {d.title()}, weight: 0.2}}\n" for d in DOMAINS)
        text = (
            f"schema_version: 1\ndeck: bench-{deck}\ntitle: Generated deck {deck}\n"
            f"exam: MLA-C01\ndomains:\n{domains}"
            "mock: {questions: 20, minutes: 30, pass_percent: 72}\nquestions:\n"
            + "".join(question_yaml(n) for n in numbers)
        )
        path = folder / f"bench-{deck}.yaml"
        path.write_text(text)
        files.append(path)
    return files


def fill_log(store: Store, question_ids: list[str], rows: int, rng: random.Random) -> None:
    """``rows`` drill answers spread over 60 days, every question at least once."""
    start = time.time() - 60 * DAY
    order = list(question_ids) + [rng.choice(question_ids) for _ in range(rows - len(question_ids))]
    with store.transaction() as db:
        db.executemany(
            "INSERT INTO quiz_review (at, question_id, deck_id, mode, session_id, answer,"
            " correct, flagged, seconds, rating) VALUES (?, ?, 'bench', 'drill', NULL, '\"a\"',"
            " ?, 0, ?, ?)",
            (
                (start + index * (60 * DAY / rows), qid, int(r > 1), rng.uniform(2, 60), r)
                for index, qid in enumerate(order)
                for r in [rng.choice((1, 3, 3, 3, 2, 4))]
            ),
        )


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.3f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--decks", type=int, default=10)
    parser.add_argument("--log", type=int, default=100_000, help="review log rows")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold-runs", type=int, default=1, help="loads without the parse cache")
    parser.add_argument("--answers", type=int, default=200, help="drill answers to time")
    args = parser.parse_args()
    rng = random.Random(1)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["TRAINER_HOME"] = str(folder / "home")  # the parse cache lives here
        files = write_bank(folder, args.questions, args.decks)
        size = sum(f.stat().st_size for f in files) / 1e6
        cold = []
        for _ in range(args.cold_runs):
            started = time.perf_counter()
            result = load_decks(files, known_labs=set(), cache=False)
            cold.append(time.perf_counter() - started)
        load_decks(files, known_labs=set())  # fills the parse cache
        warm = []
        for _ in range(args.runs):
            started = time.perf_counter()
            result = load_decks(files, known_labs=set())
            warm.append(time.perf_counter() - started)
        questions = [q for deck in result.decks for q in deck.questions]
        assert len(questions) == args.questions and not result.errors, result.errors[:3]
        print(f"bank: {args.questions} questions in {args.decks} files ({size:.1f} MB)")
        print(f"load + validate, parsed  median {median_ms(cold)}  (every file parsed)")
        print(f"load + validate, cached  median {median_ms(warm)}  (target < 1000 ms)")

        with Store(folder / "bench.sqlite3") as store:
            fill_log(store, [q.id for q in questions], args.log, rng)
            rebuild_times = []
            for _ in range(max(1, args.runs // 2)):
                started = time.perf_counter()
                rebuild_cards(store)
                rebuild_times.append(time.perf_counter() - started)
            assert store.get_setting("quiz.scheduler") == SCHEDULER_VERSION
            print(f"store: {len(store.quiz_cards())} cards, {args.log} review log rows")
            print(f"rebuild cards from log   median {median_ms(rebuild_times)}")

            open_times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                session = DrillSession(store, questions, seed=rng.randrange(1000))
                open_times.append(time.perf_counter() - started)
            print(f"open drill session       median {median_ms(open_times)}")

            next_times, answer_times = [], []
            for _ in range(args.answers):
                started = time.perf_counter()
                shown = session.next_question()
                next_times.append(time.perf_counter() - started)
                if shown is None:
                    break
                started = time.perf_counter()
                session.answer(shown.question.correct_answer(), seconds=20)
                answer_times.append(time.perf_counter() - started)
            print(f"next drill question      median {median_ms(next_times)}  (target < 5 ms)")
            print(f"record an answer         median {median_ms(answer_times)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
