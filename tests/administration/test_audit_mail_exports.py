"""The audit trail as an auditor uses it, invitations through a real SMTP server, exports for funders."""

from __future__ import annotations

import csv
import io
import re
import socket
from datetime import UTC, datetime
from email.header import decode_header, make_header

import openpyxl
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from sqlmodel import select

from elearn import privacy
from elearn.accounts import record
from elearn.db import session_scope
from elearn.models import AuditEvent, Role, User
from tests.conftest import add_user


class Inbox(Message):
    """Keeps what the server received."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list = []

    def handle_message(self, message) -> None:  # noqa: ANN001
        self.messages.append(message)


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free loopback port, for the whole session."""
    inbox = Inbox()
    with socket.socket() as probe:  # aiosmtpd checks it is up by connecting to the port it was given
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, inbox
    controller.stop()


def _event(app, action: str, at: datetime, actor_id: int | None, target: str) -> None:
    with app.app_context(), session_scope() as session:
        record(session, action, actor=session.get(User, actor_id) if actor_id else None, target=target)
        event = session.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        event.at = at
        session.add(event)


def _table(client, url: str) -> str:
    """The events' table of the audit page (the filter's lists name every kind of event)."""
    return client.get(url).get_data(as_text=True).split("<tbody>", 1)[1]


def test_the_audit_trail_filters_by_period_person_and_kind_and_names_people(app, client, as_admin):
    lea = add_user(app, "lea@exemple.fr", full_name="Léa Nguyen")
    gone = add_user(app, "gone@exemple.fr", full_name="Sam Effacé")
    _event(app, "account.role_changed", datetime(2026, 3, 10, 9, tzinfo=UTC), as_admin.id, f"user:{lea.id}")
    _event(app, "account.deactivated", datetime(2026, 5, 2, 9, tzinfo=UTC), as_admin.id, f"user:{gone.id}")
    _event(app, "account.password_reset", datetime(2026, 3, 12, 9, tzinfo=UTC), lea.id, f"user:{lea.id}")
    with app.app_context(), session_scope() as session:
        privacy.erase_person(session, session.get(User, gone.id), actor=session.get(User, as_admin.id), confirmation="gone@exemple.fr")
    march = _table(client, "/admin/audit?from=2026-03-01&to=2026-03-31")
    assert march.count("<th scope=\"row\">") == 2 and "Léa Nguyen" in march and "compte n°" not in march
    by_lea = _table(client, "/admin/audit?person=nguyen&role=actor")
    assert "Mot de passe réinitialisé" in by_lea and "Rôle modifié" not in by_lea
    about_gone = _table(client, "/admin/audit?action=account.&from=2026-05-01&to=2026-05-31")
    assert "personne effacée" in about_gone and "Sam Effacé" not in about_gone
    client.post("/admin/groups", data={"name": "Atelier de Metz"})
    assert "Atelier de Metz" in _table(client, "/admin/audit?action=group.")  # a group by its name
    bad = client.get("/admin/audit?from=hier").get_data(as_text=True)
    assert "Date de début invalide" in bad


def test_the_filtered_audit_trail_exports_as_csv_fr_and_xlsx(app, client, as_admin):
    lea = add_user(app, "lea@exemple.fr", full_name="Léa Nguyen")
    _event(app, "account.role_changed", datetime(2026, 3, 10, 9, tzinfo=UTC), as_admin.id, f"user:{lea.id}")
    _event(app, "account.deactivated", datetime(2026, 5, 2, 9, tzinfo=UTC), as_admin.id, f"user:{lea.id}")
    response = client.get("/admin/audit.csv-fr?from=2026-03-01&to=2026-03-31")
    assert 'filename="association-sante-egalite-journal-audit-export-' in response.headers["Content-Disposition"]
    comment, text = response.get_data().decode("utf-8-sig").split("\r\n", 1)
    assert "Association Santé Égalité" in comment and "84 69 12345 69" in comment
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [(r["Date"], r["Événement"], r["Par"], r["Concerne"]) for r in rows] == [
        ("10/03/2026 10:00", "Rôle modifié", "Alex Bernard", "Léa Nguyen")]
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/admin/audit.xlsx?person=Nguyen").get_data())).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Organisme : Association Santé Égalité" and values[4][:2] == ("Date", "Événement")
    assert len(values) == 5 + 3 and isinstance(values[5][0], datetime)  # created, role changed, deactivated
    with app.app_context(), session_scope() as session:
        exports = session.exec(select(AuditEvent).where(AuditEvent.target == "export:audit")).all()
    assert [e.details["format"] for e in exports] == ["csv-fr", "xlsx"]


def test_exports_for_funders_name_the_organisation_group_and_period(app, client, as_admin):
    response = client.get("/admin/exports/completions.xlsx?from=2026-01-01&to=2026-06-30")
    name = re.search(r'filename="([^"]+)"', response.headers["Content-Disposition"]).group(1)
    assert re.fullmatch(r"association-sante-egalite-suivi-formation-du-2026-01-01-au-2026-06-30-export-\d{4}-\d\d-\d\d\.xlsx", name)
    rows = list(openpyxl.load_workbook(io.BytesIO(response.get_data())).active.iter_rows(values_only=True))
    assert rows[0][0] == "Organisme : Association Santé Égalité"
    assert rows[1][0] == "N° de déclaration d'activité : 84 69 12345 69"
    assert "Groupe" in rows[4]
    plain = client.get("/admin/exports/completions.csv").get_data().decode()
    assert plain.startswith("learner_id,full_name,email,profession,group,")  # the plain CSV stays bare data


def test_invitations_go_through_a_real_smtp_server(app, client, as_admin, smtp_server):
    controller, inbox = smtp_server
    app.config.update(ELEARN_SMTP_URL=f"smtp://{controller.hostname}:{controller.port}", ELEARN_MAIL_FROM="formation@exemple.fr")
    inbox.messages.clear()
    page = client.post("/admin/users/new", data={"full_name": "Léa Nguyen", "email": "lea@exemple.fr", "role": "learner",
                                                 "group": "", "invite": "y"}).get_data(as_text=True)
    assert "Une invitation a été envoyée" in page
    [message] = inbox.messages
    link = re.search(r'value="(http://localhost/password/reset/[^"]+)"', page).group(1)
    body = message.get_payload(decode=True).decode("utf-8")
    subject = str(make_header(decode_header(message["Subject"])))
    assert message["To"].endswith("<lea@exemple.fr>") and subject == "Votre compte de formation — Association Santé Égalité"
    assert link in body and message["From"] == "formation@exemple.fr"


def test_an_unreachable_mail_server_still_shows_the_links(app, client, as_admin):
    app.config.update(ELEARN_SMTP_URL="smtp://127.0.0.1:9")  # discard port: nothing listens
    page = client.post("/admin/users/new", data={"full_name": "Léa Nguyen", "email": "lea@exemple.fr", "role": "learner",
                                                 "group": "", "invite": "y"}).get_data(as_text=True)
    assert "Les e-mails n&#39;ont pas pu être envoyés" in page or "Les e-mails n'ont pas pu être envoyés" in page
    assert "/password/reset/" in page
