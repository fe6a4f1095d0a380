"""``elearn certificates check|issue|revoke|key``: the same functions as the pages, from a terminal."""

from __future__ import annotations

import json

from sqlmodel import select

from elearn.cli import main
from elearn.cli.certificates import certificates
from elearn.db import session_scope
from elearn.models import AuditEvent, Certificate
from tests.certificates.support import certificate_app


def test_commands_are_on_the_elearn_group():
    assert {"verify-cert", "certificates"} <= set(main.commands)


def test_check_accepts_the_fixture_path(runner):
    result = runner.invoke(certificates, ["check"])
    assert result.exit_code == 0
    assert result.output == "parcours.yml valide : « Prévenir les discriminations dans l'accès aux soins », version 2026.1, 2 module(s) obligatoire(s).\n"


def test_check_reports_a_missing_file(tmp_path):
    app = certificate_app(tmp_path, ELEARN_MODULES_DIR=str(tmp_path))
    result = app.test_cli_runner().invoke(certificates, ["check"])
    assert result.exit_code == 1 and "Pas de parcours.yml" in result.output


def test_issue_then_revoke(app, runner, finished):
    issued = runner.invoke(certificates, ["issue", finished.email])
    assert issued.exit_code == 0, issued.output
    code, url = issued.output.split()
    assert url == f"https://formation.exemple.fr/verify/{code}"
    assert runner.invoke(certificates, ["issue", finished.email]).output.split()[0] == code  # idempotent
    revoked = runner.invoke(certificates, ["revoke", code.lower(), "--reason", "Doublon"])
    assert revoked.exit_code == 0 and revoked.output == f"Attestation {code} révoquée.\n"
    with app.app_context(), session_scope() as session:
        assert session.exec(select(Certificate)).one().revoked_reason == "Doublon"
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "certificate.revoked")).one()
        assert event.actor_id is None and event.details["reason"] == "Doublon"


def test_issue_explains_what_is_missing(runner, learner):
    result = runner.invoke(certificates, ["issue", learner.email])
    assert result.exit_code == 1 and "Modules restants" in result.output


def test_key_prints_the_published_document(runner):
    document = json.loads(runner.invoke(certificates, ["key"]).output)
    assert document["type"] == "Multikey" and document["publicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")
