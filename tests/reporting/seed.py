"""Seed data for reporting tests: rows inserted directly, as the learning code would have left them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session

from elearn.db import session_scope
from elearn.models import ActiveTime, Certificate, ModuleProgress, QuizAttempt, Role, User
from elearn.reporting.catalog import Catalog, ModuleInfo

CATALOG = Catalog([ModuleInfo("premiers-pas", "Premiers pas", 20, "h1"), ModuleInfo("suite", "La suite", 30, "h2")])


@dataclass(frozen=True)
class Seeded:
    elodie: int
    hacker: int
    idle: int
    trainer: int


def user(session: Session, email: str, name: str, profession: str = "", role: Role = Role.LEARNER) -> int:
    person = User(email=email, full_name=name, profession=profession, password_hash="x", role=role.value,
                  created_at=datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    session.add(person)
    session.flush()
    return person.id  # type: ignore[return-value]


def activity(session: Session, user_id: int, slug: str, day: date, seconds: int, first: str, last: str) -> None:
    session.add(ActiveTime(user_id=user_id, module_slug=slug, section_id="intro", day=day, seconds=seconds,
                           first_activity_at=datetime.fromisoformat(f"{day}T{first}+00:00"),
                           last_activity_at=datetime.fromisoformat(f"{day}T{last}+00:00")))


def attempt(session: Session, user_id: int, slug: str, number: int, points: float, passed: bool, at: str) -> None:
    session.add(QuizAttempt(user_id=user_id, module_slug=slug, quiz_id="quiz-1", attempt_number=number,
                            content_hash="h1", submitted_at=datetime.fromisoformat(at + "+00:00"), points=points,
                            max_points=4, percent=100 * points / 4, passed=passed))


def seed(app) -> Seeded:  # noqa: ANN001
    """Élodie completed « premiers-pas » in March 2026 (fail then pass, certificate issued) and started
    « suite » in April;
    a learner whose name is a formula started one module; another never started; a trainer tried a module."""
    with app.app_context(), session_scope() as session:
        elodie = user(session, "elodie.marchand@exemple.fr", "Élodie Marchand", "Aide-soignante")
        hacker = user(session, "mallory@exemple.fr", "=HYPERLINK(\"http://x\")", "Infirmier")
        idle = user(session, "idle@exemple.fr", "Zoé Inactive", "Infirmier")
        trainer = user(session, "trainer@exemple.fr", "Sacha Formateur", "", Role.TRAINER)
        session.add(ModuleProgress(user_id=elodie, module_slug="premiers-pas", started_at=datetime(2026, 3, 9, 8, 0, tzinfo=UTC),
                                   last_activity_at=datetime(2026, 3, 10, 9, 30, tzinfo=UTC), completed_at=datetime(2026, 3, 10, 9, 30, tzinfo=UTC),
                                   completion_score=87.5, completion_content_hash="h1"))
        session.add(ModuleProgress(user_id=elodie, module_slug="suite", started_at=datetime(2026, 4, 2, 13, 0, tzinfo=UTC),
                                   last_activity_at=datetime(2026, 4, 2, 13, 40, tzinfo=UTC)))
        session.add(ModuleProgress(user_id=hacker, module_slug="premiers-pas", started_at=datetime(2026, 3, 20, 10, 0, tzinfo=UTC),
                                   last_activity_at=datetime(2026, 3, 20, 10, 5, tzinfo=UTC)))
        session.add(ModuleProgress(user_id=trainer, module_slug="premiers-pas", started_at=datetime(2026, 3, 1, 10, 0, tzinfo=UTC),
                                   last_activity_at=datetime(2026, 3, 1, 10, 5, tzinfo=UTC), completed_at=datetime(2026, 3, 1, 10, 5, tzinfo=UTC)))
        activity(session, elodie, "premiers-pas", date(2026, 3, 9), 1500, "08:00:00", "08:40:00")
        activity(session, elodie, "premiers-pas", date(2026, 3, 10), 900, "09:00:00", "09:30:00")
        activity(session, elodie, "suite", date(2026, 4, 2), 2400, "13:00:00", "13:40:00")
        activity(session, hacker, "premiers-pas", date(2026, 3, 20), 300, "10:00:00", "10:05:00")
        activity(session, trainer, "premiers-pas", date(2026, 3, 1), 300, "10:00:00", "10:05:00")
        attempt(session, elodie, "premiers-pas", 1, 2, False, "2026-03-10T09:10:00")
        attempt(session, elodie, "premiers-pas", 2, 3.5, True, "2026-03-10T09:25:00")
        attempt(session, hacker, "premiers-pas", 1, 1, False, "2026-03-20T10:04:00")
        session.add(Certificate(code="AAAAA-BBBBB-CCCCC-DDDDD-EEEEE", user_id=elodie, path_version="v1",
                                issued_at=datetime(2026, 3, 10, 9, 31, tzinfo=UTC), credential="{}"))
    return Seeded(elodie, hacker, idle, trainer)
