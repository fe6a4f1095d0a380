"""Accounts from the browser: one by one with a password link, from a CSV or XLSX file with a preview."""

from __future__ import annotations

import io
import re

import openpyxl
from sqlmodel import select

from elearn import groups
from elearn.db import session_scope
from elearn.models import AuditEvent, User
from tests.conftest import add_user

CSV = (
    "Nom;E-mail;Profession;Groupe;Rôle\r\n"
    "Léa Nguyen;lea.nguyen@exemple.fr;Infirmière;Atelier de Metz;\r\n"
    "Sacha Durand;sacha.durand@exemple.fr;Médiateur;;formateur\r\n"
    ";sans.nom@exemple.fr;;;\r\n"
    "Pas d'adresse;pas-une-adresse;;;\r\n"
    "Inconnu du groupe;groupe@exemple.fr;;Atelier de Brest;\r\n"
    "Rôle bizarre;role@exemple.fr;;;chef\r\n"
    "Léa en double;LEA.NGUYEN@exemple.fr;;;\r\n"
    "Déjà là;deja@exemple.fr;;;\r\n"
)


def _group(app, name: str) -> int:
    with app.app_context(), session_scope() as session:
        return groups.create_group(session, name, actor=None).id


def _users(app) -> dict[str, User]:
    with app.app_context(), session_scope() as session:
        return {u.email: u for u in session.exec(select(User))}


def test_an_administrator_creates_an_account_with_a_role_a_group_and_a_link(app, client, as_admin):
    metz = _group(app, "Atelier de Metz")
    response = client.post("/admin/users/new", data={
        "full_name": "  Léa   Nguyen ", "email": "Lea.Nguyen@exemple.fr", "profession": "Infirmière",
        "role": "trainer", "group": str(metz),
    })
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "1 compte créé" in html
    link = re.search(r'value="(http://localhost/password/reset/[^"]+)"', html).group(1)
    lea = _users(app)["lea.nguyen@exemple.fr"]
    assert (lea.full_name, lea.role, lea.group_id) == ("Léa Nguyen", "trainer", metz)
    assert client.get(link.removeprefix("http://localhost")).status_code == 200  # the link lets her choose a password
    again = client.post("/admin/users/new", data={"full_name": "Autre", "email": "lea.nguyen@exemple.fr", "role": "learner", "group": ""})
    assert again.status_code == 400 and "Un compte existe déjà avec cette adresse (Léa Nguyen)" in again.get_data(as_text=True)


def test_an_import_reports_every_bad_line_creates_nothing_before_confirmation_and_nobody_twice(app, client, as_admin):
    _group(app, "Atelier de Metz")
    add_user(app, "deja@exemple.fr", full_name="Déjà Là")
    before = len(_users(app))
    preview = client.post("/admin/users/import", data={"file": (io.BytesIO(CSV.encode("utf-8-sig")), "inscrits.csv")},
                          content_type="multipart/form-data")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and len(_users(app)) == before  # nothing created by the preview
    assert "2 comptes à créer" in html and "1 déjà existant" in html and "5 lignes refusées" in html
    for line, reason in [(4, "nom manquant"), (5, "adresse e-mail invalide « pas-une-adresse »"),
                         (6, "groupe inconnu « Atelier de Brest »"), (7, "rôle inconnu « chef »"),
                         (8, "adresse déjà présente ligne 2 du fichier")]:
        assert re.search(rf"Ligne {line}</strong>[^<]*: [^<]*{re.escape(reason)}", html), (line, reason)
    rows = re.search(r'name="rows" type="hidden" value="([^"]+)"', html).group(1)
    done = client.post("/admin/users/import/confirm", data={"rows": rows})
    assert "2 comptes créés" in done.get_data(as_text=True)
    users = _users(app)
    assert users["lea.nguyen@exemple.fr"].group_id is not None and users["sacha.durand@exemple.fr"].role == "trainer"
    assert users["deja@exemple.fr"].full_name == "Déjà Là"  # left as it was
    # The same file again: nothing new, said so.
    client.post("/admin/users/import/confirm", data={"rows": rows})
    second = client.post("/admin/users/import", data={"file": (io.BytesIO(CSV.encode()), "inscrits.csv")},
                         content_type="multipart/form-data").get_data(as_text=True)
    assert re.search(r"\b0 comptes? à créer", second) and "3 déjà existants" in second and len(_users(app)) == before + 2


def test_a_tampered_confirmation_is_refused(app, client, as_admin):
    assert client.post("/admin/users/import/confirm", data={"rows": "W1syLCJYIiwieEBleC5mciJdXQ.forged"}).status_code == 400


def test_an_xlsx_file_is_read_like_a_csv(app, client, as_admin):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["nom complet", "courriel", "métier"])
    sheet.append(["Camille Martin", "camille@exemple.fr", "Aide-soignante"])
    sheet.append([None, None, None])
    sheet.append(["Sans adresse", None, None])
    data = io.BytesIO()
    workbook.save(data)
    html = client.post("/admin/users/import", data={"file": (io.BytesIO(data.getvalue()), "liste.xlsx")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "1 compte à créer" in html and re.search(r"Ligne 4</strong>[^<]*: adresse e-mail manquante", html)


def test_an_unreadable_file_gets_a_clear_message(app, client, as_admin):
    for name, content, message in [
        ("liste.pdf", b"%PDF", "Envoyez un fichier .csv ou .xlsx"),
        ("liste.xlsx", b"not a zip", "Ce fichier XLSX est illisible"),
        ("liste.csv", b"prenom;ville\r\nA;B\r\n", "colonne(s) introuvable(s) : nom, e-mail"),
        ("liste.csv", b"", "Le fichier est vide."),
    ]:
        response = client.post("/admin/users/import", data={"file": (io.BytesIO(content), name)}, content_type="multipart/form-data")
        assert response.status_code == 400 and message in response.get_data(as_text=True), name


def test_account_creation_and_import_are_in_the_audit_trail(app, client, as_admin):
    client.post("/admin/users/new", data={"full_name": "Léa Nguyen", "email": "lea@exemple.fr", "role": "learner", "group": ""})
    with app.app_context(), session_scope() as session:
        actions = [e.action for e in session.exec(select(AuditEvent).where(AuditEvent.actor_id == as_admin.id))]
    assert "account.created" in actions and "account.reset_link_issued" in actions
