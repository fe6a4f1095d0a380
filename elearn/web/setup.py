"""Wiring of extensions, blueprints and error pages onto the application."""

from __future__ import annotations

import logging

from flask import Flask, abort, g, render_template, request
from flask_login import AnonymousUserMixin, LoginManager
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import TooManyRequests
from werkzeug.middleware.proxy_fix import ProxyFix

from elearn import __version__, accounts, formatting
from elearn.db import get_session

csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Connectez-vous pour accéder à cette page."
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"

log = logging.getLogger("elearn")


@login_manager.user_loader
def _load_user(session_id: str):  # noqa: ANN202 - Flask-Login protocol
    return accounts.load_user_from_session_id(get_session(), session_id)


def init_extensions(app: Flask) -> None:
    csrf.init_app(app)
    login_manager.init_app(app)

    @app.before_request
    def _refuse_nul_characters() -> None:
        # PostgreSQL text cannot hold U+0000 and no genuine form sends one: a 400 rather than a 500.
        fields = [*request.args.items(multi=True), *request.form.items(multi=True)]
        if "\x00" in request.path or any("\x00" in name + value for name, value in fields):
            abort(400)

    app.add_template_filter(formatting.format_duration, "duration")
    app.add_template_filter(formatting.date_fr, "date_fr")
    app.add_template_filter(formatting.datetime_fr, "datetime_fr")

    @app.context_processor
    def _globals() -> dict[str, object]:
        return {"elearn_version": __version__, "nav_items": lambda: nav_items(app)}

    if app.config.get("ELEARN_PROXY_HOPS"):
        hops = int(app.config["ELEARN_PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

    @app.after_request
    def _security_headers(response):  # noqa: ANN001, ANN202 - Flask response
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config["SESSION_COOKIE_SECURE"]:
            # Only when served over HTTPS (ELEARN_SECURE_COOKIES=1): browsers then refuse plain HTTP.
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if response.mimetype == "text/html" and "Cache-Control" not in response.headers and _has_user():
            # Pages with personal data stay out of shared and back-button caches.
            response.headers["Cache-Control"] = "private, no-store"
        return response


#: Sent on every response. The CSP allows scripts and styles from our own files only: no inline
#: script, no ``on*=`` handler, no ``style=`` attribute can run, even if one slipped through.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; "
        "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def _roll_back_quietly() -> None:
    try:
        get_session().rollback()
    except OperationalError:
        log.warning("Rollback failed too: the database connection is gone")


def _has_user() -> bool:
    """Whether a logged-in user was loaded for this request (without loading one now)."""
    user = g.get("_login_user")
    return bool(user is not None and user.is_authenticated)


#: Main navigation: (endpoint, French label, roles that see it). Entries whose blueprint is not
#: registered are skipped, so the menu follows the features actually installed.
NAV = [
    ("learn.catalog", "Mes modules", {"learner", "trainer", "admin"}),
    ("learn.progress", "Ma progression", {"learner", "trainer", "admin"}),
    ("network.index", "Réseau de vigilance", {"learner", "trainer", "admin"}),
    ("trainer.index", "Espace formateur", {"trainer", "admin"}),
    ("admin.index", "Administration", {"admin"}),
]


def nav_items(app: Flask) -> list[tuple[str, str, set[str]]]:
    return [item for item in NAV if item[0] in app.view_functions]


def register_blueprints(app: Flask) -> None:
    from elearn.web import admin, auth, learn, network, public, trainer

    for blueprint in (public.bp, auth.bp, learn.bp, network.bp, trainer.bp, admin.bp):
        app.register_blueprint(blueprint)


def register_error_pages(app: Flask) -> None:
    """Friendly French pages; never a traceback."""

    messages = {
        400: ("Requête invalide", "La demande envoyée n'a pas pu être comprise."),
        403: ("Accès refusé", "Votre compte ne donne pas accès à cette page."),
        404: ("Page introuvable", "Cette page n'existe pas ou plus."),
        405: ("Action non permise", "Cette action n'est pas possible sur cette page."),
        413: ("Envoi trop volumineux", "Ce que vous avez envoyé dépasse la taille permise."),
        429: ("Trop de tentatives", "Patientez quelques minutes avant de réessayer."),
        500: ("Erreur du serveur", "Un problème est survenu de notre côté. Ce que vous aviez enregistré est conservé ; réessayez dans un instant."),
        503: ("Service indisponible", "Le service est momentanément indisponible. Réessayez dans un instant."),
    }

    def render(code: int, detail: str | None = None):  # noqa: ANN202
        title, text = messages[code]
        return render_template("errors/error.html", code=code, title=title, text=detail or text), code

    for code in messages:
        app.register_error_handler(code, lambda error, code=code: render(code))

    @app.errorhandler(TooManyRequests)
    def _too_many(error: TooManyRequests):  # noqa: ANN202
        wait = error.retry_after if isinstance(error.retry_after, int) else 60
        body, code = render(429, f"Trop de tentatives. Patientez {formatting.format_duration(max(wait, 60))} avant de réessayer.")
        return body, code, {"Retry-After": str(wait)}

    @app.errorhandler(OperationalError)
    def _database_unavailable(error: OperationalError):  # noqa: ANN202
        log.error("Database unavailable during %s %s: %s", request.method, request.path, error.orig)
        # Nothing half-written is kept, and the error page may still read (a write may be what failed).
        _roll_back_quietly()
        if "_login_user" not in g:
            # The page must not try to load the user from the database that just failed.
            g._login_user = AnonymousUserMixin()
        return render(503)

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):  # noqa: ANN202
        log.warning("CSRF check failed: %s", error.description)
        return render(
            400,
            "Le formulaire a expiré ou n'a pas pu être vérifié. Rechargez la page et recommencez : rien n'a été enregistré.",
        )
