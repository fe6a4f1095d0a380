"""``elearn users create`` and ``elearn init``: accounts made from the command line log in on the web.

The first administrator is what a fresh installation is reached through, and its password is printed only
once: these tests read it from the command's output, as the person installing the platform does.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from elearn.cli.db import init
from elearn.cli.users import users
from elearn.db import get_engine, session_scope
from elearn.models import Role, User
from tests.conftest import make_test_app

#: SQLite only: the database plays no part in what these tests check (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only

ELEARN = Path(sys.executable).with_name("elearn")


def _accounts(app) -> list[User]:  # noqa: ANN001 - a Flask app
    with app.app_context(), session_scope() as session:
        return list(session.exec(select(User).order_by(User.id)))


def _printed_password(output: str, label: str) -> str:
    """The password a command printed after ``label`` (``Mot de passe :`` or ``mot de passe :``)."""
    match = re.search(rf"{label}\s*:\s*(\S+)", output)
    assert match, output
    return match.group(1)


def _login(client, email: str, password: str) -> int:  # noqa: ANN001 - a Flask test client
    return client.post("/login", data={"email": email, "password": password}).status_code


def test_users_create_makes_a_trainer_whose_printed_password_logs_in(app, runner, client) -> None:
    result = runner.invoke(users, ["create", "Formatrice@Exemple.fr", "--role", "trainer", "--name", "Sacha Durand"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Compte créé : formatrice@exemple.fr (Formateur·rice).\n")
    password = _printed_password(result.output, "Mot de passe")
    [user] = _accounts(app)
    assert (user.email, user.full_name, user.role) == ("formatrice@exemple.fr", "Sacha Durand", Role.TRAINER.value)
    assert user.password_hash.startswith("$argon2id$") and password not in user.password_hash
    assert _login(client, "formatrice@exemple.fr", "mauvais mot de passe") == 401
    assert _login(client, "formatrice@exemple.fr", password) == 302
    assert client.get("/trainer/").status_code == 200
    assert client.get("/admin/users").status_code == 403


def test_users_create_with_a_chosen_password_does_not_print_it(app, runner, client) -> None:
    result = runner.invoke(users, ["create", "camille@exemple.fr", "--password", "un mot de passe choisi"])
    assert result.exit_code == 0, result.output
    assert "un mot de passe choisi" not in result.output and "Mot de passe" not in result.output
    assert [u.role for u in _accounts(app)] == [Role.LEARNER.value]
    assert _login(client, "camille@exemple.fr", "un mot de passe choisi") == 302


def test_users_create_refuses_a_taken_email_in_french(app, runner) -> None:
    assert runner.invoke(users, ["create", "camille@exemple.fr"]).exit_code == 0
    again = runner.invoke(users, ["create", "CAMILLE@exemple.fr", "--role", "admin"])
    assert again.exit_code == 1
    assert again.output == (
        "Error: Un compte existe déjà avec l'adresse camille@exemple.fr (Apprenant·e) : aucun compte créé ; "
        "pour lui donner un nouveau mot de passe, lancez « elearn users reset-link camille@exemple.fr ».\n"
    )
    assert [(u.email, u.role) for u in _accounts(app)] == [("camille@exemple.fr", Role.LEARNER.value)]


def test_users_create_refuses_a_malformed_email_in_french(app, runner) -> None:
    result = runner.invoke(users, ["create", "pas-une-adresse"])
    assert result.exit_code == 1
    assert "Adresse e-mail invalide" in result.output
    assert _accounts(app) == []


def test_first_init_creates_one_administrator_whose_printed_password_logs_in(app, runner, client) -> None:
    result = runner.invoke(init)
    assert result.exit_code == 0, result.output
    email = app.config["ELEARN_ADMIN_EMAIL"]
    assert f"e-mail       : {email}" in result.output
    password = _printed_password(result.output, "mot de passe")
    [admin] = _accounts(app)
    assert (admin.email, admin.role) == (email, Role.ADMIN.value)
    assert admin.password_hash.startswith("$argon2id$") and password not in admin.password_hash
    assert _login(client, email, password) == 302
    assert client.get("/admin/users").status_code == 200


def test_second_init_creates_no_administrator_and_prints_no_password(app, runner) -> None:
    first = runner.invoke(init)
    second = runner.invoke(init)
    assert second.exit_code == 0, second.output
    assert second.output == "Base de données à jour.\n"
    assert _printed_password(first.output, "mot de passe") not in second.output
    assert [u.role for u in _accounts(app)] == [Role.ADMIN.value]


def test_init_leaves_an_existing_administrator_alone(app, runner) -> None:
    runner.invoke(users, ["create", "cheffe@exemple.fr", "--role", "admin", "--password", "un mot de passe choisi"])
    result = runner.invoke(init)
    assert result.exit_code == 0, result.output
    # The first init still creates the signing key and says so; it creates no account and prints no password.
    assert result.output.endswith("Base de données à jour.\n")
    assert "mot de passe" not in result.output and "Compte administrateur" not in result.output
    assert [u.email for u in _accounts(app)] == ["cheffe@exemple.fr"]


def test_the_elearn_script_on_a_fresh_instance_folder(tmp_path) -> None:
    """What ``make run`` does on a new machine: the console script, a new SQLite file, init run twice."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("ELEARN_")}
    env.update(ELEARN_INSTANCE_DIR=str(tmp_path / "instance"), ELEARN_ADMIN_EMAIL="direction@exemple.fr")
    run = lambda: subprocess.run([ELEARN, "init"], env=env, capture_output=True, text=True, timeout=120)  # noqa: E731
    first, second = run(), run()
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    password = _printed_password(first.stdout, "mot de passe")
    assert "mot de passe" not in second.stdout
    app = make_test_app(tmp_path, ELEARN_DATABASE_URL=f"sqlite:///{tmp_path / 'instance' / 'elearn.sqlite3'}")
    try:
        assert [(u.email, u.role) for u in _accounts(app)] == [("direction@exemple.fr", Role.ADMIN.value)]
        assert _login(app.test_client(), "direction@exemple.fr", password) == 302
    finally:
        get_engine(app).dispose()
