"""Accounts: registration, log-in, log-out, password resets and « Mon compte »."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from elearn.web.auth import account, routes  # noqa: E402,F401 - registers the routes on bp
