"""Training groups: a trainer of a group reads the answers shared by its learners and its syntheses only;
trainers without a group and administrators read everything; the administration manages groups."""

from __future__ import annotations

from html import unescape

import pytest
from sqlmodel import select

from elearn import groups
from elearn.db import session_scope
from elearn.models import AuditEvent, Role, Synthesis, TrainingGroup, User
from elearn.reflection.shared import shared_answers
from tests.conftest import add_user

SLUG, RID = "atelier", "pratique-reflexion-1"
SAVE = f"/reflexions/{SLUG}/{RID}"


def make_group(app, name: str, *members: User) -> int:
    with app.app_context(), session_scope() as session:
        group = groups.create_group(session, name, actor=None)
        for member in members:
            groups.assign_group(session, session.get(User, member.id), group.id, actor=None)
        return group.id


def share(client, auth, user: User, text: str) -> None:
    auth.login(user.email)
    assert client.post(SAVE, data={"text": text, "action": "partager"}).status_code == 302
    auth.logout()


@pytest.fixture
def two_groups(app, client, auth, learner, other_learner, trainer):
    """Lyon: the learner and the trainer; Metz: the other learner and a second trainer; one learner alone."""
    metz_trainer = add_user(app, "formatrice.metz@exemple.fr", Role.TRAINER)
    alone = add_user(app, "seule@exemple.fr")
    lyon = make_group(app, "Atelier de Lyon", learner, trainer)
    metz = make_group(app, "Atelier de Metz", other_learner, metz_trainer)
    share(client, auth, learner, "Réponse de Lyon")
    share(client, auth, other_learner, "Réponse de Metz")
    share(client, auth, alone, "Réponse sans groupe")
    return {"lyon": lyon, "metz": metz, "metz_trainer": metz_trainer}


def test_a_trainer_of_a_group_reads_only_its_learners_answers(client, auth, trainer, two_groups):
    auth.login(trainer.email)
    page = unescape(client.get("/trainer/reflexions").get_data(as_text=True))
    assert "Réponse de Lyon" in page
    assert "Réponse de Metz" not in page and "Réponse sans groupe" not in page
    assert "Vous voyez les réponses des apprenants de votre groupe, « Atelier de Lyon »." in page


def test_a_trainer_without_a_group_and_an_administrator_read_every_answer(app, client, auth, admin, two_groups):
    ungrouped = add_user(app, "formateur.central@exemple.fr", Role.TRAINER)
    for reader in (ungrouped, admin):
        auth.login(reader.email)
        page = unescape(client.get("/trainer/reflexions").get_data(as_text=True))
        assert all(text in page for text in ("Réponse de Lyon", "Réponse de Metz", "Réponse sans groupe")), reader.email
        assert "Vous voyez les réponses des apprenants de votre groupe" not in page
        auth.logout()


def test_another_groups_answer_cannot_be_quoted_in_a_synthesis(app, client, auth, trainer, two_groups):
    with app.app_context(), session_scope() as session:
        metz_answer = next(a for a in shared_answers(session) if a.text == "Réponse de Metz")
    auth.login(trainer.email)
    synthesis_url = client.post("/trainer/syntheses", data={"title": "Atelier"}).headers["Location"]
    synthesis_id = synthesis_url.rstrip("/").split("/")[-1]
    response = client.post(f"/trainer/syntheses/{synthesis_id}/elements/reponse",
                           data={"part": "constats", "answer_id": metz_answer.id}, follow_redirects=True)
    assert "Cette réponse n'est plus partagée" in unescape(response.get_data(as_text=True))
    assert "Réponse de Metz" not in client.get(f"/trainer/syntheses/{synthesis_id}/synthese.md").get_data(as_text=True)


def test_syntheses_belong_to_their_authors_group(app, client, auth, trainer, two_groups):
    auth.login(trainer.email)
    lyon_url = client.post("/trainer/syntheses", data={"title": "Synthèse lyonnaise"}).headers["Location"]
    auth.logout()
    with app.app_context(), session_scope() as session:
        assert session.exec(select(Synthesis.group_id)).all() == [two_groups["lyon"]]
    auth.login(two_groups["metz_trainer"].email)
    assert "Synthèse lyonnaise" not in client.get("/trainer/syntheses").get_data(as_text=True)
    for suffix in ("", "/synthese.md", "/synthese.pdf"):
        assert client.get(lyon_url + suffix).status_code == 404
    assert client.post(lyon_url + "/elements", data={"part": "enjeux", "text": "Intrusion"}).status_code == 404


def test_the_learner_is_told_whose_trainers_read_what_they_share(app, client, auth, learner):
    make_group(app, "Atelier de Lyon", learner)
    auth.login(learner.email)
    page = unescape(client.get("/modules/atelier/pratique").get_data(as_text=True))
    assert "Partager avec les formateurs de votre groupe, « Atelier de Lyon » ?" in page.replace("\u00a0", " ")


def test_administrators_create_rename_and_delete_groups(app, client, auth, admin, learner):
    auth.login(admin.email)
    assert client.post("/admin/groups", data={"name": "  Atelier   de Lyon "}).status_code == 302
    again = client.post("/admin/groups", data={"name": "ATELIER DE LYON"})
    assert again.status_code == 400 and "Un groupe s'appelle déjà « Atelier de Lyon »." in unescape(again.get_data(as_text=True))
    assert "Donnez un nom au groupe." in unescape(client.post("/admin/groups", data={"name": " "}).get_data(as_text=True))
    with app.app_context(), session_scope() as session:
        group_id = session.exec(select(TrainingGroup.id)).one()
    assert client.post(f"/admin/users/{learner.id}/group", data={"group": str(group_id)}).status_code == 302
    assert client.post(f"/admin/groups/{group_id}", data={"name": "Atelier de Lyon-Sud"}).status_code == 302
    page = unescape(client.get("/admin/groups").get_data(as_text=True))
    assert "Atelier de Lyon-Sud" in page
    assert "Atelier de Lyon-Sud" in unescape(client.get(f"/admin/users/{learner.id}").get_data(as_text=True))
    assert client.post(f"/admin/groups/{group_id}/delete").status_code == 302
    with app.app_context(), session_scope() as session:
        assert session.exec(select(TrainingGroup)).all() == []
        assert session.get(User, learner.id).group_id is None
        actions = [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.id))]
    assert [a for a in actions if "group" in a] == ["group.created", "account.group_changed", "group.renamed", "group.deleted"]
    trail = unescape(client.get("/admin/audit").get_data(as_text=True))
    # Groups are named in the trail (issue 23), a deleted one by the name it had or « groupe supprimé ».
    assert "Groupe supprimé" in trail and "group:" not in trail and f"groupe n° {group_id}" not in trail
    assert f'href="/admin/groups/{group_id}"' not in trail  # its page is gone


def test_a_deleted_group_cannot_be_given_to_an_account(app, client, auth, admin, learner):
    auth.login(admin.email)
    response = client.post(f"/admin/users/{learner.id}/group", data={"group": "999"}, follow_redirects=True)
    assert "Choisissez un groupe dans la liste" in unescape(response.get_data(as_text=True))
    with app.app_context(), session_scope() as session:
        assert session.get(User, learner.id).group_id is None


def test_the_command_line_creates_groups_and_accounts_in_them(app, runner):
    from elearn.cli.users import groups_command, users

    assert runner.invoke(groups_command, ["create", "Atelier de Lyon"]).output == "Groupe créé : Atelier de Lyon.\n"
    created = runner.invoke(users, ["create", "lea@exemple.fr", "--group", "atelier de lyon", "--password", "un mot de passe long"])
    assert created.exit_code == 0, created.output
    refused = runner.invoke(users, ["create", "tom@exemple.fr", "--group", "Inconnu", "--password", "un mot de passe long"])
    assert refused.exit_code == 1 and "Aucun groupe « Inconnu »" in refused.output
    assert "Atelier de Lyon : 1 apprenant(s), 0 formateur(s)" in runner.invoke(groups_command, ["list"]).output
    with app.app_context(), session_scope() as session:
        assert [u.email for u in session.exec(select(User))] == ["lea@exemple.fr"]


SIGN_UP = {"full_name": "Inès Moreau", "email": "ines@exemple.fr", "profession": "Infirmière",
           "password": "un mot de passe long", "confirm": "un mot de passe long"}


def test_signing_up_with_a_groups_code_or_link_joins_the_group(app, client, auth, admin):
    lyon = make_group(app, "Atelier de Lyon")
    with app.app_context(), session_scope() as session:
        code = session.get(TrainingGroup, lyon).join_code
    auth.login(admin.email)
    group_page = unescape(client.get(f"/admin/groups/{lyon}").get_data(as_text=True))
    assert code in group_page and f"/register?groupe={code}" in group_page
    auth.logout()
    form = unescape(client.get(f"/register?groupe={code}").get_data(as_text=True))
    assert f'value="{code}"' in form  # the link fills the field in
    typed = code.lower().replace("-", " ")  # as dictated in a workshop
    assert client.post("/register", data={**SIGN_UP, "group_code": typed}).status_code == 302
    with app.app_context(), session_scope() as session:
        assert session.exec(select(User.group_id).where(User.email == "ines@exemple.fr")).one() == lyon


def test_a_wrong_group_code_creates_no_account_and_keeps_the_form(app, client):
    response = client.post("/register", data={**SIGN_UP, "group_code": "AAAAA-BBBBB"})
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Ce code de groupe n'existe pas : vérifiez-le auprès de votre formateur, ou laissez le champ vide." in page
    assert 'value="Inès Moreau"' in page and 'value="ines@exemple.fr"' in page
    with app.app_context(), session_scope() as session:
        assert session.exec(select(User)).all() == []


def test_a_renewed_code_replaces_the_old_one(app, client, auth, admin):
    lyon = make_group(app, "Atelier de Lyon")
    with app.app_context(), session_scope() as session:
        old = session.get(TrainingGroup, lyon).join_code
    auth.login(admin.email)
    assert client.post(f"/admin/groups/{lyon}/code").status_code == 302
    auth.logout()
    assert client.post("/register", data={**SIGN_UP, "group_code": old}).status_code == 400
    with app.app_context(), session_scope() as session:
        new = session.get(TrainingGroup, lyon).join_code
        assert new != old and groups.find_group_by_code(session, new).id == lyon
        assert session.exec(select(AuditEvent.action).where(AuditEvent.action == "group.code_renewed")).all()
