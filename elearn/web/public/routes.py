"""Home page and the health check used by operators and load balancers."""

from __future__ import annotations

from flask import current_app, redirect, render_template, url_for
from flask_login import current_user

from elearn.db import database_is_reachable
from elearn.web.public import bp


@bp.route("/")
def home():
    """Learners land on their catalog; visitors see what the training is about."""
    if current_user.is_authenticated and "learn.catalog" in current_app.view_functions:
        return redirect(url_for("learn.catalog"))
    return render_template("public/home.html")


@bp.route("/healthz")
def healthz():
    if database_is_reachable():
        return {"status": "ok", "database": "ok"}, 200
    return {"status": "error", "database": "unreachable"}, 503
