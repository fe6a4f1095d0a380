"""PostgreSQL transactions begin at the first statement that needs one (elearn.db), and stay whole.

Reads go out on their own; a write, a row lock or a streamed read opens the transaction, which then
holds everything up to the commit or rollback, as before.
"""

from __future__ import annotations

import psycopg
import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from elearn import db
from elearn.models import Role, User
from elearn.models.base import utcnow
from elearn.reporting.records import BATCH_SIZE
from tests.pgserver import ONLY_POSTGRESQL


def in_transaction(session: Session) -> bool:
    driver = session.connection().connection.driver_connection
    return driver.info.transaction_status != TransactionStatus.IDLE


def add_user(session: Session, email: str) -> None:
    session.add(User(email=email, full_name="Une personne", password_hash="x"))
    session.flush()


def users(app) -> set[str]:  # noqa: ANN001
    with app.app_context(), db.session_scope() as session:
        return set(session.execute(select(User.email)).scalars())


@ONLY_POSTGRESQL
def test_reads_run_on_their_own_and_the_first_write_opens_the_transaction(app):
    with app.app_context():
        session = Session(db.get_engine())
        try:
            session.execute(select(User.id)).all()
            assert not in_transaction(session)
            add_user(session, "un@exemple.fr")
            assert in_transaction(session)
            session.execute(select(User.id)).all()  # a read after a write belongs to the transaction
            assert in_transaction(session)
            add_user(session, "deux@exemple.fr")
            session.rollback()
            assert not in_transaction(session)
        finally:
            session.close()
    assert users(app) == set()  # both writes undone together


@ONLY_POSTGRESQL
def test_a_failed_write_undoes_the_writes_before_it(app):
    with pytest.raises(IntegrityError), app.app_context(), db.session_scope() as session:
        session.execute(select(User.id)).all()
        add_user(session, "un@exemple.fr")
        add_user(session, "un@exemple.fr")
    assert users(app) == set()


@ONLY_POSTGRESQL
def test_a_row_lock_opens_the_transaction_and_holds_until_its_end(app, postgres_server):
    with app.app_context():
        with db.session_scope() as session:
            add_user(session, "un@exemple.fr")
        session = Session(db.get_engine())
        try:
            session.execute(select(User.id).with_for_update()).all()
            assert in_transaction(session)
            name = app.config["ELEARN_DATABASE_URL"].rsplit("/", 1)[1]
            with psycopg.connect(postgres_server.conninfo(name), autocommit=True) as other:
                with pytest.raises(psycopg.errors.LockNotAvailable):
                    other.execute('SELECT id FROM "user" FOR UPDATE NOWAIT')
        finally:
            session.close()


@ONLY_POSTGRESQL
def test_a_streamed_read_runs_in_a_transaction(app):
    """A server-side cursor (yield_per: the exports) exists only inside a transaction."""
    with app.app_context():
        with db.session_scope() as session:
            for n in range(3):
                add_user(session, f"u{n}@exemple.fr")
        with db.session_scope() as session:
            rows = session.connection().execute(select(User.__table__.c.email), execution_options={"yield_per": BATCH_SIZE})  # type: ignore[attr-defined]
            assert in_transaction(session)
            assert sorted(row.email for row in rows) == ["u0@exemple.fr", "u1@exemple.fr", "u2@exemple.fr"]


@ONLY_POSTGRESQL
def test_a_statement_marked_as_the_only_write_commits_on_its_own(app):
    with app.app_context():
        session = Session(db.get_engine())
        try:
            session.connection().execute(
                insert(User.__table__).values(email="seul@exemple.fr", full_name="Seul", password_hash="x", role=Role.LEARNER.value,  # type: ignore[attr-defined]
                                              is_active=True, session_version=1, profession="", created_at=utcnow()),
                execution_options={db.ONLY_WRITE: True},
            )
            assert not in_transaction(session)
        finally:
            session.close()  # no commit: the statement committed itself
    assert users(app) == {"seul@exemple.fr"}


@ONLY_POSTGRESQL
def test_a_connection_put_in_autocommit_stays_out_of_transactions(app):
    """What must run outside any transaction still can (SQLAlchemy's AUTOCOMMIT isolation level)."""
    with app.app_context(), db.get_engine().connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        connection.execute(text('CREATE INDEX CONCURRENTLY ix_user_full_name_test ON "user" (full_name)'))
        assert connection.connection.driver_connection.info.transaction_status == TransactionStatus.IDLE
        connection.execute(text("DROP INDEX CONCURRENTLY ix_user_full_name_test"))


@pytest.mark.parametrize(("statement", "needs"), [
    ("SELECT id FROM module", False),
    ("  select 1", False),
    ("SHOW transaction_isolation", False),
    ("SELECT id FROM module WHERE id = 1 FOR UPDATE", True),
    ("SELECT id FROM module FOR NO KEY UPDATE SKIP LOCKED", True),
    ("SELECT id FROM module FOR SHARE", True),
    ("SELECT pg_advisory_xact_lock(1)", True),
    ("SELECT nextval('module_id_seq')", True),
    ("INSERT INTO module (id) VALUES (1)", True),
    ("UPDATE module SET id = 2", True),
    ("DELETE FROM module", True),
    ("WITH moved AS (UPDATE clock SET at = 1 RETURNING id) INSERT INTO t SELECT id FROM moved", True),
    ("SAVEPOINT sa_savepoint_1", True),
    ("CREATE TABLE t (id int)", True),
])
def test_what_needs_a_transaction(statement, needs):
    assert db.needs_transaction(statement) is needs


@ONLY_POSTGRESQL
def test_the_database_still_answers_text_reads(app):
    with app.app_context(), db.session_scope() as session:
        assert session.connection().execute(text("SELECT 1")).scalar() == 1
        assert not in_transaction(session)
