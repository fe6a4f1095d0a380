"""How much database work the learner's busiest requests do: SQL statements and commits per request.

These are regression bounds on work, not timings: the section page, the catalog and quiz submission
are what every learner sends all day (see docs/performance.md), and an extra query per module or a
write on every view is what made them slow.
"""

from __future__ import annotations

import html
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import event
from sqlmodel import select

from elearn.db import get_engine, session_scope
from elearn.models import ActiveTime, ActivityClock, ModuleProgress, QuizAttempt, SectionProgress
from elearn.models.outbox import OutboxMessage
from tests.conftest import add_active_seconds, open_module

SECTION = "/modules/premiers-pas/accueil"
QUIZ_SECTION = "/modules/premiers-pas/verifier-ses-acquis"
QUIZ = "/modules/premiers-pas/quiz/verifier-ses-acquis-quiz-1"
RIGHT = {"q1": "c1", "q2": ["c1", "c2"]}
#: The user (one primary-key get), who sees which module (one query, elearn.visibility), then the
#: learner's module states (one query for all modules: elearn.learning.progress._STATES_OF).
READ_STATEMENTS = 3


@dataclass
class Work:
    statements: list[str] = field(default_factory=list)
    commits: int = 0
    #: For each statement: whether the driver's connection was inside a transaction once it had run.
    in_transaction: list[bool] = field(default_factory=list)

    @property
    def writes(self) -> list[str]:
        return [s for s in self.statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
                or s.lstrip().upper().startswith("WITH") and ("INSERT INTO" in s or "UPDATE " in s)]  # a writing CTE


@contextmanager
def database_work(app) -> Iterator[Work]:  # noqa: ANN001
    """The statements and commits the application's engine sends inside the block."""
    work = Work()
    engine = get_engine(app)

    def on_statement(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        work.statements.append(statement)

    def on_commit(_conn) -> None:  # noqa: ANN001
        work.commits += 1

    def after_statement(_conn, cursor, *_args) -> None:  # noqa: ANN001
        driver = cursor.connection
        work.in_transaction.append(
            driver.in_transaction if isinstance(driver, sqlite3.Connection) else driver.info.transaction_status != TransactionStatus.IDLE
        )

    event.listen(engine, "before_cursor_execute", on_statement)
    event.listen(engine, "after_cursor_execute", after_statement)
    event.listen(engine, "commit", on_commit)
    try:
        yield work
    finally:
        event.remove(engine, "before_cursor_execute", on_statement)
        event.remove(engine, "after_cursor_execute", after_statement)
        event.remove(engine, "commit", on_commit)


@pytest.fixture
def reader(client, auth, learner):
    auth.login(learner.email)
    return client


def test_viewing_the_current_section_again_writes_nothing(app, reader):
    assert reader.get(SECTION).status_code == 200
    with database_work(app) as work:
        assert reader.get(SECTION).status_code == 200
    assert work.writes == [] and work.commits == 0
    assert len(work.statements) <= READ_STATEMENTS


def test_the_first_view_of_a_section_records_the_position(app, reader):
    with database_work(app) as work:
        reader.get(SECTION)
    assert work.commits == 1
    with app.app_context(), session_scope() as session:
        assert session.exec(select(ModuleProgress)).one().last_section_id == "accueil"


def write_span(work: Work) -> tuple[int, int]:
    """The positions of the first and the last writing statement."""
    writing = [n for n, statement in enumerate(work.statements) if statement in work.writes]
    return writing[0], writing[-1]


def postgresql(app) -> bool:  # noqa: ANN001
    return app.config["ELEARN_DATABASE_URL"].startswith("postgresql")


def test_pages_that_only_read_open_no_transaction_on_postgresql(app, reader):
    """Reads go out on their own (elearn.db): no BEGIN before them, no ROLLBACK after, on every page."""
    reader.get(SECTION)
    with database_work(app) as work:
        assert reader.get(SECTION).status_code == 200
        assert reader.get("/modules").status_code == 200
    assert len(work.in_transaction) == len(work.statements) > 2
    # SQLite's own driver never opened one for a read (it begins before the first INSERT, UPDATE or DELETE)
    assert not any(work.in_transaction)


def test_moving_on_in_a_module_records_the_visit_in_one_statement_on_postgresql(app, reader, learner):
    """The section's row, the module's position and the day's time row: one statement, the request's only
    write, so it runs on its own (no BEGIN, no COMMIT); the first view of a module also queues its launch,
    in the same transaction."""
    with database_work(app) as first:
        assert reader.get(SECTION).status_code == 200
    first_write, last_write = write_span(first)
    assert all(first.in_transaction[first_write:last_write + 1])
    assert any("INSERT INTO outbox_message" in statement for statement in first.writes)
    with database_work(app) as work:
        assert reader.get("/modules/premiers-pas/notions").status_code == 200
    assert len(work.writes) == (1 if postgresql(app) else 3) and work.commits == 1
    if postgresql(app):
        assert not any(work.in_transaction)
    with app.app_context(), session_scope() as session:
        assert session.exec(select(ModuleProgress)).one().last_section_id == "notions"
        visited = {row.section_id for row in session.exec(select(SectionProgress)).all()}
        assert visited == {"accueil", "notions"}
        assert {row.section_id: row.seconds for row in session.exec(select(ActiveTime)).all()} == {"accueil": 0, "notions": 0}


def test_section_with_a_quiz_needs_no_query_per_quiz(app, reader):
    reader.get(QUIZ_SECTION)
    with database_work(app) as work:
        page = reader.get(QUIZ_SECTION).get_data(as_text=True)
    assert 'name="tentative" value="1"' in page
    assert len(work.statements) <= READ_STATEMENTS


def test_catalog_reads_the_states_once(app, reader):
    with database_work(app) as work:
        assert reader.get("/modules").status_code == 200
    assert work.writes == [] and work.commits == 0
    assert len(work.statements) <= READ_STATEMENTS + 1  # + the learner's certificates when a path is configured


def test_quiz_submission_is_one_insert_and_one_commit(app, reader):
    """The attempt and its xAPI outbox message, in one transaction; the LMS gradebook links are read."""
    reader.get(QUIZ_SECTION)
    with database_work(app) as work:
        response = reader.post(QUIZ, data={**RIGHT, "tentative": 1})
    assert response.status_code == 302 and response.headers["Location"].endswith("/tentative/1")
    assert sorted(w.split(" (")[0] for w in work.writes) == ["INSERT INTO outbox_message", "INSERT INTO quizattempt"]
    assert work.commits == 1
    # the reads on their own, then one transaction from the first insert to the commit
    first, last = write_span(work)
    assert not any(work.in_transaction[:first]) and all(work.in_transaction[first:last + 1])
    assert len(work.statements) <= READ_STATEMENTS + 3  # + the two inserts, + the gradebook links


def test_a_quiz_that_completes_the_module_on_its_first_visit_completes_it_once(app, reader):
    for section in ("accueil", "notions", "verifier-ses-acquis"):  # read without opening the pages
        reader.post(f"/modules/premiers-pas/{section}/suivant")
    assert reader.post(QUIZ, data={**RIGHT, "tentative": 1}).status_code == 302
    with app.app_context(), session_scope() as session:
        progress = session.exec(select(ModuleProgress)).one()
        assert progress.completed_at is not None and progress.completion_score == 100.0
        assert progress.last_section_id == "verifier-ses-acquis"
        assert len(session.exec(select(QuizAttempt)).all()) == 1


def test_pages_that_show_time_on_task_read_it(app, reader, learner):
    open_module(app, learner.id, "premiers-pas")
    assert reader.post("/activite", json={"module": "premiers-pas", "section": "accueil", "seconds": 15}).get_json() == {"credited": 15}
    add_active_seconds(app, learner.id, 3600)  # 1 h 00 min 15 s: a figure no page shows by default
    assert "Temps actif : 1 h 00 min" in html.unescape(reader.get("/modules/premiers-pas").get_data(as_text=True))
    assert "1 h 00 min" in html.unescape(reader.get("/progression").get_data(as_text=True))


def test_a_heartbeat_that_reads_one_section_of_several_left_does_not_read_the_states(app, reader, learner):
    """The completion check (the learner's states, reflections) runs only once every section is read."""
    open_module(app, learner.id, "premiers-pas")  # an hour ago: the heartbeat may credit its 30 s
    reader.get("/modules/premiers-pas/accueil")
    with database_work(app) as work:
        reply = reader.post("/activite", json={"module": "premiers-pas", "section": "accueil", "seconds": 30})
    assert reply.get_json() == {"credited": 30}
    assert any("UPDATE sectionprogress" in w for w in work.writes)  # read by its active time
    assert not [s for s in work.statements if "FROM quizattempt" in s]  # the states were not read
    assert work.commits == 1


def start_clock(app, user_id: int) -> None:  # noqa: ANN001
    """The learner's time was last credited an hour ago (the clock row exists: no first-credit insert)."""
    with app.app_context(), session_scope() as session:
        session.add(ActivityClock(user_id=user_id, credited_until=datetime.now(UTC) - timedelta(hours=1)))


def test_a_heartbeat_on_a_read_section_credits_in_one_statement_without_a_transaction(app, reader, learner):
    """PostgreSQL: the clock and the time row are one statement, the heartbeat's only write, so it runs
    on its own (elearn.db.ONLY_WRITE): no BEGIN, no COMMIT."""
    open_module(app, learner.id, "premiers-pas")
    start_clock(app, learner.id)
    reader.post("/modules/premiers-pas/accueil/suivant")  # read: the heartbeat will not mark it
    with database_work(app) as work:
        reply = reader.post("/activite", json={"module": "premiers-pas", "section": "accueil", "seconds": 30})
    assert reply.get_json() == {"credited": 30}
    assert len(work.writes) == (1 if postgresql(app) else 2)
    if postgresql(app):
        assert not any(work.in_transaction)
    with app.app_context(), session_scope() as session:
        assert sum(row.seconds for row in session.exec(select(ActiveTime)).all()) == 30


def test_a_heartbeat_that_marks_a_section_read_writes_in_one_transaction(app, reader, learner):
    """The credit, the section marked read and its xAPI message commit together, or not at all: on
    PostgreSQL they are one statement, which runs on its own (no BEGIN, no COMMIT); on SQLite one
    transaction."""
    open_module(app, learner.id, "premiers-pas")
    start_clock(app, learner.id)
    reader.get("/modules/premiers-pas/accueil")
    with database_work(app) as work:
        reply = reader.post("/activite", json={"module": "premiers-pas", "section": "accueil", "seconds": 30})
    assert reply.get_json() == {"credited": 30}
    if postgresql(app):
        assert len(work.writes) == 1 and not any(work.in_transaction)
        assert len(work.statements) == 3  # the heartbeat's read, its writes, the module's read sections
    else:
        assert len(work.writes) >= 3  # the credit, the section, its xAPI message
        first, last = write_span(work)
        assert not any(work.in_transaction[:first]) and all(work.in_transaction[first:last + 1]) and work.commits == 1
    with app.app_context(), session_scope() as session:
        assert session.exec(select(SectionProgress.read_at).where(SectionProgress.section_id == "accueil")).one() is not None
        assert sum(row.seconds for row in session.exec(select(ActiveTime)).all()) == 30
        keys = session.exec(select(OutboxMessage.key).where(OutboxMessage.key.startswith("section/"))).all()
        assert keys == [f"section/{learner.id}/premiers-pas/accueil"]


def test_moving_on_from_a_section_already_read_writes_nothing(app, reader, learner):
    """Readers reach « Suivante » after the heartbeats' 30 seconds have marked the section: one read
    answers, and no transaction is opened."""
    reader.get(SECTION)
    assert reader.post("/modules/premiers-pas/accueil/suivant").status_code == 302  # marks it read
    with database_work(app) as work:
        moved = reader.post("/modules/premiers-pas/accueil/suivant")
    assert moved.status_code == 302 and moved.headers["Location"].endswith("/modules/premiers-pas/notions")
    assert work.writes == [] and not any(work.in_transaction)
    assert len(work.statements) <= 3  # the learner, who sees which module, then the module's read sections
    with app.app_context(), session_scope() as session:
        read = session.exec(select(SectionProgress).where(SectionProgress.read_at.is_not(None))).all()
        assert [row.section_id for row in read] == ["accueil"]

