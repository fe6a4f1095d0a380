"""Queue xAPI statements in the outbox, in the caller's transaction (the caller commits).

Each function is one call from the code that records the progress: what is queued is the fact (who,
which module, result, when) and the key its statement id derives from; the statement's text is made when
it is sent (:mod:`elearn.xapi.statements`). That keeps a learner's request to one small insert, and the
learning code free of addresses and titles.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlmodel import Session

from elearn.models.base import utcnow
from elearn.models.outbox import XAPI
from elearn.outbox.queue import Message, queue
from elearn.reporting.xapi import attempt_key, completed_key


def _at(moment: datetime | None) -> str:
    return (moment or utcnow()).isoformat()


def module_launched(session: Session, user_id: int, slug: str, at: datetime | None = None) -> None:
    """The learner opened the module for the first time (queued once per learner and module)."""
    queue(session, XAPI, [Message(f"launched/{user_id}/{slug}", {"verb": "launched", "module": slug, "at": _at(at)}, user_id)])


def section_read(session: Session, user_id: int, slug: str, section_id: str, at: datetime | None = None) -> None:
    """The learner read a section (``experienced``; once per section)."""
    queue(session, XAPI, [section_read_message(user_id, slug, section_id, at)])


def section_read_message(user_id: int, slug: str, section_id: str, at: datetime | None = None) -> Message:
    """:func:`section_read`'s message (the heartbeat queues it in the statement that marks the section)."""
    payload = {"verb": "experienced", "module": slug, "section": section_id, "at": _at(at)}
    return Message(f"section/{user_id}/{slug}/{section_id}", payload, user_id)


def quiz_attempted(
    session: Session, user_id: int, slug: str, quiz_id: str, number: int, *, points: float, max_points: float,
    passed: bool, answers: Mapping[str, list[str]], outcome: Mapping[str, bool], at: datetime | None = None,
) -> None:
    """One attempt: sent as an ``answered`` statement per question, then ``passed`` or ``failed`` for the
    quiz. One message carries them all, so a submission writes one row whatever the number of questions."""
    responses = {question_id: [bool(correct), list(answers.get(question_id, []))] for question_id, correct in outcome.items()}
    payload = {"verb": "passed" if passed else "failed", "module": slug, "quiz": quiz_id, "number": number,
               "points": points, "max_points": max_points, "responses": responses, "at": _at(at)}
    queue(session, XAPI, [Message(attempt_key(user_id, slug, quiz_id, number), payload, user_id)])


def module_completed(
    session: Session, user_id: int, slug: str, *, score: float | None, seconds: int, at: datetime | None = None
) -> None:
    """The learner completed the module (score over 100 when it has quizzes; active time on it)."""
    payload = {"verb": "completed", "module": slug, "score": score, "seconds": seconds, "at": _at(at)}
    queue(session, XAPI, [Message(completed_key(user_id, slug), payload, user_id)])


def certificate_earned(
    session: Session, user_id: int, code: str, verification_url: str, path_title: str, at: datetime | None = None
) -> None:
    """A certificate was issued to the learner."""
    payload = {"verb": "earned", "code": code, "url": verification_url, "path": path_title, "at": _at(at)}
    queue(session, XAPI, [Message(f"certificate/{user_id}/{code}", payload, user_id)])
