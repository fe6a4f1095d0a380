"""Accounts: registration, log-in, log-out and password resets."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from elearn.web.auth import routes  # noqa: E402,F401 - registers the routes on bp
