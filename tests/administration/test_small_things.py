"""The small things: the authoring guide inside the app, no server folder in the trainers' space, a
group's page listing its members."""

from __future__ import annotations

import shutil

from elearn import groups
from elearn.db import get_engine, session_scope
from elearn.models import Role, User
from tests.conftest import FIXTURE_MODULES, AuthActions, add_user, make_test_app


def test_trainers_read_the_authoring_guide_in_the_app(app, client):
    add_user(app, "formateur@exemple.fr", Role.TRAINER, "Sacha Durand")
    AuthActions(client).login("formateur@exemple.fr")
    index = client.get("/trainer/").get_data(as_text=True)
    assert 'href="/trainer/guide"' in index
    guide = client.get("/trainer/guide").get_data(as_text=True)
    assert "<h1" in guide and "Guide de rédaction des modules" in guide
    assert 'href="#8-quiz"' in guide and 'id="8-quiz"' in guide  # its table of contents works


def test_a_module_problem_in_the_trainers_space_names_no_server_folder(tmp_path):
    modules, media = tmp_path / "srv" / "modules", tmp_path / "srv" / "medias-du-serveur"
    shutil.copytree(FIXTURE_MODULES, modules)
    media.mkdir()
    page = modules / "02-suite.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Texte du second module.", "![Affiche](media/affiche-absente.png)"),
                    encoding="utf-8")
    app = make_test_app(tmp_path, ELEARN_MODULES_DIR=str(modules), ELEARN_MEDIA_DIR=str(media))
    try:
        add_user(app, "formateur@exemple.fr", Role.TRAINER, "Sacha Durand")
        client = app.test_client()
        AuthActions(client).login("formateur@exemple.fr")
        for url in ("/trainer/",):
            html = client.get(url).get_data(as_text=True)
            assert "affiche-absente.png" in html and "cherché dans medias-du-serveur" in html, url
            assert str(tmp_path) not in html, url
    finally:
        get_engine(app).dispose()


def test_a_groups_page_lists_its_members(app, client, as_admin):
    lea = add_user(app, "lea@exemple.fr", full_name="Léa Nguyen", profession="Infirmière")
    sacha = add_user(app, "sacha@exemple.fr", Role.TRAINER, "Sacha Durand")
    add_user(app, "autre@exemple.fr", full_name="Hors Groupe")
    with app.app_context(), session_scope() as session:
        metz = groups.create_group(session, "Atelier de Metz", actor=None)
        for person in (lea, sacha):
            groups.assign_group(session, session.get(User, person.id), metz.id, actor=None)
        group_id = metz.id
    html = client.get(f"/admin/groups/{group_id}").get_data(as_text=True)
    members = html.split('id="membres"', 1)[1].split("</section>", 1)[0]
    assert members.index("Sacha Durand") < members.index("Léa Nguyen") and "Infirmière" in members
    assert "Hors Groupe" not in members
