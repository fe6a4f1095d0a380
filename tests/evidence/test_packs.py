"""Evidence packs: what they hold, their signed manifest, who downloaded them, the CLI, and tampering."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlmodel import select

from elearn import groups
from elearn.cli.evidence import evidence, verify_evidence
from elearn.db import get_engine, session_scope
from elearn.models import AuditEvent, QuizAttempt, Role, User
from tests.certificates.support import certificate_app, complete_path
from tests.conftest import AuthActions, add_user

LEARNER_FILES = {"apprenant.csv", "releve-de-connexion.csv", "temps-actif-par-jour.csv", "tentatives-quiz.csv", "modules.csv"}


@pytest.fixture
def app(tmp_path):
    app = certificate_app(tmp_path)
    yield app
    get_engine(app).dispose()


@pytest.fixture
def finished(app):
    """A learner of the group « Service des urgences » who completed the path and took a quiz twice."""
    user = add_user(app, "apprenant@exemple.fr", Role.LEARNER, "Léa N'Diaye", profession="Infirmière")
    complete_path(app, user.id)
    with app.app_context(), session_scope() as session:
        group = groups.create_group(session, "Service des urgences", actor=None)
        groups.assign_group(session, session.get(User, user.id), group.id, actor=None)
        for number, (percent, passed) in enumerate(((50.0, False), (87.5, True)), start=1):
            session.add(QuizAttempt(user_id=user.id, module_slug="reperer", quiz_id="quiz-reperer", attempt_number=number,
                                    content_hash="abc123", submitted_at=datetime(2026, 11, 2, 10, number, tzinfo=UTC),
                                    points=percent / 12.5, max_points=8, percent=percent, passed=passed))
    return user


def rows(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig")), delimiter=";"))


def events(app) -> list[AuditEvent]:
    with app.app_context(), session_scope() as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.action == "evidence.downloaded")))


def test_a_learner_downloads_their_own_pack_with_their_signed_documents(app, client, finished, tmp_path):
    AuthActions(client).login(finished.email)
    client.post("/attestation")
    response = client.get("/progression/dossier-de-preuves.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip" and response.is_streamed
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = set(archive.namelist())
    [code] = [n.removeprefix("attestation-").removesuffix(".pdf") for n in names if n.startswith("attestation-")]
    assert names == LEARNER_FILES | {"LISEZMOI.txt", "manifest.json", f"attestation-{code}.pdf", f"certificat-realisation-{code}.pdf"}
    assert archive.read(f"attestation-{code}.pdf") == client.get(f"/attestation/{code}.pdf").data  # the very file issued
    assert [(r["score (%)"], r["réussi"]) for r in rows(archive, "tentatives-quiz.csv")] == [("50.0", "non"), ("87.5", "oui")]
    log = rows(archive, "releve-de-connexion.csv")
    assert (log[0]["jour"], log[0]["début d'activité"], log[0]["temps actif (secondes)"]) == ("2026-11-01", "2026-11-01T09:00:00+01:00", "2400")
    assert {r["module"]: r["terminé le"] for r in rows(archive, "modules.csv")}["agir"] == "2026-11-20T17:00:00+01:00"
    readme = archive.read("LISEZMOI.txt").decode("utf-8")
    assert "Léa N'Diaye" in readme and "releve-de-connexion.csv : le relevé de connexion" in readme
    manifest = json.loads(archive.read("manifest.json"))
    assert {entry["path"] for entry in manifest["files"]} == names - {"manifest.json"}
    assert manifest["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    [event] = events(app)
    assert (event.actor_id, event.target) == (finished.id, f"user:{finished.id}")
    saved = tmp_path / "pack.zip"
    saved.write_bytes(response.data)
    assert verify(app, saved) == (0, f"OK : Dossier de preuves intact : manifeste signé par l'organisme, {len(names) - 1} fichier(s) conformes.\n")


def verify(app, file) -> tuple[int, str]:  # noqa: ANN001
    result = CliRunner().invoke(verify_evidence, [str(file)], obj=ScriptInfo(create_app=lambda: app))
    return result.exit_code, result.output


def test_the_administrator_gets_a_learners_pack_and_the_download_is_audited(app, client, admin, finished):
    AuthActions(client).login(admin.email)
    assert "Dossier de preuves (ZIP)" in client.get(f"/admin/learners/{finished.id}").get_data(as_text=True)
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/admin/learners/{finished.id}/evidence.zip").data))
    assert LEARNER_FILES <= set(archive.namelist())
    [event] = events(app)
    assert (event.actor_id, event.target) == (admin.id, f"user:{finished.id}")


def test_a_group_pack_has_a_folder_per_learner_and_a_summary(app, client, admin, finished):
    add_user(app, "autre@exemple.fr", Role.LEARNER, "Dominique Petit")  # not in the group, no activity
    AuthActions(client).login(admin.email)
    exports = client.get("/admin/exports", query_string={"group": "Service des urgences", "from": "2026-11-01", "to": "2026-11-30"})
    assert "/admin/evidence.zip?" in exports.get_data(as_text=True) and "group=Service" in exports.get_data(as_text=True)
    response = client.get("/admin/evidence.zip", query_string={"group": "Service des urgences", "from": "2026-11-01", "to": "2026-11-30"})
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert {name.split("/")[0] for name in archive.namelist() if "/" in name} == {"0001-lea-n-diaye"}
    [line] = rows(archive, "synthese.csv")
    assert (line["nom"], line["groupe"], line["modules terminés"], line["temps actif (minutes)"]) == (
        "Léa N'Diaye", "Service des urgences", "2", "153.5"
    )
    [event] = events(app)
    assert event.target == "group:Service des urgences" and event.details["learners"] == 1 and event.details["du"] == "2026-11-01"
    assert client.get("/admin/evidence.zip", query_string={"group": "Inconnu"}).status_code == 302


def test_the_cli_writes_a_pack_and_verify_evidence_catches_a_changed_file(app, finished, tmp_path):
    output = tmp_path / "groupe.zip"
    result = CliRunner().invoke(evidence, ["--group", "Service des urgences", "-o", str(output)], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0 and "1 apprenant·e(s)" in result.output, result.output
    assert verify(app, output)[0] == 0
    tampered = tmp_path / "modifie.zip"
    with zipfile.ZipFile(output) as source, zipfile.ZipFile(tampered, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.endswith("tentatives-quiz.csv"):
                content = content.replace(b"50.0", b"90.0")
            target.writestr(item, content)
    status, output_text = verify(app, tampered)
    assert status == 1
    assert "fichier modifié depuis la constitution du dossier : 0001-lea-n-diaye/tentatives-quiz.csv" in output_text
    [event] = events(app)
    assert event.details["via"] == "cli" and event.actor_id is None


def test_the_cli_needs_an_email_or_a_group_or_a_period(app, tmp_path):
    result = CliRunner().invoke(evidence, ["-o", str(tmp_path / "x.zip")], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 2 and "Indiquez soit une adresse e-mail" in result.output
