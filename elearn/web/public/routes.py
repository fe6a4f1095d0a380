"""Home page and the health check used by operators and load balancers."""

from __future__ import annotations

import logging

from flask import current_app, redirect, render_template, url_for
from flask_login import current_user

from elearn.db import HEALTHY, database_health
from elearn.web.public import bp

log = logging.getLogger(__name__)


@bp.route("/")
def home():
    """Learners land on their catalog; visitors see what the training is about."""
    if current_user.is_authenticated and "learn.catalog" in current_app.view_functions:
        return redirect(url_for("learn.catalog"))
    return render_template("public/home.html")


@bp.route("/healthz")
def healthz():
    """200 when the database answers and takes a write; 503 with the state otherwise.

    The reason goes to the log only: this page is public, and a driver's message can name hosts or paths.
    """
    state, reason = database_health()
    if state == HEALTHY:
        return {"status": "ok", "database": state}, 200
    log.warning("Health check: database %s: %s", state, reason)
    return {"status": "error", "database": state}, 503
