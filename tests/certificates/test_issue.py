"""Issuing is idempotent and enforced by the database; revocation and reissue are kept in the audit trail."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from elearn import privacy
from elearn.certificates import eligibility, issue
from elearn.certificates.codes import ALPHABET, new_code, normalise_code
from elearn.certificates.errors import CertificateError
from elearn.certificates.issue import (
    certificate_data,
    find_certificate,
    holder_erased,
    issue_certificate,
    reissue_certificate,
    revoke_certificate,
)
from elearn.models import AuditEvent, Certificate


def events(session, action: str) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def test_codes_are_long_random_and_forgiving_to_type():
    code = new_code()
    assert len(code) == 29 and code.count("-") == 4 and all(c in ALPHABET for c in code.replace("-", ""))
    assert new_code() != code
    typed = " " + code.lower().replace("-", " ").replace("0", "o").replace("1", "l") + " "
    assert normalise_code(typed) == code
    assert normalise_code(code[:-1]) is None and normalise_code(code[:-1] + "U") is None


def test_issuing_twice_gives_the_same_certificate(session, finished, issuer):
    first = issue_certificate(session, finished, issuer, actor=finished)
    again = issue_certificate(session, finished, issuer, actor=finished)
    assert again.code == first.code
    assert len(session.exec(select(Certificate)).all()) == 1
    [event] = events(session, "certificate.issued")
    assert event.actor_id == finished.id and event.target == f"user:{finished.id}"
    assert event.details == {"code": first.code, "path_version": "2026.1", "sequence": 1}


def test_issued_certificate_snapshots_the_learner_and_the_path(session, finished, issuer):
    data = certificate_data(issue_certificate(session, finished, issuer))
    assert (data.learner_name, data.learner_profession) == ("Camille Martin", "Infirmière")
    assert data.verification_url == f"https://formation.exemple.fr/verify/{data.code}"
    assert data.signature_image == "signature.svg" and data.registration_number == "84 69 12345 69"
    assert [m.slug for m in data.modules] == ["reperer", "agir"]


def test_not_eligible_says_what_is_missing(session, learner, issuer):
    with pytest.raises(CertificateError, match="Modules restants : « Repérer les discriminations\u00a0: refus de soins et délais », « Agir et orienter »"):
        issue_certificate(session, learner, issuer)


def test_the_database_refuses_a_second_certificate_with_the_same_sequence(session, finished, issuer):
    issued = issue_certificate(session, finished, issuer)
    session.add(Certificate(code=new_code(), user_id=finished.id, path_version=issued.path_version, sequence=1, credential="{}"))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_a_simultaneous_first_issue_returns_the_winner(session, finished, issuer, monkeypatch):
    winner = issue_certificate(session, finished, issuer)
    real = eligibility.certificate_status
    calls = []

    def stale_then_real(*args):  # the first look happens before the other request committed
        calls.append(1)
        status = real(*args)
        return replace(status, certificate=None) if len(calls) == 1 else status

    monkeypatch.setattr(issue, "certificate_status", stale_then_real)
    assert issue_certificate(session, finished, issuer).code == winner.code
    assert len(session.exec(select(Certificate)).all()) == 1


def test_revocation_is_recorded_and_stops_self_service(session, finished, issuer, admin):
    issued = issue_certificate(session, finished, issuer)
    revoke_certificate(session, issued, "  Nom mal orthographié  ", actor=admin)
    assert issued.revoked_at is not None and issued.revoked_reason == "Nom mal orthographié" and issued.revoked_by_id == admin.id
    [event] = events(session, "certificate.revoked")
    assert event.actor_id == admin.id and event.details == {"code": issued.code, "reason": "Nom mal orthographié"}
    with pytest.raises(CertificateError, match="révoquée"):
        issue_certificate(session, finished, issuer)
    with pytest.raises(CertificateError, match="déjà révoquée"):
        revoke_certificate(session, issued, "encore", actor=admin)


def test_revocation_needs_a_reason(session, finished, issuer, admin):
    issued = issue_certificate(session, finished, issuer)
    with pytest.raises(CertificateError, match="motif"):
        revoke_certificate(session, issued, "   ", actor=admin)
    with pytest.raises(CertificateError, match="500 caractères"):
        revoke_certificate(session, issued, "x" * 501, actor=admin)
    assert issued.revoked_at is None


def test_reissue_revokes_and_issues_the_next_sequence_with_current_data(session, finished, issuer, admin):
    old = issue_certificate(session, finished, issuer)
    finished.full_name = "Camille Martin-Durand"
    session.add(finished)
    new = reissue_certificate(session, old, "Changement de nom", issuer, actor=admin)
    assert new.code != old.code and new.sequence == 2 and new.replaces_id == old.id
    assert old.revoked_at is not None and old.revoked_reason == "Changement de nom"
    assert certificate_data(new).learner_name == "Camille Martin-Durand"
    assert certificate_data(old).learner_name == "Camille Martin"
    issued = events(session, "certificate.issued")
    assert issued[-1].details == {"code": new.code, "path_version": "2026.1", "sequence": 2, "replaces": old.code, "reason": "Changement de nom"}
    assert len(events(session, "certificate.revoked")) == 1
    assert issue_certificate(session, finished, issuer).code == new.code  # the learner now gets the new one


def test_reissue_after_revocation_does_not_revoke_twice(session, finished, issuer, admin):
    old = issue_certificate(session, finished, issuer)
    revoke_certificate(session, old, "Erreur", actor=admin)
    new = reissue_certificate(session, old, "Révocation faite par erreur", issuer, actor=admin)
    assert new.sequence == 2 and len(events(session, "certificate.revoked")) == 1


def test_reissue_needs_the_learner_still_eligible(session, finished, issuer, admin):
    old = issue_certificate(session, finished, issuer)
    stricter = replace(issuer, path=replace(issuer.path, required_modules=("reperer", "agir", "bonus")))
    with pytest.raises(CertificateError, match="« Pour aller plus loin »"):
        reissue_certificate(session, old, "motif", stricter, actor=admin)
    assert old.revoked_at is None


def test_a_new_path_version_gives_a_new_certificate_and_keeps_the_old(session, finished, issuer):
    first = issue_certificate(session, finished, issuer)
    second = issue_certificate(session, finished, replace(issuer, path=replace(issuer.path, version="2027.1")))
    assert second.code != first.code and second.sequence == 1 and first.revoked_at is None


def test_find_certificate_forgives_typing(session, finished, issuer):
    issued = issue_certificate(session, finished, issuer)
    assert find_certificate(session, issued.code.lower().replace("-", "")).id == issued.id
    assert find_certificate(session, "pas un code") is None


def test_erasure_takes_the_holder_out_of_their_certificates_which_stay_valid(session, finished, issuer, admin):
    issued = issue_certificate(session, finished, issuer)
    before = certificate_data(issued)
    email = finished.email
    privacy.erase_person(session, finished, actor=admin, confirmation=email)
    session.refresh(issued)
    after = certificate_data(issued)
    assert (after.learner_name, after.learner_profession) == (privacy.ERASED_NAME, "")
    assert "Camille" not in issued.credential and "Infirmière" not in issued.credential
    assert "proof" not in json.loads(issued.credential)  # the signature covered the name: it would fail now
    assert replace(after, learner_name=before.learner_name, learner_profession=before.learner_profession) == before
    assert issued.revoked_at is None and holder_erased(session, issued)
    with pytest.raises(CertificateError, match="effacée à sa demande"):
        issue_certificate(session, finished, issuer)
    with pytest.raises(CertificateError, match="effacée à sa demande"):
        reissue_certificate(session, issued, "Essai", issuer, actor=admin)
    assert len(session.exec(select(Certificate)).all()) == 1


def test_issuing_queues_the_earned_xapi_statement_with_the_certificate(app, session, finished, issuer):
    from elearn.models import OutboxMessage
    from elearn.xapi.sender import statement_context
    from elearn.xapi.statements import render

    certificate = issue_certificate(session, finished, issuer, actor=finished)
    [message] = session.exec(select(OutboxMessage).where(OutboxMessage.key == f"certificate/{finished.id}/{certificate.code}"))
    [text] = render(statement_context(app.config), message, '{"objectType": "Agent"}')
    statement = json.loads(text)
    assert statement["verb"]["id"] == "http://id.tincanapi.com/verb/earned"
    assert statement["object"]["id"] == issuer.verification_url(certificate.code)
