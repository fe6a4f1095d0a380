"""Administration › Organisation: values over parcours.yml's, checked uploads, the audit trail, and the
« Document de démonstration » mark on certificates issued while the organisation is not filled in."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlmodel import select

from elearn.db import get_engine, session_scope
from elearn.models import AuditEvent, OrganisationProfile
from tests.certificates.support import certificate_app, complete_path, modules_with_example_values, obtain_certificate
from tests.organisation.test_images import SVG, picture

DEMO = "Document de démonstration — organisation non renseignée"
FILLED_IN = {
    "name": "Association Égalité Santé Rhône",
    "address": "3 place Bellecour\r\n69002 Lyon",
    "siret": "732 829 320 00074",
    "registration_number": "84691234569",
    "signatory_name": "Dominique Lefèvre",
    "signatory_role": "présidente",
}


@pytest.fixture
def app(tmp_path):
    """The certificate fixtures with parcours.yml still holding the example's organisation, as shipped."""
    app = certificate_app(tmp_path, ELEARN_MODULES_DIR=str(modules_with_example_values(tmp_path)))
    yield app
    get_engine(app).dispose()


def events(app) -> list[AuditEvent]:
    with app.app_context(), session_scope() as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.action == "organisation.updated")))


def obtain_pdf_text(app, client, auth, learner) -> tuple[str, str]:
    """The learner finishes and obtains their certificate: its code and its PDF's text."""
    complete_path(app, learner.id)
    auth.login(learner.email)
    code = obtain_certificate(client)
    location = f"/attestation/{code}.pdf"
    pdf = PdfReader(io.BytesIO(client.get(location).data))
    auth.logout()
    return code, " ".join(page.extract_text() for page in pdf.pages)


def test_the_page_shows_parcours_yml_values_and_what_is_missing(client, auth, admin):
    auth.login(admin.email)
    page = client.get("/admin/organisation").get_data(as_text=True)
    assert 'value="Association organisatrice (À REMPLACER)"' in page
    assert "À compléter&nbsp;: Nom de l&#39;organisme, Fonction du ou de la signataire." in page


def test_while_example_values_remain_certificates_say_they_are_a_demonstration(app, client, auth, learner):
    code, text = obtain_pdf_text(app, client, auth, learner)
    assert DEMO in text
    assert DEMO in client.get(f"/verify/{code}").get_data(as_text=True)


def test_once_filled_in_certificates_carry_the_organisation_and_no_mark(app, client, auth, admin, learner):
    auth.login(admin.email)
    assert "L'organisme n'est pas entièrement renseigné" in client.get("/admin/dashboard").get_data(as_text=True)
    response = client.post(
        "/admin/organisation",
        data={**FILLED_IN, "signature": (io.BytesIO(picture("JPEG")), "signature.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert "L'organisme n'est pas entièrement renseigné" not in client.get("/admin/dashboard").get_data(as_text=True)
    assert client.get("/admin/organisation/signature.png").data.startswith(b"\x89PNG")
    auth.logout()
    code, text = obtain_pdf_text(app, client, auth, learner)
    assert DEMO not in text and "Association Égalité Santé Rhône" in text and "84 69 12345 69" in text
    verification = client.get(f"/verify/{code}").get_data(as_text=True)
    assert DEMO not in verification and "Association Égalité Santé Rhône" in verification
    [event] = events(app)
    assert event.actor_id == admin.id
    assert event.details["name"] == "Association Égalité Santé Rhône" and event.details["siret"] == "73282932000074"
    assert event.details["address"] == "3 place Bellecour\n69002 Lyon" and len(event.details["signature_png"]) == 64


def test_saving_unchanged_values_records_nothing(app, client, auth, admin):
    auth.login(admin.email)
    page = client.get("/admin/organisation").get_data(as_text=True)
    current = {
        "name": "Association organisatrice (À REMPLACER)",
        "address": "12 rue de la République\n69002 Lyon",
        "registration_number": "84 69 12345 69",
        "signatory_name": "Dominique Lefèvre",
        "signatory_role": "Fonction du signataire (a\u0300 remplacer)",
    }
    assert "12 rue de la République" in page
    response = client.post("/admin/organisation", data=current, follow_redirects=True)
    assert "Aucune modification." in response.get_data(as_text=True) and events(app) == []


def test_bad_values_and_an_svg_are_refused_and_nothing_is_stored(app, client, auth, admin):
    auth.login(admin.email)
    response = client.post(
        "/admin/organisation",
        data={**FILLED_IN, "siret": "732 829 320 00075", "registration_number": "84 69", "name": " ",
              "logo": (io.BytesIO(SVG), "logo.png")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Ce SIRET n&#39;est pas valide" in page and "compte 11 chiffres" in page
    assert "Ce champ ne peut pas être vidé." in page and "Les images SVG ne sont pas acceptées" in page
    assert 'value="Dominique Lefèvre"' in page  # what was typed is kept
    with app.app_context(), session_scope() as session:
        assert session.get(OrganisationProfile, 1) is None
    assert events(app) == []


def test_only_administrators_reach_the_page(client, auth, learner):
    auth.login(learner.email)
    assert client.get("/admin/organisation").status_code in (403, 404)
