"""Quiz submissions: scored on the server, every attempt kept, double submissions impossible.

The form carries the attempt number it was rendered for. The database holds a unique constraint on
(learner, module, quiz, attempt number), so a double click, the back button or a second tab that sends
the same attempt again hits the constraint and gets the attempt already recorded.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from elearn.content.model import Module, Quiz
from elearn.content.quiz import passes, score_quiz
from elearn.i18n import _
from elearn.models import QuizAttempt
from elearn.models.base import utcnow
from elearn.xapi import record as xapi


class QuizClosed(Exception):
    """No attempt left (``tentatives_max`` reached) or the form is stale."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Submission:
    attempt: QuizAttempt
    duplicate: bool  # True when this attempt had already been recorded (nothing new was stored)


def attempts_for(session: Session, user_id: int, module_slug: str, quiz_id: str | None = None) -> list[QuizAttempt]:
    """A learner's attempts, oldest first (one quiz, or all quizzes of the module)."""
    statement = select(QuizAttempt).where(QuizAttempt.user_id == user_id, QuizAttempt.module_slug == module_slug)
    if quiz_id is not None:
        statement = statement.where(QuizAttempt.quiz_id == quiz_id)
    return list(session.exec(statement.order_by(QuizAttempt.submitted_at, QuizAttempt.attempt_number)))


def attempt_count(session: Session, user_id: int, module_slug: str, quiz_id: str) -> int:
    return session.exec(
        select(func.count()).select_from(QuizAttempt).where(
            QuizAttempt.user_id == user_id, QuizAttempt.module_slug == module_slug, QuizAttempt.quiz_id == quiz_id
        )
    ).one()


def attempt_number_after(done: int, module: Module) -> int | None:
    """The number of the attempt after ``done`` attempts, or None when the module's limit is reached."""
    if module.max_attempts is not None and done >= module.max_attempts:
        return None
    return done + 1


def next_attempt_number(session: Session, user_id: int, module: Module, quiz: Quiz) -> int | None:
    """The number the next form must carry, or None when the attempt limit is reached."""
    return attempt_number_after(attempt_count(session, user_id, module.slug, quiz.id), module)


def best_attempt(attempts: Collection[QuizAttempt]) -> QuizAttempt | None:
    """The attempt that counts: highest score, earliest on ties."""
    return max(attempts, key=lambda a: (a.percent, -a.attempt_number), default=None)


def submit_quiz(
    session: Session,
    user_id: int,
    module: Module,
    quiz: Quiz,
    attempt_number: int,
    answers: Mapping[str, Collection[str]],
    previous: Collection[QuizAttempt] | None = None,
) -> Submission:
    """Score and store one attempt; a repeated ``attempt_number`` returns the stored attempt.

    ``previous`` are the learner's attempts at this quiz when the caller has just read them (the page's
    state); otherwise they are read here. Either way the unique constraint decides a race: a number
    taken meanwhile by another request makes this one a duplicate, never a second attempt.
    """
    if previous is None:
        previous = attempts_for(session, user_id, module.slug, quiz.id)
    existing = next((a for a in previous if a.attempt_number == attempt_number), None)
    if existing is not None:
        return Submission(existing, duplicate=True)
    expected = attempt_number_after(len(previous), module)
    if expected is None:
        raise QuizClosed(_("Vous avez utilisé toutes les tentatives permises pour ce quiz."))
    if attempt_number != expected:
        raise QuizClosed(_("Ce formulaire n'est plus à jour : le quiz a été rechargé, répondez à nouveau."))
    result = score_quiz(quiz, answers)
    attempt = QuizAttempt(
        user_id=user_id,
        module_slug=module.slug,
        quiz_id=quiz.id,
        attempt_number=attempt_number,
        content_hash=module.content_hash,
        points=result.points,
        max_points=result.max_points,
        percent=result.percent,
        passed=passes(result.percent, module.pass_mark),
        answers={qid: sorted(choices) for qid, choices in answers.items()},
        outcome={q.question_id: q.correct for q in result.questions},
        submitted_at=utcnow(),
    )
    session.add(attempt)
    try:  # queuing the statements flushes the attempt: a number taken meanwhile fails here or at commit
        xapi.quiz_attempted(
            session, user_id, module.slug, quiz.id, attempt_number, points=attempt.points, max_points=attempt.max_points,
            passed=attempt.passed, answers=attempt.answers, outcome=attempt.outcome, at=attempt.submitted_at,
        )
        session.commit()
    except IntegrityError:
        session.rollback()
        stored = _find(session, user_id, module.slug, quiz.id, attempt_number)
        if stored is None:
            raise
        return Submission(stored, duplicate=True)
    return Submission(attempt, duplicate=False)


def _find(session: Session, user_id: int, module_slug: str, quiz_id: str, number: int) -> QuizAttempt | None:
    return session.exec(
        select(QuizAttempt).where(
            QuizAttempt.user_id == user_id,
            QuizAttempt.module_slug == module_slug,
            QuizAttempt.quiz_id == quiz_id,
            QuizAttempt.attempt_number == number,
        )
    ).first()
