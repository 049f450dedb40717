"""Quiz sessions: drill, review and exam. The CLI and the TUI are thin front ends over these.

Every answer is written to the store the moment it is given, each in its own transaction, so a
crash loses at most the answer being typed:

- drill and review answers go straight to the append-only review log (a drill answer also moves
  the question's FSRS card, in the same transaction);
- exam answers are kept with the exam session (changeable and flaggable until submit); submit
  appends one log row per question, graded, in one transaction with closing the session.

Only drill answers move the spaced-repetition schedule; exam and review answers feed review mode
and mastery. Sessions take a ``clock`` (epoch seconds) so tests can move time.
"""

from __future__ import annotations

import heapq
import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from fsrs import Rating

from trainer.errors import UsageError
from trainer.quiz import scheduler
from trainer.quiz.exam import draw_exam
from trainer.quiz.grading import (
    Presentation,
    answer_from_data,
    answer_to_data,
    is_correct,
    present,
    presentation_seed,
)
from trainer.quiz.model import Answer, Deck, Question
from trainer.store import QuizReview, QuizSessionRecord, Store

Clock = Callable[[], float]

# Anki's "learn ahead limit": when nothing is due and nothing is new, a learning card due within
# this many seconds is shown now rather than ending the session.
LEARN_AHEAD_SECONDS = 20 * 60


class ExamClosed(UsageError):
    """The exam was submitted or abandoned, or its time is up; it takes no more answers."""


@dataclass(frozen=True)
class Feedback:
    """What a drill or review answer came to."""

    presentation: Presentation
    answer: Answer
    correct: bool
    flagged: bool
    seconds: float
    rating: Rating | None = None  # drill only
    due: float | None = None  # drill only: when the question comes back (epoch seconds)

    @property
    def question(self) -> Question:
        return self.presentation.question


def new_seed() -> int:
    return random.SystemRandom().randrange(2**31)


class _OneAtATime:
    """Shared by drill and review: one current question, answered once, then the next."""

    mode = ""

    def __init__(self, store: Store, seed: int | None, limit: int | None, clock: Clock) -> None:
        self.store = store
        self.seed = new_seed() if seed is None else seed
        self.limit = limit
        self.clock = clock
        self.answered = 0
        self.right = 0
        self._current: Presentation | None = None
        self._shown_at = 0.0

    def _show(self, question: Question) -> Presentation:
        self._current = present(question, presentation_seed(self.seed, question.id))
        self._shown_at = self.clock()
        return self._current

    @property
    def current(self) -> Presentation | None:
        """The question shown and not yet answered, if any."""
        return self._current

    def _take_current(self, seconds: float | None) -> tuple[Presentation, float, float]:
        if self._current is None:
            raise RuntimeError("answer() called with no question shown; call next_question()")
        presentation, self._current = self._current, None
        now = self.clock()
        taken = max(0.0, now - self._shown_at) if seconds is None else seconds
        return presentation, now, taken

    def _limit_reached(self) -> bool:
        return self.limit is not None and self.answered >= self.limit


class DrillSession(_OneAtATime):
    """Spaced repetition over ``questions``: due cards first (earliest first), then new
    questions in a seeded random order, then learning cards due within 20 minutes.

    There is nothing to resume: the schedule lives in the store, so a new DrillSession carries on
    where the last one stopped.
    """

    mode = "drill"

    def __init__(
        self,
        store: Store,
        questions: Sequence[Question],
        *,
        seed: int | None = None,
        limit: int | None = None,
        clock: Clock = time.time,
    ) -> None:
        super().__init__(store, seed, limit, clock)
        scheduler.ensure_cards_current(store)
        self._questions = {question.id: question for question in questions}
        due_times = store.quiz_due_times()
        self._due: list[tuple[float, str]] = [
            (due_times[qid], qid) for qid in self._questions if qid in due_times
        ]
        heapq.heapify(self._due)
        self._new = [qid for qid in self._questions if qid not in due_times]
        random.Random(self.seed).shuffle(self._new)
        self._new.reverse()  # popped from the end

    def counts(self, now: float | None = None) -> tuple[int, int]:
        """(due now, never drilled) among this session's questions."""
        now = self.clock() if now is None else now
        return sum(1 for due, _ in self._due if due <= now), len(self._new)

    def next_question(self) -> Presentation | None:
        """The question to ask now, or None when the session is done. Asking again before
        answering returns the same question."""
        if self._current is not None:
            return self._current
        if self._limit_reached():
            return None
        now = self.clock()
        if self._due and self._due[0][0] <= now:
            return self._show(self._questions[heapq.heappop(self._due)[1]])
        if self._new:
            return self._show(self._questions[self._new.pop()])
        if self._due and self._due[0][0] <= now + LEARN_AHEAD_SECONDS:
            # Only cards in their learning steps come back within minutes.
            return self._show(self._questions[heapq.heappop(self._due)[1]])
        return None

    def answer(
        self, answer: Answer, *, unsure: bool = False, seconds: float | None = None
    ) -> Feedback:
        """Grade the current question, log it and move its card (one transaction).

        ``answer`` None is a skip, graded wrong. ``seconds`` defaults to the time since the
        question was shown.
        """
        presentation, now, taken = self._take_current(seconds)
        question = presentation.question
        correct = is_correct(question, answer)
        rating = scheduler.rating_for(
            correct, unsure=unsure, seconds=taken, quick_limit=scheduler.quick_seconds(question)
        )
        card = scheduler.review(self.store.quiz_card(question.id), question.id, rating, now)
        self.store.record_quiz_review(
            QuizReview(
                question_id=question.id,
                deck_id=question.deck_id,
                mode=self.mode,
                answer=json.dumps(answer_to_data(answer)),
                correct=correct,
                flagged=unsure,
                seconds=taken,
                at=now,
                rating=int(rating),
            ),
            card,
        )
        heapq.heappush(self._due, (card.due, question.id))
        self.answered += 1
        self.right += correct
        return Feedback(presentation, answer, correct, unsure, taken, rating, card.due)


def review_pool(store: Store, questions: Sequence[Question]) -> list[Question]:
    """Questions whose latest answer, in any mode, was wrong or flagged; oldest first."""
    latest = store.latest_quiz_reviews()
    pool = [
        (row.id or 0, question)
        for question in questions
        if (row := latest.get(question.id)) is not None and (not row.correct or row.flagged)
    ]
    return [question for _, question in sorted(pool, key=lambda pair: pair[0])]


class ReviewSession(_OneAtATime):
    """The questions missed or flagged before, each asked once; one answered right (and not
    flagged) leaves the pool, one missed again stays for the next review."""

    mode = "review"

    def __init__(
        self,
        store: Store,
        questions: Sequence[Question],
        *,
        seed: int | None = None,
        limit: int | None = None,
        clock: Clock = time.time,
    ) -> None:
        super().__init__(store, seed, limit, clock)
        self._queue = review_pool(store, questions)
        self._queue.reverse()  # popped from the end

    def remaining(self) -> int:
        return len(self._queue) + (self._current is not None)

    def next_question(self) -> Presentation | None:
        if self._current is not None:
            return self._current
        if self._limit_reached() or not self._queue:
            return None
        return self._show(self._queue.pop())

    def answer(
        self, answer: Answer, *, flagged: bool = False, seconds: float | None = None
    ) -> Feedback:
        presentation, now, taken = self._take_current(seconds)
        question = presentation.question
        correct = is_correct(question, answer)
        self.store.record_quiz_review(
            QuizReview(
                question_id=question.id,
                deck_id=question.deck_id,
                mode=self.mode,
                answer=json.dumps(answer_to_data(answer)),
                correct=correct,
                flagged=flagged,
                seconds=taken,
                at=now,
            )
        )
        self.answered += 1
        self.right += correct
        return Feedback(presentation, answer, correct, flagged, taken)


# -- exams ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DomainScore:
    correct: int
    total: int


@dataclass(frozen=True)
class Missed:
    presentation: Presentation
    answer: Answer
    flagged: bool

    @property
    def question(self) -> Question:
        return self.presentation.question


@dataclass(frozen=True)
class ExamResult:
    """The outcome of a submitted exam. ``missed`` keeps the exam's order."""

    deck_id: str
    correct: int
    total: int
    pass_percent: float
    domains: dict[str, DomainScore]
    missed: list[Missed]
    seconds: float

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.total if self.total else 0.0

    @property
    def passed(self) -> bool:
        return self.percent >= self.pass_percent


@dataclass
class _ExamAnswer:
    answer: Answer = None
    flagged: bool = False
    seconds: float = 0.0


@dataclass
class ExamSession:
    """A timed mock exam of one deck, kept in the store until submitted or abandoned.

    Answers may be changed and flagged until ``submit``; after the deadline the exam takes no
    more answers and can only be submitted (unanswered questions count as wrong).
    """

    store: Store
    deck: Deck
    record: QuizSessionRecord
    questions: list[Presentation]
    clock: Clock = time.time
    _answers: dict[str, _ExamAnswer] = field(default_factory=dict)
    _visiting: tuple[str, float] | None = None

    mode = "exam"

    @classmethod
    def start(
        cls,
        store: Store,
        deck: Deck,
        *,
        count: int | None = None,
        seed: int | None = None,
        clock: Clock = time.time,
    ) -> ExamSession:
        """Draw a new exam: ``count`` (default ``mock.questions``) questions by domain weight,
        with ``mock.minutes`` scaled to the number drawn."""
        seed = new_seed() if seed is None else seed
        wanted = count if count is not None else deck.mock.questions
        if wanted < 1:
            raise UsageError("an exam needs at least one question")
        drawn = draw_exam(deck, wanted, random.Random(seed))
        minutes = deck.mock.minutes * len(drawn) / deck.mock.questions
        now = clock()
        session_id = store.start_quiz_session(
            mode="exam",
            deck_id=deck.id,
            seed=seed,
            question_ids=[question.id for question in drawn],
            deadline=now + minutes * 60,
            pass_percent=deck.mock.pass_percent,
            started_at=now,
        )
        record = store.quiz_session(session_id)
        assert record is not None
        return cls._build(store, deck, record, clock)

    @classmethod
    def resume(
        cls, store: Store, deck: Deck, record: QuizSessionRecord, *, clock: Clock = time.time
    ) -> ExamSession:
        """Reopen an unfinished exam with its questions, letters, answers and flags."""
        if record.finished_at is not None:
            raise ExamClosed(f"exam {record.id} is already {record.outcome}")
        session = cls._build(store, deck, record, clock)
        for question_id, saved in store.quiz_session_answers(record.id).items():
            question = deck.question(question_id)
            if question is None:
                continue
            session._answers[question_id] = _ExamAnswer(
                answer_from_data(question, json.loads(saved.answer)), saved.flagged, saved.seconds
            )
        return session

    @classmethod
    def _build(
        cls, store: Store, deck: Deck, record: QuizSessionRecord, clock: Clock
    ) -> ExamSession:
        presentations = []
        for question_id in record.question_ids:
            question = deck.question(question_id)
            if question is None:
                # The deck changed since the exam began; a question no longer there is dropped.
                continue
            presentations.append(present(question, presentation_seed(record.seed, question_id)))
        return cls(store, deck, record, presentations, clock)

    @staticmethod
    def unfinished(store: Store, deck_id: str | None = None) -> list[QuizSessionRecord]:
        """Exams neither submitted nor abandoned, oldest first."""
        return store.open_quiz_sessions("exam", deck_id)

    # -- state ---------------------------------------------------------------------------

    @property
    def id(self) -> int:
        return self.record.id

    @property
    def deadline(self) -> float:
        return self.record.deadline or float("inf")

    def remaining_seconds(self) -> float:
        return max(0.0, self.deadline - self.clock())

    def expired(self) -> bool:
        return self.clock() >= self.deadline

    @property
    def finished(self) -> bool:
        return self.record.finished_at is not None

    def answer_of(self, question_id: str) -> Answer:
        entry = self._answers.get(question_id)
        return entry.answer if entry else None

    def is_flagged(self, question_id: str) -> bool:
        entry = self._answers.get(question_id)
        return bool(entry and entry.flagged)

    def unanswered(self) -> list[Presentation]:
        return [p for p in self.questions if self.answer_of(p.question.id) is None]

    def flagged(self) -> list[Presentation]:
        return [p for p in self.questions if self.is_flagged(p.question.id)]

    # -- changes -------------------------------------------------------------------------

    def visit(self, question_id: str) -> None:
        """Note that the learner is looking at this question (time spent is counted from now)."""
        self._presentation(question_id)
        self._visiting = (question_id, self.clock())

    def answer(
        self,
        question_id: str,
        answer: Answer,
        *,
        flagged: bool | None = None,
        seconds: float | None = None,
    ) -> None:
        """Set (or with None, clear) the answer of one question and save it at once.
        ``flagged`` None leaves the flag as it is."""
        self._check_open()
        self._presentation(question_id)
        entry = self._answers.setdefault(question_id, _ExamAnswer())
        entry.answer = answer
        if flagged is not None:
            entry.flagged = flagged
        entry.seconds += self._spent(question_id) if seconds is None else seconds
        self._save(question_id, entry)

    def flag(self, question_id: str, flagged: bool = True) -> None:
        self._check_open()
        self._presentation(question_id)
        entry = self._answers.setdefault(question_id, _ExamAnswer())
        entry.flagged = flagged
        self._save(question_id, entry)

    def submit(self) -> ExamResult:
        """Grade, append every question to the review log and close the exam, atomically."""
        if self.finished:
            raise ExamClosed(f"exam {self.id} is already {self.record.outcome}")
        now = self.clock()
        reviews = []
        domains: dict[str, list[int]] = {}
        missed = []
        for presentation in self.questions:
            question = presentation.question
            entry = self._answers.get(question.id, _ExamAnswer())
            correct = is_correct(question, entry.answer)
            score = domains.setdefault(question.domain, [0, 0])
            score[0] += correct
            score[1] += 1
            if not correct:
                missed.append(Missed(presentation, entry.answer, entry.flagged))
            reviews.append(
                QuizReview(
                    question_id=question.id,
                    deck_id=question.deck_id,
                    mode="exam",
                    answer=json.dumps(answer_to_data(entry.answer)),
                    correct=correct,
                    flagged=entry.flagged,
                    seconds=entry.seconds,
                    at=now,
                    session_id=self.id,
                )
            )
        if not self.store.finish_quiz_session(self.id, "submitted", reviews):
            raise ExamClosed(f"exam {self.id} was closed by another session")
        self._reload()
        pass_percent = self.record.pass_percent or self.deck.mock.pass_percent
        return ExamResult(
            deck_id=self.deck.id,
            correct=sum(score[0] for score in domains.values()),
            total=len(self.questions),
            pass_percent=pass_percent,
            domains={d: DomainScore(*score) for d, score in domains.items()},
            missed=missed,
            seconds=min(now, self.deadline) - self.record.started_at,
        )

    def abandon(self) -> None:
        """Close the exam without grading; its answers stay out of the review log."""
        if not self.store.finish_quiz_session(self.id, "abandoned"):
            raise ExamClosed(f"exam {self.id} is already closed")
        self._reload()

    # -- internals -----------------------------------------------------------------------

    def _check_open(self) -> None:
        if self.finished:
            raise ExamClosed(f"exam {self.id} is already {self.record.outcome}")
        if self.expired():
            raise ExamClosed("time is up: the exam takes no more answers; submit it")

    def _presentation(self, question_id: str) -> Presentation:
        for presentation in self.questions:
            if presentation.question.id == question_id:
                return presentation
        raise UsageError(f'question "{question_id}" is not part of this exam')

    def _spent(self, question_id: str) -> float:
        if self._visiting and self._visiting[0] == question_id:
            spent = max(0.0, self.clock() - self._visiting[1])
            self._visiting = (question_id, self.clock())
            return spent
        return 0.0

    def _save(self, question_id: str, entry: _ExamAnswer) -> None:
        self.store.save_quiz_session_answer(
            self.id,
            question_id,
            json.dumps(answer_to_data(entry.answer)),
            flagged=entry.flagged,
            seconds=entry.seconds,
        )

    def _reload(self) -> None:
        record = self.store.quiz_session(self.id)
        assert record is not None
        self.record = record
