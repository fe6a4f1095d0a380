"""The administrators' reporting pages and downloads, over HTTP, with seeded data."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlmodel import select

from elearn.db import session_scope
from elearn.models import AuditEvent
from tests.reporting.seed import seed


@pytest.fixture
def seeded(app):
    return seed(app)


@pytest.fixture
def as_admin(auth, admin):
    auth.login(admin.email)
    return admin


def page(client, url: str) -> str:  # noqa: ANN001
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_dashboard_shows_figures_for_the_chosen_period(client, seeded, as_admin):
    html = page(client, "/admin/dashboard?from=2026-03-01&to=2026-03-31")
    assert "Du 1er mars 2026 au 31 mars 2026" in html
    assert "premiers-pas" in html and "33 %" in html  # one attempt out of three passed
    assert '<span class="stat-value">1</span> <span class="stat-label">attestations délivrées' in html


def period_heading(html: str) -> str:
    return " ".join(html.split('<p class="lead">')[1].split("</p>")[0].split())


def test_dashboard_defaults_to_this_year_and_can_show_everything(client, seeded, as_admin):
    assert period_heading(page(client, "/admin/dashboard")).startswith(f"Du 1er janvier {date.today().year} au ")
    assert period_heading(page(client, "/admin/dashboard?from=&to=")) == "Depuis le début"


def test_learners_table_searches_and_filters(client, seeded, as_admin):
    html = page(client, "/admin/learners?q=%C3%A9lodie")
    assert "Élodie Marchand" in html and "Zoé Inactive" not in html
    html = page(client, "/admin/learners?module=suite&status=not_started")
    assert "Zoé Inactive" in html and "Élodie Marchand" not in html


def test_invalid_filters_show_a_message_not_an_error(client, seeded, as_admin):
    html = page(client, "/admin/learners?from=demain&status=rien")
    assert "Date de début invalide" in html and "Statut inconnu" in html


def test_learner_detail_lists_modules_attempts_and_days(client, seeded, as_admin):
    html = page(client, f"/admin/learners/{seeded.elodie}")
    assert "Élodie Marchand" in html and "87,5 %" in html
    assert "9 mars 2026" in html and "40 min" in html and "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE" in html
    assert client.get("/admin/learners/9999").status_code == 404


def test_export_download_streams_a_french_csv_and_is_audited(app, client, seeded, as_admin):
    response = client.get("/admin/exports/completions.csv-fr?module=premiers-pas&dates=iso")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Disposition"].startswith('attachment; filename="suivi-formation-')
    comment, text = response.get_data().decode("utf-8-sig").split("\r\n", 1)
    assert comment.startswith("# Organisme")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert {row["Module (identifiant)"] for row in rows} == {"premiers-pas"}
    assert next(r for r in rows if r["Nom"] == "Élodie Marchand")["Terminé le"] == "2026-03-10T09:30:00+00:00"
    with app.app_context(), session_scope() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert event.actor_id == as_admin.id and event.details["filters"] == {"module": "premiers-pas"}
    assert "Export" in page(client, "/admin/audit?action=export")


def test_export_with_invalid_filters_is_refused(client, seeded, as_admin):
    response = client.get("/admin/exports/completions.csv?from=hier", follow_redirects=True)
    assert "Date de début invalide" in response.get_data(as_text=True)
    assert client.get("/admin/exports/attendance.xapi").status_code == 302


@pytest.mark.parametrize("query", ["from=0001-01-01", "to=9999-12-31"])
def test_dates_out_of_range_are_form_errors_on_every_report(client, seeded, as_admin, query):
    for url in ("/admin/dashboard", "/admin/learners", "/admin/exports"):
        assert "hors limites" in page(client, f"{url}?{query}"), url
    download = client.get(f"/admin/exports/completions.csv-fr?{query}")
    assert download.status_code == 302 and download.headers["Location"].endswith("/admin/exports")


def test_a_page_number_past_the_end_shows_the_last_page(client, seeded, as_admin):
    assert "Élodie Marchand" in page(client, "/admin/learners?page=200000000000000000")


def test_exports_page_links_keep_the_filters(client, seeded, as_admin):
    html = page(client, "/admin/exports?module=suite&dates=iso")
    assert "/admin/exports/attendance.xlsx?module=suite&amp;dates=iso" in html
    assert "/admin/exports/completions.xapi?module=suite" in html


def test_audit_trail_filters_and_pages(client, app, seeded, as_admin):
    from elearn.accounts import record

    with app.app_context(), session_scope() as session:
        for number in range(60):
            record(session, "account.role_changed", target=f"user:{number}", before="learner", after="trainer")
        record(session, "certificate.revoked", target="certificate:1", reason="erreur")
    first = page(client, "/admin/audit?action=account.role_changed")
    assert "61 événements" not in first and "60 événements" in first and "Page 1 sur 2" in first
    assert "Page 2 sur 2" in page(client, "/admin/audit?action=account.role_changed&page=2")
    assert "Page 2 sur 2" in page(client, "/admin/audit?action=account.role_changed&page=200000000000000000")
    assert "Attestation révoquée" in page(client, "/admin/audit?action=certificate.revoked")


def test_reports_and_exports_can_be_limited_to_a_group(app, client, seeded, as_admin):
    from elearn import groups
    from elearn.models import User

    with app.app_context(), session_scope() as session:
        lyon = groups.create_group(session, "Atelier de Lyon", actor=None)
        groups.assign_group(session, session.get(User, seeded.elodie), lyon.id, actor=None)
    html = page(client, "/admin/learners")
    assert '<select id="f-group" name="group">' in html and "<option>Atelier de Lyon</option>" in html
    html = page(client, "/admin/learners?group=Atelier+de+Lyon")
    assert "Élodie Marchand" in html and "Zoé Inactive" not in html
    assert "Élodie Marchand" not in page(client, "/admin/learners?group=Inconnu")
    response = client.get("/admin/exports/completions.csv-fr?group=Atelier+de+Lyon")
    assert "-atelier-de-lyon-export-" in response.headers["Content-Disposition"]
    comment, text = response.get_data().decode("utf-8-sig").split("\r\n", 1)
    assert "groupe Atelier de Lyon" in comment
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert {row["Groupe"] for row in rows} == {"Atelier de Lyon"}
    assert rows and {row["Nom"] for row in rows} == {"Élodie Marchand"}
    with app.app_context(), session_scope() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert event.details["filters"] == {"group": "Atelier de Lyon"}
    assert "groupe Atelier de Lyon" in page(client, "/admin/audit?action=export")
