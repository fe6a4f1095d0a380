"""RGPD: a person's data file, and erasure that anonymises yet keeps the statistics."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from elearn import accounts, privacy
from elearn.models import AuditEvent, ReflectionAnswer, Role, User
from elearn.reporting.filters import ReportFilters
from elearn.reporting.queries import dashboard
from tests.reporting.seed import CATALOG, user


@pytest.fixture
def admin_user(session):
    admin_id = user(session, "chef@exemple.fr", "Chef Admin", role=Role.ADMIN)
    return session.get(User, admin_id)


def test_personal_data_holds_the_account_and_the_training_record(session, seeded, admin_user):
    elodie = session.get(User, seeded.elodie)
    data = privacy.personal_data(session, elodie)
    assert data["account"]["full_name"] == "Élodie Marchand" and "password_hash" not in data["account"]
    assert {m["module_slug"] for m in data["modules"]} == {"premiers-pas", "suite"}
    assert len(data["quiz_attempts"]) == 2 and len(data["active_time"]) == 3
    assert data["certificates"] == [{"code": "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE", "issued_at": "2026-03-10T09:31:00+00:00", "revoked_at": None}]
    privacy.record_data_export(session, elodie, actor=admin_user)
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "account.data_exported")).one().target == f"user:{elodie.id}"


def test_erasure_needs_the_email_typed_again(session, seeded, admin_user):
    elodie = session.get(User, seeded.elodie)
    with pytest.raises(accounts.AccountError):
        privacy.erase_person(session, elodie, actor=admin_user, confirmation="quelqu.un@exemple.fr")
    assert elodie.full_name == "Élodie Marchand"


def test_erasure_anonymises_but_keeps_anonymous_statistics(session, seeded, admin_user):
    march = ReportFilters(date(2026, 3, 1), date(2026, 3, 31))
    before = dashboard(session, march, CATALOG)
    elodie = session.get(User, seeded.elodie)
    session.add(ReflectionAnswer(user_id=elodie.id, module_slug="premiers-pas", reflection_id="r1", text="Mon vécu"))
    session.commit()
    version = elodie.session_version
    privacy.erase_person(session, elodie, actor=admin_user, confirmation=" Elodie.Marchand@exemple.fr ")
    session.refresh(elodie)
    assert elodie.full_name == privacy.ERASED_NAME and elodie.profession == ""
    assert elodie.email.endswith("@efface.invalid") and not elodie.is_active
    assert elodie.session_version == version + 1
    assert accounts.authenticate(session, "elodie.marchand@exemple.fr", "x") is None
    assert not accounts.verify_password(elodie.password_hash, "")
    assert session.exec(select(ReflectionAnswer).where(ReflectionAnswer.user_id == elodie.id)).all() == []
    after = dashboard(session, march, CATALOG)
    assert after.modules == before.modules and after.completions == before.completions
    assert after.learner_accounts == before.learner_accounts - 1
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "account.erased")).one()
    assert event.actor_id == admin_user.id and "Élodie" not in str(event.details)
    with pytest.raises(accounts.AccountError):
        privacy.erase_person(session, elodie, actor=admin_user, confirmation=elodie.email)


def test_an_administrator_cannot_erase_themself(session, admin_user):
    with pytest.raises(accounts.AccountError):
        privacy.erase_person(session, admin_user, actor=admin_user, confirmation=admin_user.email)
