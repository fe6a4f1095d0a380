"""The language switcher's target: remember the visitor's choice and send them back where they were."""

from __future__ import annotations

from flask import abort, current_app, redirect, request, url_for

from elearn import i18n
from elearn.web.auth.routes import safe_next
from elearn.web.public import bp


@bp.route("/langue/<lang>")
def language(lang: str):
    """A plain link (works without JavaScript); only same-site ``next`` paths are followed."""
    if lang not in i18n.LANGUAGES:
        abort(404)
    response = redirect(safe_next(request.args.get("next")) or url_for("public.home"))
    response.set_cookie(
        i18n.COOKIE_NAME,
        lang,
        max_age=i18n.COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response
