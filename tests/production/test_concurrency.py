"""Several worker processes on one PostgreSQL database: nothing lost, nothing counted twice.

Each test lines up worker processes (each with its own application and connection pool, like gunicorn
workers) on the same learner and lets them call the domain functions at the same instant.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import func, select

from elearn.certificates import signing
from elearn.certificates.issue import Issuer, issue_certificate
from elearn.certificates.path import load_path
from elearn.db import get_engine, session_scope
from elearn.learning import quizzes, tracking
from elearn.models import ActiveTime, AuditEvent, Certificate, QuizAttempt, User
from elearn.web.modules import get_library
from tests.certificates.support import BASE_URL, certificate_app, complete_path
from tests.certificates.support import MEDIA as CERTIFICATE_MEDIA
from tests.certificates.support import MODULES as CERTIFICATE_MODULES
from tests.conftest import add_user, make_test_app, open_module
from tests.pgserver import ONLY_POSTGRESQL
from tests.production.workers import run_in_workers

pytestmark = ONLY_POSTGRESQL

WORKERS = 6
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ANSWERS = {"q1": {"c1"}, "q2": {"c2"}}


def worker_app_factory(app, tmp_path):  # noqa: ANN001, ANN201 - Flask objects
    """A factory that builds, in a worker, another application on the same database as ``app``."""
    get_engine(app).dispose()  # nothing of the parent's pool may cross the fork
    url = app.config["ELEARN_DATABASE_URL"]
    return lambda: make_test_app(tmp_path, ELEARN_DATABASE_URL=url)


def stored_seconds(app, user_id: int) -> int:
    with app.app_context(), session_scope() as session:
        return session.exec(select(func.coalesce(func.sum(ActiveTime.seconds), 0)).where(ActiveTime.user_id == user_id)).one()


def stored_attempts(app, user_id: int, slug: str) -> list[QuizAttempt]:
    with app.app_context(), session_scope() as session:
        return quizzes.attempts_for(session, user_id, slug)


def test_app_runs_on_postgresql(app):
    assert get_engine(app).dialect.name == "postgresql"


def test_parallel_heartbeats_credit_wall_clock_time_exactly(app, learner, tmp_path):
    """Every worker sends the same minute of heartbeats (tabs, retries): it is credited once, wholly."""
    steps = 8
    open_module(app, learner.id, "premiers-pas", T0 - timedelta(hours=1))

    def job(worker_app, index: int) -> int:
        credited = 0
        with worker_app.app_context():
            for step in range(1, steps + 1):
                with session_scope() as session:
                    at = T0 + timedelta(seconds=15 * step)
                    credited += tracking.heartbeat(session, learner.id, "premiers-pas", f"s{index % 2}", 15, now=at).credited
        return credited

    credits = run_in_workers(WORKERS, worker_app_factory(app, tmp_path), job)
    assert sum(credits) == 15 * steps
    assert stored_seconds(app, learner.id) == 15 * steps


def test_parallel_heartbeats_of_different_learners_are_all_kept(app, learner, other_learner, tmp_path):
    """Concurrent increments of the same activity rows lose no update."""
    learners = (learner.id, other_learner.id)
    for user_id in learners:
        open_module(app, user_id, "premiers-pas", T0 - timedelta(hours=1))

    def job(worker_app, index: int) -> int:
        with worker_app.app_context(), session_scope() as session:
            at = T0 + timedelta(seconds=index)  # a distinct instant each, so every clock moves forward
            return tracking.heartbeat(session, learners[index % 2], "premiers-pas", "accueil", 15, now=at).credited

    credits = run_in_workers(WORKERS, worker_app_factory(app, tmp_path), job)
    assert stored_seconds(app, learner.id) + stored_seconds(app, other_learner.id) == sum(credits)
    assert all(stored_seconds(app, user) >= 15 for user in learners)


def test_the_same_attempt_sent_by_every_worker_is_stored_once(app, learner, tmp_path):
    def job(worker_app, _index: int) -> tuple[int, bool]:
        with worker_app.app_context(), session_scope() as session:
            module = get_library().get("premiers-pas")
            quiz = module.sections[-1].quizzes[0]
            submission = quizzes.submit_quiz(session, learner.id, module, quiz, 1, ANSWERS)
            return submission.attempt.id, submission.duplicate

    outcomes = run_in_workers(WORKERS, worker_app_factory(app, tmp_path), job)
    assert len({attempt_id for attempt_id, _ in outcomes}) == 1
    assert sorted(duplicate for _, duplicate in outcomes) == [False] + [True] * (WORKERS - 1)
    assert len(stored_attempts(app, learner.id, "premiers-pas")) == 1


def test_racing_attempts_are_numbered_without_gap_or_excess(app, learner, tmp_path):
    """Workers each submit new attempts as fast as they can on a quiz limited to two attempts."""

    def job(worker_app, _index: int) -> list[int]:
        created = []
        with worker_app.app_context():
            module = get_library().get("suite")
            quiz = module.sections[0].quizzes[0]
            for _ in range(4):
                with session_scope() as session:
                    number = quizzes.next_attempt_number(session, learner.id, module, quiz)
                    if number is None:
                        break
                    try:
                        submission = quizzes.submit_quiz(session, learner.id, module, quiz, number, {"q1": {"c1"}})
                    except quizzes.QuizClosed:
                        continue  # another worker took this number first: read the next one
                    if not submission.duplicate:
                        created.append(submission.attempt.attempt_number)
        return created

    created = run_in_workers(WORKERS, worker_app_factory(app, tmp_path), job)
    assert sorted(number for numbers in created for number in numbers) == [1, 2]
    assert [a.attempt_number for a in stored_attempts(app, learner.id, "suite")] == [1, 2]


def test_simultaneous_certificate_requests_issue_one_certificate(tmp_path, database_url):
    app = certificate_app(tmp_path, ELEARN_DATABASE_URL=database_url)
    learner = add_user(app, "diplome@exemple.fr")
    complete_path(app, learner.id)
    get_engine(app).dispose()

    def job(worker_app, _index: int) -> str:
        with worker_app.app_context(), session_scope() as session:
            key = signing.load_or_create_private_key(Path(worker_app.config["ELEARN_INSTANCE_DIR"]))
            issuer = Issuer(load_path(CERTIFICATE_MODULES, CERTIFICATE_MEDIA), get_library(), key, BASE_URL)
            return issue_certificate(session, session.get(User, learner.id), issuer).code

    codes = run_in_workers(WORKERS, lambda: certificate_app(tmp_path, ELEARN_DATABASE_URL=database_url), job)
    assert len(set(codes)) == 1
    with app.app_context(), session_scope() as session:
        assert [c.code for c in session.exec(select(Certificate))] == codes[:1]
        issued = session.exec(select(AuditEvent).where(AuditEvent.action == "certificate.issued")).all()
        assert len(issued) == 1
    get_engine(app).dispose()
