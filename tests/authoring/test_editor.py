"""The module editor over HTTP: drafts learners never see, checks, publication, history, conflicts."""

from __future__ import annotations

import re

from sqlmodel import select

from elearn.db import session_scope
from elearn.models import DraftSection, ModuleDraft


def _sections(app, slug: str) -> list[DraftSection]:
    with session_scope(app) as session:
        draft = session.exec(select(ModuleDraft).where(ModuleDraft.module_slug == slug)).one()
        return list(session.exec(select(DraftSection).where(DraftSection.draft_id == draft.id).order_by(DraftSection.position)))


def _create(client) -> None:
    response = client.post("/trainer/editeur/nouveau", data={"title": "Accueil des patients", "slug": "accueil"})
    assert response.status_code == 302 and response.location.endswith("/trainer/editeur/accueil/")


def _save(client, section: DraftSection, text: str, version: int | None = None):
    return client.post(f"/trainer/editeur/accueil/sections/{section.id}",
                       data={"text": text, "version": version or section.version})


def test_a_new_module_is_a_draft_learners_never_see(app, client, auth, trainer, learner):
    auth.login(trainer.email)
    _create(client)
    page = client.get("/trainer/editeur/accueil/").get_data(as_text=True)
    assert "Première section" in page and "Vérifier ses acquis" in page
    assert "Aucun problème" in page
    auth.logout()
    auth.login(learner.email)
    assert "Accueil des patients" not in client.get("/modules").get_data(as_text=True)
    assert client.get("/modules/accueil").status_code == 404


def test_the_preview_renders_the_unsaved_text_and_locates_problems(app, client, auth, trainer):
    auth.login(trainer.email)
    _create(client)
    section = _sections(app, "accueil")[1]
    text = "## Première section\n\nUn texte **important**.\n\n::: quiz\n### Question sans réponse ?\n\n- ( ) Non\n:::\n"
    data = client.post(f"/trainer/editeur/accueil/sections/{section.id}/apercu", data={"text": text}).get_json()
    assert "<strong>important</strong>" in data["html"]
    assert re.search(r'data-line="6">ligne 6</a>', data["problems"]), data["problems"]


def test_a_draft_with_an_error_is_saved_but_not_published_then_published_once_fixed(app, client, auth, trainer, learner, modules_dir):
    auth.login(trainer.email)
    _create(client)
    section = _sections(app, "accueil")[1]
    broken = "## Première section\n\n::: quiz\n### Question sans bonne réponse ?\n\n- ( ) Non\n:::\n"
    assert _save(client, section, broken).status_code == 302
    assert _sections(app, "accueil")[1].text == broken
    refused = client.post("/trainer/editeur/accueil/publier", data={"message": "Première version"}, follow_redirects=True)
    assert "ne peut être publié" in refused.get_data(as_text=True)
    assert not (modules_dir / "03-accueil").exists()
    fixed = broken.replace("- ( ) Non", "- (x) Oui\n- ( ) Non")
    assert _save(client, _sections(app, "accueil")[1], fixed).status_code == 302
    published = client.post("/trainer/editeur/accueil/publier", data={"message": "Première version"}, follow_redirects=True)
    assert "Version 1 publiée" in published.get_data(as_text=True)
    assert (modules_dir / "03-accueil" / "01-premiere-section.md").read_text(encoding="utf-8") == fixed
    auth.logout()
    auth.login(learner.email)
    assert "Accueil des patients" in client.get("/modules").get_data(as_text=True)


def test_history_compares_versions_and_a_rollback_is_a_new_publication(app, client, auth, trainer, modules_dir):
    auth.login(trainer.email)
    _create(client)
    client.post("/trainer/editeur/accueil/publier", data={"message": "Première version"})
    client.post("/trainer/editeur/accueil/brouillon")
    section = _sections(app, "accueil")[1]
    _save(client, section, section.text.replace("Écrivez ici", "Voici le nouveau texte. Écrivez ici"))
    client.post("/trainer/editeur/accueil/publier", data={"message": "Nouveau texte"})
    diff = client.get("/trainer/editeur/accueil/historique?de=1&a=2").get_data(as_text=True)
    assert "<ins>+Voici le nouveau texte." in diff
    client.post("/trainer/editeur/accueil/historique/1/revenir")
    page = client.get("/trainer/editeur/accueil/historique").get_data(as_text=True)
    assert "Retour à la version 1" in page and "Sacha Durand" in page
    assert "Voici le nouveau texte" not in (modules_dir / "03-accueil" / "01-premiere-section.md").read_text(encoding="utf-8")


def test_the_second_of_two_conflicting_saves_is_refused_with_both_texts(app, client, auth, trainer, second_trainer):
    auth.login(trainer.email)
    _create(client)
    section = _sections(app, "accueil")[1]
    assert _save(client, section, "## Première section\n\nTexte de Sacha.\n").status_code == 302
    auth.logout()
    auth.login(second_trainer.email)
    refused = _save(client, section, "## Première section\n\nTexte de Louis.\n")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "Texte de Sacha." in page and "Texte de Louis." in page and "Sacha Durand" in page
    assert _sections(app, "accueil")[1].text == "## Première section\n\nTexte de Sacha.\n"


def test_sections_are_added_moved_and_deleted(app, client, auth, trainer):
    auth.login(trainer.email)
    _create(client)
    client.post("/trainer/editeur/accueil/sections", data={"title": "Pour finir"})
    first, quiz, last = _sections(app, "accueil")[1:]
    client.post(f"/trainer/editeur/accueil/sections/{last.id}/deplacer", data={"sens": "haut"})
    assert [s.stem for s in _sections(app, "accueil")] == ["index", "premiere-section", "pour-finir", "verifier-ses-acquis"]
    assert "Supprimer la section" in client.post(f"/trainer/editeur/accueil/sections/{first.id}/supprimer").get_data(as_text=True)
    assert len(_sections(app, "accueil")) == 4
    client.post(f"/trainer/editeur/accueil/sections/{first.id}/supprimer", data={"confirmer": "1"})
    assert [(s.position, s.stem) for s in _sections(app, "accueil")] == [(0, "index"), (1, "pour-finir"), (2, "verifier-ses-acquis")]


def test_the_settings_form_is_judged_by_the_checker_before_it_is_saved(app, client, auth, trainer):
    auth.login(trainer.email)
    _create(client)
    index = _sections(app, "accueil")[0]
    form = {"ordre": "4", "duree": "25", "seuil": "150", "tentatives_max": "", "version": index.version}
    refused = client.post("/trainer/editeur/accueil/reglages", data=form, follow_redirects=True).get_data(as_text=True)
    assert "Réglage refusé" in refused and "entre 0 et 100" in refused
    assert _sections(app, "accueil")[0].text == index.text
    taken = client.post("/trainer/editeur/accueil/reglages", data={**form, "seuil": "80", "ordre": "1"}, follow_redirects=True)
    assert "est déjà utilisé" in taken.get_data(as_text=True)
    client.post("/trainer/editeur/accueil/reglages", data={**form, "seuil": "80", "tentatives_max": "3"})
    text = _sections(app, "accueil")[0].text
    assert "seuil: 80  # pourcentage à atteindre" in text and "tentatives_max: 3" in text and "duree: 25  #" in text


def test_learners_keep_the_published_text_while_a_draft_changes_it(app, client, auth, trainer, learner):
    auth.login(trainer.email)
    assert client.post("/trainer/editeur/premiers-pas/brouillon").status_code == 302
    with session_scope(app) as session:
        draft = session.exec(select(ModuleDraft).where(ModuleDraft.module_slug == "premiers-pas")).one()
        sections = session.exec(select(DraftSection).where(DraftSection.draft_id == draft.id)).all()
    for section in sections[1:]:
        heading = section.text.split("\n", 1)[0]
        saved = client.post(f"/trainer/editeur/premiers-pas/sections/{section.id}",
                            data={"text": f"{heading}\n\nTexte du brouillon seulement.\n", "version": section.version})
        assert saved.status_code == 302
    auth.logout()
    auth.login(learner.email)
    with app.test_request_context():
        from elearn.web.modules import get_library

        ids = [s.id for s in get_library().get("premiers-pas").sections]
    pages = [client.get(f"/modules/premiers-pas/{section_id}") for section_id in ids]
    assert all(page.status_code == 200 for page in pages)
    assert all("Texte du brouillon seulement." not in page.get_data(as_text=True) for page in pages)


def test_the_path_form_publishes_a_checked_module_list_and_keeps_the_rest(app, client, auth, trainer, modules_dir):
    (modules_dir / "parcours.yml").write_text(PATH_YML, encoding="utf-8")
    auth.login(trainer.email)
    page = client.get("/trainer/editeur/parcours").get_data(as_text=True)
    fingerprint = re.search(r'name="empreinte" value="([^"]+)"', page).group(1)
    form = {"empreinte": fingerprint, "modules": ["premiers-pas", "suite"], "version": "", "message": "Deux modules"}
    refused = client.post("/trainer/editeur/parcours", data=form)
    assert refused.status_code == 400 and "Donnez une version" in refused.get_data(as_text=True)
    assert client.post("/trainer/editeur/parcours", data={**form, "version": "2026.2"}).status_code == 302
    text = (modules_dir / "parcours.yml").read_text(encoding="utf-8")
    assert "  - premiers-pas\n  - suite" in text and 'version: "2026.2"' in text and "# Le signataire" in text
    stale = client.post("/trainer/editeur/parcours", data={**form, "version": "2026.3"})
    assert "modifié entre-temps" in stale.get_data(as_text=True)


PATH_YML = """titre: Parcours d'essai
objectifs:
  - Un objectif
version: "2026.1"
modules:
  - premiers-pas
organisme:
  nom: Association d'essai
  adresse: 1 rue de l'Essai, 75000 Paris
  numero_declaration: "11 75 00000 75"
# Le signataire
signataire:
  nom: Camille Essai
  fonction: présidente
"""
