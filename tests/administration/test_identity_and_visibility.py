"""Correcting a name printed on a certificate, learners' changes awaiting approval, the administrator's
own access, and who sees which module."""

from __future__ import annotations

import io
import re

import openpyxl
from sqlmodel import select

from elearn import groups, identity
from elearn.certificates.issue import certificate_data
from elearn.cli.content import new_module_command
from elearn.db import session_scope
from elearn.models import AuditEvent, Certificate, ModuleVisibility, Role, User
from elearn.visibility import Audience, set_visibility
from tests.certificates.support import complete_path, obtain_certificate
from tests.conftest import PASSWORD, AuthActions, add_user, open_module


def _certified(app, client) -> tuple[User, str]:
    """A learner who completed the path and obtained the certificate herself."""
    learner = add_user(app, "lea@exemple.fr", Role.LEARNER, "Lea Nguyen", profession="Infirmière")
    complete_path(app, learner.id)
    learner_client = app.test_client()
    AuthActions(learner_client).login("lea@exemple.fr")
    return learner, obtain_certificate(learner_client)


def test_a_name_corrected_after_a_certificate_leads_to_the_reissue_and_the_old_code_reads_replaced(app, client, as_admin):
    learner, code = _certified(app, client)
    response = client.post(f"/admin/users/{learner.id}/identity",
                           data={"full_name": "Léa Nguyen", "email": "lea@exemple.fr", "profession": "Infirmière"})
    assert response.status_code == 302 and f"/admin/certificates/{code}?motif=correction" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "identité de la personne titulaire." in page  # the reason is written already
    reissued = client.post(f"/admin/certificates/{code}/reissue", data={"reissue-reason": "Correction du nom."})
    new_code = reissued.headers["Location"].rsplit("/", 1)[1]
    verify_old = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "Remplacée" in verify_old and new_code in verify_old
    assert "Léa Nguyen" in client.get(f"/verify/{new_code}").get_data(as_text=True)
    with app.app_context(), session_scope() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "account.identity_corrected")).one()
    assert event.details["full_name"] == "Lea Nguyen → Léa Nguyen" and event.details["certificate"] == code


def test_a_correction_refused_keeps_what_was_typed(app, client, as_admin):
    learner = add_user(app, "lea@exemple.fr", full_name="Léa Nguyen")
    add_user(app, "pris@exemple.fr", full_name="Autre")
    response = client.post(f"/admin/users/{learner.id}/identity", data={"full_name": "Léa N.", "email": "pris@exemple.fr", "profession": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Un autre compte utilise déjà cette adresse e-mail." in html and 'value="Léa N."' in html


def test_a_learner_change_after_a_certificate_waits_for_an_administrator(app, client, as_admin):
    learner, _code = _certified(app, client)
    with app.app_context(), session_scope() as session:
        user = session.get(User, learner.id)
        request = identity.submit_own_identity(session, user, "Léa Nguyen-Roux", "lea@exemple.fr", "Infirmière")
        assert request is not None and session.get(User, learner.id).full_name == "Lea Nguyen"  # not yet
    html = client.get("/admin/users").get_data(as_text=True)
    assert "identité à approuver" in html and "Léa Nguyen-Roux" in html
    response = client.post(f"/admin/identity-requests/{request.id}/approve")
    assert "/admin/certificates/" in response.headers["Location"]  # on to the reissue
    with app.app_context(), session_scope() as session:
        assert session.get(User, learner.id).full_name == "Léa Nguyen-Roux"
    assert client.post(f"/admin/identity-requests/{request.id}/reject").status_code == 302  # already decided: said, not a 500


def test_a_learner_change_without_a_certificate_is_applied_at_once(app):
    learner = add_user(app, "lea@exemple.fr", full_name="Lea Nguyen")
    with app.app_context(), session_scope() as session:
        assert identity.submit_own_identity(session, session.get(User, learner.id), "Léa Nguyen", "lea@exemple.fr", "") is None
        assert session.get(User, learner.id).full_name == "Léa Nguyen"


def test_the_administrator_changes_their_own_email_and_password(app, client, as_admin):
    wrong = client.post("/admin/me", data={"email": "moi@exemple.fr", "current_password": "pas le bon"})
    assert wrong.status_code == 400 and "Mot de passe actuel incorrect." in wrong.get_data(as_text=True)
    new_password = "une phrase de passe neuve"
    done = client.post("/admin/me", data={"email": "moi@exemple.fr", "new_password": new_password,
                                           "confirm_password": new_password, "current_password": PASSWORD})
    assert done.status_code == 302 and client.get("/admin/users").status_code == 200  # still logged in here
    other = app.test_client()
    assert AuthActions(other).login("admin@exemple.fr").headers.get("Location") is None  # old address refused
    assert AuthActions(other).login("moi@exemple.fr", new_password).status_code == 302


def _group(app, name: str) -> int:
    with app.app_context(), session_scope() as session:
        return groups.create_group(session, name, actor=None).id


def test_a_module_for_one_group_is_never_seen_by_another_groups_learner(app, client, as_admin):
    metz, lyon = _group(app, "Atelier de Metz"), _group(app, "Atelier de Lyon")
    response = client.post("/admin/modules/bonus/visibility", data={"audience": "groups", "groups": [str(metz)]})
    assert response.status_code == 302
    in_metz = add_user(app, "metz@exemple.fr", full_name="Membre de Metz")
    in_lyon = add_user(app, "lyon@exemple.fr", full_name="Membre de Lyon")
    with app.app_context(), session_scope() as session:
        groups.assign_group(session, session.get(User, in_metz.id), metz, actor=None)
        groups.assign_group(session, session.get(User, in_lyon.id), lyon, actor=None)
    complete_path(app, in_lyon.id)
    open_module(app, in_lyon.id, "bonus")  # started before the restriction
    for email, sees in (("metz@exemple.fr", True), ("lyon@exemple.fr", False)):
        learner = app.test_client()
        AuthActions(learner).login(email)
        assert (learner.get("/modules/bonus").status_code == 200) is sees
        assert (learner.get("/modules/bonus/ressources").status_code == 200) is sees
        assert ('href="/modules/bonus"' in learner.get("/modules").get_data(as_text=True)) is sees
        assert ('href="/modules/bonus"' in learner.get("/progression").get_data(as_text=True)) is sees
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/admin/exports/completions.xlsx").get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert ("Membre de Lyon", "bonus") not in {(r[1], r[5]) for r in rows}
    assert ("Membre de Lyon", "agir") in {(r[1], r[5]) for r in rows}
    statements = client.get("/admin/exports/completions.xapi").get_json()  # her day in « bonus » is left out too
    assert any("/modules/agir" in s["object"]["id"] for s in statements)
    assert not any("/modules/bonus" in s["object"]["id"] for s in statements)
    hidden = client.post("/admin/modules/agir/visibility", data={"audience": "hidden"})
    assert hidden.status_code == 302
    learner = app.test_client()
    AuthActions(learner).login("metz@exemple.fr")
    assert learner.get("/modules/agir").status_code == 404
    with app.app_context(), session_scope() as session:
        actions = {e.action for e in session.exec(select(AuditEvent).where(AuditEvent.target.startswith("module:")))}
    assert actions == {"module.visibility_changed", "module.hidden"}


def test_restricting_to_no_group_is_refused(app, client, as_admin):
    client.post("/admin/modules/bonus/visibility", data={"audience": "groups"})
    assert "Choisissez au moins un groupe" in client.get("/admin/modules").get_data(as_text=True)


def test_the_certificate_path_leaves_out_the_modules_not_for_the_learner(app):
    learner = add_user(app, "lea@exemple.fr", full_name="Léa Nguyen")
    metz = _group(app, "Atelier de Metz")
    with app.app_context(), session_scope() as session:
        set_visibility(session, "agir", Audience.GROUPS, [metz], actor=None)
    complete_path(app, learner.id, ("reperer",))
    client = app.test_client()
    AuthActions(client).login("lea@exemple.fr")
    assert client.post("/attestation").status_code == 302  # « agir » is not part of her path
    with app.app_context(), session_scope() as session:
        certificate = session.exec(select(Certificate)).one()
    assert [m.slug for m in certificate_data(certificate).modules] == ["reperer"]


def test_new_module_writes_a_hidden_skeleton(app, tmp_path):
    result = app.test_cli_runner().invoke(new_module_command, ["territoire-messin", "--dir", str(tmp_path)])
    assert result.exit_code == 0 and "masqué aux apprenants" in result.output
    with app.app_context(), session_scope() as session:
        assert session.get(ModuleVisibility, "territoire-messin").mode == "hidden"


def test_the_audiences_are_read_once_per_transaction_and_anew_after_it(app):
    """A page asking twice reads once; another worker's change is seen from the next transaction on."""
    from elearn.visibility import visibility_rules

    with session_scope(app) as reader:
        first = visibility_rules(reader)
        assert visibility_rules(reader) is first  # the same transaction: kept
        assert first.allows("01-cadre-juridique", None)
        with session_scope(app) as other:  # another request, another worker
            set_visibility(other, "01-cadre-juridique", Audience.HIDDEN, actor=None)
        reader.rollback()  # the reader's transaction ends: its next one reads the change
        assert not visibility_rules(reader).allows("01-cadre-juridique", None)
        set_visibility(reader, "01-cadre-juridique", Audience.EVERYONE, actor=None)  # its own change, seen at once
        assert visibility_rules(reader).allows("01-cadre-juridique", None)


def test_the_heartbeats_audience_check_is_the_catalogues_rule():
    """``may_see_audience`` (the heartbeat's one read) decides as ``modules_for`` does, in every case."""
    from types import SimpleNamespace

    from elearn.visibility import Visibility, VisibilityRules, may_see_audience

    allowed_groups = frozenset({1, 3})
    for mode in (None, *Audience):
        rules = VisibilityRules({} if mode is None else {"m": Visibility(Audience(mode), allowed_groups)})
        for role in Role:
            for group_id in (None, 1, 2):
                person = SimpleNamespace(role=role.value, group_id=group_id)
                in_group = group_id in allowed_groups and mode == Audience.GROUPS
                expected = role in (Role.ADMIN, Role.TRAINER) or rules.allows("m", group_id)
                assert may_see_audience(person, None if mode is None else mode.value, in_group) is expected, (mode, role, group_id)
