"""The migrations create exactly the schema the models describe, upgrading twice is harmless, and the
history has one head that databases at the old parallel heads reach without losing data."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
import sqlalchemy as sa
from sqlmodel import Session, select

from elearn import migrate
from elearn.accounts import hash_password
from elearn.certificates.credential import (
    CertificateData,
    ModuleRecord,
    dumps,
    redact_holder,
    sign_credential,
    to_credential,
)
from elearn.db import get_engine, make_engine
from elearn.models import Certificate, User, metadata
from elearn.privacy import ERASED_NAME

#: The ``user`` table's columns as the first revisions made them: data written into an old schema must
#: not go through today's model, which may have columns the old schema lacks.
_OLD_USER = sa.table(
    "user", sa.column("id", sa.Integer), sa.column("email", sa.String), sa.column("full_name", sa.String),
    sa.column("profession", sa.String), sa.column("password_hash", sa.String), sa.column("role", sa.String),
    sa.column("is_active", sa.Boolean), sa.column("session_version", sa.Integer), sa.column("created_at", sa.DateTime),
)


def _old_user(engine, email: str, full_name: str) -> int:
    """Insert an account into a database at an old revision; its id."""
    with engine.begin() as connection:
        return connection.execute(
            sa.insert(_OLD_USER).values(
                email=email, full_name=full_name, profession="", password_hash=hash_password("un mot de passe long"),
                role="learner", is_active=True, session_version=1, created_at=datetime(2026, 11, 1, tzinfo=UTC),
            ).returning(_OLD_USER.c.id)
        ).scalar_one()


def test_migrations_match_models(app):
    with get_engine(app).connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert diff == [], f"models and migrations differ; write a migration: {diff}"


def test_upgrade_is_idempotent_and_at_head(app):
    engine = get_engine(app)
    migrate.upgrade(engine)
    assert migrate.current_revisions(engine) == migrate.head_revisions()


#: The three branches written in parallel on top of 0001_initial; databases may be at exactly these.
OLD_HEADS = ("0010_reflection_network", "0020_certificates", "0050_security")


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request, tmp_path):
    """An engine on a database with no table at all: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
        yield engine
        engine.dispose()
        return
    server = request.getfixturevalue("postgres_server")
    name = server.create_database()
    engine = make_engine(server.url(name))
    yield engine
    engine.dispose()
    server.drop_database(name)


def test_history_has_a_single_head():
    """A revision written on an older base opens a second branch: give it the current head as down_revision."""
    heads = ScriptDirectory.from_config(migrate.alembic_config()).get_heads()
    assert len(heads) == 1, f"several migration heads {sorted(heads)}: set the new revision's down_revision to the head"


def test_database_at_the_three_old_heads_reaches_the_single_head_with_its_data(empty_engine):
    for head in OLD_HEADS:
        migrate.upgrade(empty_engine, head)
    assert migrate.current_revisions(empty_engine) == set(OLD_HEADS)
    _old_user(empty_engine, "ancienne@exemple.fr", "Base Ancienne")
    migrate.upgrade(empty_engine)
    assert migrate.current_revisions(empty_engine) == migrate.head_revisions() and len(migrate.head_revisions()) == 1
    with empty_engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []
    with Session(empty_engine) as session:
        assert session.exec(select(User.full_name)).all() == ["Base Ancienne"]


def test_empty_database_reaches_the_single_head(empty_engine):
    migrate.upgrade(empty_engine)
    assert migrate.current_revisions(empty_engine) == migrate.head_revisions() and len(migrate.head_revisions()) == 1


def _signed_credential(code: str, name: str) -> str:
    """A credential as elearn stores it: signed, naming its holder."""
    moment = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
    data = CertificateData(
        code=code, verification_url=f"https://formation.exemple.fr/verify/{code}", issued_at=moment,
        learner_name=name, learner_profession="Infirmière", path_title="Prévenir les discriminations",
        path_version="2026.1", objectives=("Repérer",), modules=(ModuleRecord("reperer", "Repérer", 45, moment, 87.5),),
        nominal_minutes=45, active_seconds=5610, first_activity_at=moment, last_activity_at=moment,
        organisation_name="Association Santé Égalité", organisation_address="12 rue de la République\n69002 Lyon",
        registration_number="84 69 12345 69", signatory_name="Dominique Lefèvre", signatory_role="directrice",
        signature_image=None,
    )
    return dumps(sign_credential(to_credential(data, "https://formation.exemple.fr"), Ed25519PrivateKey.generate(), moment))


def test_certificates_of_accounts_erased_before_lose_the_holder_name(empty_engine):
    """Accounts erased before erasure reached certificates (447c2ac) kept their name in the credential."""
    erased_code, kept_code = "ERASD-00000-00000-00000-00000", "KEPT0-00000-00000-00000-00000"
    migrate.upgrade(empty_engine, "0060_merge_heads")
    erased = _old_user(empty_engine, "camille@exemple.fr", "Camille Martin")
    kept = _old_user(empty_engine, "dominique@exemple.fr", "Dominique Petit")
    with Session(empty_engine) as session:
        for code, user_id, name in ((erased_code, erased, "Camille Martin"), (kept_code, kept, "Dominique Petit")):
            credential = _signed_credential(code, name)
            session.add(Certificate(code=code, user_id=user_id, path_version="2026.1", credential=credential))
        session.commit()
        before = {c.code: c.credential for c in session.exec(select(Certificate))}
    # What erase_person did before 447c2ac: the account anonymised, its certificates untouched.
    with empty_engine.begin() as connection:
        connection.execute(
            sa.update(_OLD_USER).where(_OLD_USER.c.id == erased)
            .values(email=f"anonyme-{erased}@efface.invalid", full_name=ERASED_NAME, profession="")
        )

    migrate.upgrade(empty_engine)

    with Session(empty_engine) as session:
        after = {c.code: c.credential for c in session.exec(select(Certificate))}
    scrubbed = json.loads(after[erased_code])
    assert "Camille" not in after[erased_code] and "Infirmière" not in after[erased_code]
    assert scrubbed["credentialSubject"]["identifier"][0]["identityHash"] == ERASED_NAME and "proof" not in scrubbed
    assert scrubbed == redact_holder(json.loads(before[erased_code]), ERASED_NAME)  # every other fact kept
    assert after[kept_code] == before[kept_code]  # a live account keeps its name and signature
