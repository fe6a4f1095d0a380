"""Certificate pages over HTTP: learner status and download, public verification, rate limit, admin actions."""

from __future__ import annotations

import html

import pytest
from sqlmodel import select

from elearn.db import get_engine, session_scope
from elearn.models import AuditEvent, Certificate, CertificateDocument, Role
from elearn.security import ratelimit
from tests.certificates.support import BASE_URL, certificate_app, complete_path, modules_with_example_values, modules_with_rule, obtain_certificate
from tests.conftest import AuthActions, add_user

#: SQLite only: the database plays no part in what these tests check (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def app(request, tmp_path, database_url):
    """The certificate app; a test parametrises it indirectly with a ``temps_actif_minimum`` block to add."""
    rule = getattr(request, "param", None)
    modules = {"ELEARN_MODULES_DIR": str(modules_with_rule(tmp_path, rule))} if rule else {}
    app = certificate_app(tmp_path, ELEARN_DATABASE_URL=database_url, **modules)
    yield app
    get_engine(app).dispose()


@pytest.fixture
def code(app, client, auth, learner) -> str:
    """The learner finished the path and obtained the certificate; they are still logged in."""
    complete_path(app, learner.id)
    auth.login(learner.email)
    return obtain_certificate(client)


def stored(app) -> list[Certificate]:
    with app.app_context(), session_scope() as session:
        return list(session.exec(select(Certificate)))


def test_certificate_and_progress_pages_say_what_is_missing_and_the_catalog_in_one_line(client, auth, learner):
    auth.login(learner.email)
    for url in ("/attestation", "/progression"):
        page = client.get(url).get_data(as_text=True)
        assert "il vous reste 2 modules à terminer" in page, url
        assert "Agir et orienter</a> (non commencé)" in page
    catalog = client.get("/modules").get_data(as_text=True)
    line = catalog[catalog.index('<section class="certificate-line"'):catalog.index("</section>")]
    assert "Modules terminés : 0 sur 2." in line and 'href="/attestation"' in line
    assert "il vous reste" not in catalog and catalog.index("certificate-line") < catalog.index("module-list")


def test_finished_learner_is_offered_the_certificate(app, client, auth, learner):
    complete_path(app, learner.id)
    auth.login(learner.email)
    assert "votre attestation est prête" in client.get("/modules").get_data(as_text=True)
    page = client.get("/attestation").get_data(as_text=True)
    assert "votre attestation est prête" in page and ">Obtenir mon attestation</button>" in page


def test_obtaining_confirms_with_the_code_the_verification_link_and_the_download(app, client, auth, learner):
    complete_path(app, learner.id)
    auth.login(learner.email)
    response = client.post("/attestation")
    assert response.headers["Location"] == "/attestation"  # not the PDF: a download alone looks like nothing happened
    page = html.unescape(client.get("/attestation").get_data(as_text=True))
    (code,) = [c.code for c in stored(app)]
    assert f"Votre attestation est délivrée. Son code de vérification est {code}" in page
    assert f'<code class="certificate-code">{code}</code>' in page
    assert f'<a href="{BASE_URL}/verify/{code}">{BASE_URL}/verify/{code}</a>' in page
    assert f'href="/attestation/{code}.pdf" download>Télécharger mon attestation (PDF)' in page
    assert "Obtenir mon attestation" not in page.split("<main", 1)[1]


TWO_HOURS = "temps_actif_minimum:\n  parcours: 2 h\n  modules:\n    agir: 1 h\n"


@pytest.mark.parametrize("app", [TWO_HOURS], indirect=True)
def test_finished_learner_below_the_minimum_is_told_the_reading_time_left(app, client, auth, learner):
    complete_path(app, learner.id)  # 93 min 30 s of active time: 26 min 30 s short of 2 h
    auth.login(learner.email)
    for url in ("/modules", "/progression", "/attestation"):
        page = client.get(url).get_data(as_text=True)
        assert "il vous reste environ 27 min de lecture active" in page, url
        assert "Obtenir mon attestation" not in page.split("<main", 1)[1], url
        if url != "/modules":  # the catalog folds the certificate box to one line: the total only
            assert "environ 7 min dans le module «&nbsp;Agir et orienter&nbsp;»" in page, url
    refused = client.post("/attestation", follow_redirects=True).get_data(as_text=True)
    assert "il reste environ 27 min de lecture active" in refused and stored(app) == []


@pytest.mark.parametrize("app", [TWO_HOURS], indirect=True)
def test_admin_reads_the_minimum_in_the_path_summary(client, auth, admin):
    auth.login(admin.email)
    page = client.get("/admin/certificates").get_data(as_text=True)
    assert "ensemble du parcours&nbsp;: 2 h 00 min" in page
    assert "module «&nbsp;Agir et orienter&nbsp;»&nbsp;: 1 h 00 min" in page


def test_obtaining_twice_gives_the_same_pdf(app, client, code):
    assert obtain_certificate(client) == code and len(stored(app)) == 1
    response = client.get(f"/attestation/{code}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="attestation-{code}.pdf"'
    assert response.data.startswith(b"%PDF")
    page = client.get("/progression").get_data(as_text=True)
    assert f"/attestation/{code}.pdf" in page and "Télécharger mon attestation (PDF)" in page


def test_unfinished_learner_cannot_obtain_one(app, client, auth, learner):
    auth.login(learner.email)
    page = client.post("/attestation", follow_redirects=True).get_data(as_text=True)
    assert "Le parcours n&#39;est pas terminé" in page and stored(app) == []


def test_learner_cannot_download_another_learners_certificate(app, client, auth, learner, other_learner, code):
    auth.logout()
    auth.login(other_learner.email)
    assert client.get(f"/attestation/{code}.pdf").status_code == 404
    assert code not in client.get("/attestation").get_data(as_text=True)


def test_certificate_pages_need_login(client):
    assert client.get("/attestation").status_code == 302
    assert client.get("/attestation/X.pdf").status_code == 302


def test_verification_page_shows_every_certified_field_and_nothing_else_about_the_person(app, client, auth, learner, code):
    client.get(f"/attestation/{code}.pdf")  # the PDF exists, so its fingerprint does
    auth.logout()
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    for fact in ("Valide", "Camille Martin", "Prévenir les discriminations dans l&#39;accès aux soins",
                 "du 1er novembre 2026 au 20 novembre 2026", "2 h 00 min", "1 h 33 min", code,
                 "Association Santé Égalité", "84 69 12345 69", "Agir et orienter", "87,5", "2 novembre 2026"):
        assert fact in page, fact
    with app.app_context(), session_scope() as session:
        [document] = session.exec(select(CertificateDocument)).all()
    assert f'<code class="fingerprint">{document.sha256}</code>' in page
    assert learner.email not in page and "@" not in page.split("<main", 1)[1]
    assert "Infirmière" not in page  # the profession is not a certified fact


def test_typed_code_leads_to_its_page(client, code):
    typed = code.lower().replace("-", " ")
    assert client.get("/verify", query_string={"code": typed}).headers["Location"] == f"/verify/{code}"
    malformed = client.get("/verify", query_string={"code": "ABC"})
    assert malformed.status_code == 400 and "pas le bon format" in malformed.get_data(as_text=True)


def test_revoked_certificate_says_so_with_the_date(app, client, auth, learner, admin, code):
    auth.logout()
    auth.login(admin.email)
    response = client.post(f"/admin/certificates/{code}/revoke", data={"revoke-reason": "Erreur de saisie du nom"})
    assert response.status_code == 302
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "Révoquée" in page and "a été révoquée le " in page and "Erreur de saisie" not in page
    auth.logout()
    auth.login(learner.email)
    assert client.get(f"/attestation/{code}.pdf").status_code == 302  # no longer downloadable
    assert "a été révoquée le" in client.get("/attestation").get_data(as_text=True)
    assert "Révoquée le" in client.get("/modules").get_data(as_text=True)


def test_unknown_code_is_a_404_page(client):
    response = client.get("/verify/AAAAA-AAAAA-AAAAA-AAAAA-AAAAA")
    assert response.status_code == 404 and "Aucune attestation ne correspond" in response.get_data(as_text=True)


def test_unknown_codes_are_rate_limited_across_workers(app, client, tmp_path):
    # another process on the same database
    other_worker = certificate_app(tmp_path, ELEARN_DATABASE_URL=app.config["ELEARN_DATABASE_URL"]).test_client()
    limit = ratelimit.UNKNOWN_CODES_PER_ADDRESS.limit
    for number in range(limit):
        worker = (client, other_worker)[number % 2]
        assert worker.get("/verify/AAAAA-AAAAA-AAAAA-AAAAA-AAAAA").status_code == 404
    for worker in (client, other_worker):
        response = worker.get("/verify/BBBBB-BBBBB-BBBBB-BBBBB-BBBBB")
        assert response.status_code == 429 and "Trop de tentatives" in response.get_data(as_text=True)
    elsewhere = client.get("/verify/AAAAA-AAAAA-AAAAA-AAAAA-AAAAA", environ_base={"REMOTE_ADDR": "198.51.100.9"})
    assert elsewhere.status_code == 404


def test_valid_lookups_do_not_count(client, code):
    for _ in range(ratelimit.UNKNOWN_CODES_PER_ADDRESS.limit + 5):
        assert client.get(f"/verify/{code}").status_code == 200


def test_public_key_is_published(client):
    document = client.get("/.well-known/elearn-certificate-key").get_json()
    assert document["type"] == "Multikey" and document["id"].startswith("did:key:z6Mk")


def test_admin_lists_revokes_and_reissues(app, client, auth, admin, code):
    auth.logout()
    auth.login(admin.email)
    listing = client.get("/admin/certificates", query_string={"q": "camille"}).get_data(as_text=True)
    assert code in listing and "Camille Martin" in listing and "version 2026.1" in listing
    assert client.get(f"/admin/certificates/{code}.pdf").mimetype == "application/pdf"
    empty = client.post(f"/admin/certificates/{code}/reissue", data={"reissue-reason": " "})
    assert empty.status_code == 400 and "Indiquez le motif." in empty.get_data(as_text=True)
    response = client.post(f"/admin/certificates/{code}/reissue", data={"reissue-reason": "Nom corrigé"})
    new_code = response.headers["Location"].rsplit("/", 1)[1]
    assert new_code != code
    detail = client.get(f"/admin/certificates/{new_code}").get_data(as_text=True)
    assert f"/admin/certificates/{code}" in detail and "Remplace" in detail
    old = client.get(f"/admin/certificates/{code}").get_data(as_text=True)
    assert "Nom corrigé" in old and "Alex Bernard" in old
    with app.app_context(), session_scope() as session:
        actions = [e.action for e in session.exec(select(AuditEvent).where(AuditEvent.action.startswith("certificate.")).order_by(AuditEvent.id))]
    assert actions == ["certificate.issued", "certificate.revoked", "certificate.issued"]


def test_admin_pages_are_for_admins_only(client, auth, learner, trainer):
    for user in (learner, trainer):
        auth.login(user.email)
        assert client.get("/admin/certificates").status_code == 403
        auth.logout()


def test_admin_sees_problems_of_parcours_yml(tmp_path):
    broken = tmp_path / "modules"
    broken.mkdir()
    (broken / "parcours.yml").write_text("titre: Essai\n", encoding="utf-8")
    app = certificate_app(tmp_path, ELEARN_MODULES_DIR=str(broken))
    add_user(app, "admin@exemple.fr", Role.ADMIN)
    client = app.test_client()
    AuthActions(client).login("admin@exemple.fr")
    page = client.get("/admin/certificates").get_data(as_text=True)
    assert "Le fichier parcours.yml contient" in page and "clé obligatoire manquante « version »" in page


def test_certificate_errors_follow_the_interface_language(app, client, auth, learner):
    client.get("/langue/en")
    auth.login(learner.email)
    page = client.post("/attestation", follow_redirects=True).get_data(as_text=True)
    # the module titles are content: they stay as written
    assert "The course is not finished. Modules remaining: “" in page and "“Agir et orienter”" in page
    assert "Le parcours n&#39;est pas terminé" not in page


def test_after_erasure_the_certificate_stays_valid_without_the_holders_name(app, client, auth, learner, admin, code):
    auth.logout()
    auth.login(admin.email)
    erased = client.post(f"/admin/users/{learner.id}/erase", data={"confirmation": learner.email})
    assert erased.status_code == 302
    auth.logout()
    public = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "Valide" in public and "identité effacée à sa demande" in public
    assert "Elle a été délivrée le " in public and "Prévenir les discriminations dans l&#39;accès aux soins" in public
    assert "Camille" not in public and "Martin" not in public and "Infirmière" not in public
    auth.login(admin.email)
    shown = {  # each page still shows the record, only the person is gone
        "/admin/certificates": code, f"/admin/certificates/{code}": "identité effacée à sa demande",
        "/admin/audit": "Attestation délivrée", "/admin/exports/completions.csv": "Personne anonymisée,anonyme-",
        "/admin/exports/attendance.csv": "Personne anonymisée,anonyme-", "/admin/exports/completions.xapi": '"name": "1"',
    }
    for url, evidence in shown.items():
        response = client.get(url)
        text = response.get_data(as_text=True)  # read now: exports are streamed
        assert response.status_code == 200 and evidence in text, url
        assert "Camille" not in text and "Infirmi" not in text, url
    assert client.get(f"/admin/certificates/{code}.pdf").status_code == 302  # its signed data held the name: no PDF any more
    refused = client.post(f"/admin/certificates/{code}/reissue", data={"reissue-reason": "Essai"}, follow_redirects=True)
    assert "aucune attestation ne peut plus lui être délivrée" in refused.get_data(as_text=True)
    [certificate] = stored(app)
    assert "Camille" not in certificate.credential and "Infirmi" not in certificate.credential
    assert certificate.revoked_at is None


EXAMPLE_WARNING = "L'organisme n'est pas entièrement renseigné"


def test_admin_is_told_what_is_missing_while_parcours_yml_holds_example_values(tmp_path):
    app = certificate_app(tmp_path, ELEARN_MODULES_DIR=str(modules_with_example_values(tmp_path)))
    add_user(app, "admin@exemple.fr", Role.ADMIN)
    client = app.test_client()
    AuthActions(client).login("admin@exemple.fr")
    for url in ("/admin/dashboard", "/admin/certificates", "/admin/organisation"):
        page = client.get(url).get_data(as_text=True)
        assert EXAMPLE_WARNING in page and "Nom de l&#39;organisme, Fonction du ou de la signataire." in page, url
    client.get("/langue/en")
    english = client.get("/admin/dashboard").get_data(as_text=True)
    assert "The organisation's details are incomplete" in english
    assert EXAMPLE_WARNING not in english


def test_no_warning_once_parcours_yml_is_filled_in(client, auth, admin):
    auth.login(admin.email)
    for url in ("/admin/dashboard", "/admin/certificates"):
        assert EXAMPLE_WARNING not in client.get(url).get_data(as_text=True), url
