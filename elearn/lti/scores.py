"""Scores to LMS gradebooks (Assignment and Grade Services), through the outbox.

On a module's completion, and each time the learner's module score gets better, a score message is
queued in the outbox for every line item the learner was launched with for that module, in the same
transaction; the outbox's sender posts it to the platform (pylti1p3's grade service: a token from the
platform's token endpoint, signed with the tool's key, then the score). A failed post stays in the outbox
and is retried; scores of one line item go in order, each with its timestamp.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.grade import Grade
from pylti1p3.service_connector import ServiceConnector
from requests import RequestException
from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from elearn.lti.platforms import registration
from elearn.models import LtiGradeLink, LtiPlatform
from elearn.models.base import utcnow
from elearn.models.outbox import LTI_SCORE, OutboxMessage
from elearn.outbox.delivery import SendResult, Transport
from elearn.outbox.queue import Message, queue

__all__ = ["LTI_SCORE", "queue_if_better", "score_transport"]


#: The learner's line items for one module; built once, as every quiz submission reads them (most find none).
_LINKS_OF = select(LtiGradeLink).where(col(LtiGradeLink.user_id) == bindparam("user_id"), col(LtiGradeLink.module_slug) == bindparam("slug"))


def queue_if_better(session: Session, user_id: int, slug: str, score: float | None, completed: bool) -> bool:
    """Queue the module's score for each of the learner's line items when it is new or better, or when
    the module was just completed; True when something was queued (the caller commits). A module without
    quizzes scores 100 when completed."""
    if score is None and not completed:
        return False
    queued = False
    given = 100.0 if score is None else float(score)
    links = session.exec(_LINKS_OF, params={"user_id": user_id, "slug": slug})  # type: ignore[call-overload]
    now = utcnow()
    for link in links:
        first_completion = completed and not link.completion_sent
        if not first_completion and link.best_score is not None and given <= link.best_score:
            continue
        link.best_score = max(given, link.best_score or 0.0)
        link.completion_sent = link.completion_sent or completed
        session.add(link)
        payload = {"link": link.id, "score": given, "completed": completed, "at": now.isoformat()}
        queue(session, LTI_SCORE, [Message(f"{link.id}/{now.isoformat()}/{given}", payload, user_id)])
        queued = True
    return queued


def score_transport(session: Session, config: Mapping[str, Any]) -> Transport | None:
    """Posts queued scores; always configured (a score exists only for a registered platform)."""
    return _ScoreTransport(session, Path(config["ELEARN_INSTANCE_DIR"]))


class _ScoreTransport:
    def __init__(self, session: Session, instance: Path) -> None:
        self._session, self._instance = session, instance
        self._connectors: dict[int, ServiceConnector] = {}

    def __call__(self, messages: Sequence[OutboxMessage]) -> SendResult:
        for index, message in enumerate(messages):
            link = self._session.get(LtiGradeLink, message.payload.get("link"))
            platform = self._session.get(LtiPlatform, link.platform_id) if link else None
            if link is None or platform is None:
                return SendResult(index, rejected="lien de notation ou plateforme supprimé")
            try:
                self._post(link, platform, message.payload)
            except (LtiServiceException, LtiException, RequestException, OSError) as error:
                return SendResult(index, error=f"plateforme {platform.name} : {str(error)[:300]}")
        return SendResult(len(messages))

    def _post(self, link: LtiGradeLink, platform: LtiPlatform, payload: Mapping[str, Any]) -> None:
        connector = self._connectors.get(platform.id)  # type: ignore[arg-type]
        if connector is None:
            connector = self._connectors[platform.id] = ServiceConnector(registration(platform, self._instance))  # type: ignore[index]
        service = dict(link.service)
        at = datetime.fromisoformat(payload["at"])
        grade = (
            Grade()
            .set_score_given(payload["score"])
            .set_score_maximum(100)
            .set_timestamp(at.isoformat())
            .set_activity_progress("Completed" if payload["completed"] else "InProgress")
            .set_grading_progress("FullyGraded")
            .set_user_id(link.subject)
        )
        AssignmentsGradesService(connector, service).put_grade(grade)
