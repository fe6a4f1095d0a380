"""Wiring of extensions, blueprints and error pages onto the application."""

from __future__ import annotations

import logging
from functools import lru_cache

from flask import Flask, abort, g, render_template, request
from flask_login import AnonymousUserMixin, LoginManager
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import TooManyRequests
from werkzeug.middleware.proxy_fix import ProxyFix

from elearn import __version__, accounts, i18n
from elearn.db import get_session
from elearn.i18n import N_, _
from elearn.web.lti import framing
from elearn.web.sessions import SlidingSessionInterface
from elearn.web.json_body import json_error

csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = i18n.N_("Connectez-vous pour accéder à cette page.")
login_manager.localize_callback = i18n.gettext
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"

log = logging.getLogger("elearn")


@login_manager.user_loader
def _load_user(session_id: str):  # noqa: ANN202 - Flask-Login protocol
    return accounts.load_user_from_session_id(get_session(), session_id)


#: Endpoints whose requests may exceed MAX_CONTENT_LENGTH (media uploads), with their own limit in bytes.
LARGE_REQUEST_LIMITS = {"trainer.media_upload": 81 * 1024 * 1024}


def init_extensions(app: Flask) -> None:
    app.session_interface = SlidingSessionInterface()

    @app.before_request
    def _large_request_limit() -> None:
        # Before CSRFProtect reads the form: the limit must be known before the body is parsed.
        limit = LARGE_REQUEST_LIMITS.get(request.endpoint or "")
        if limit is not None:
            request.max_content_length = limit

    csrf.init_app(app)
    login_manager.init_app(app)

    @app.before_request
    def _refuse_nul_characters() -> None:
        # PostgreSQL text cannot hold U+0000 and no genuine form sends one: a 400 rather than a 500. The
        # query string is searched as sent (U+0000 is only ever "%00" or a raw NUL there), and only a
        # form body is parsed for it (Werkzeug parses no other): a GET costs no parsing.
        query = request.query_string
        if "\x00" in request.path or b"%00" in query or b"\x00" in query:
            abort(400)
        if request.mimetype in FORM_TYPES and any("\x00" in name + value for name, value in request.form.items(multi=True)):
            abort(400)

    i18n.init_app(app)

    @app.context_processor
    def _globals() -> dict[str, object]:
        return {"elearn_version": __version__, "nav_items": lambda: nav_items(app)}

    if app.config.get("ELEARN_PROXY_HOPS"):
        hops = int(app.config["ELEARN_PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

    @app.after_request
    def _security_headers(response):  # noqa: ANN001, ANN202 - Flask response
        origins = framing.frame_origins(app)  # LTI platforms may show elearn in their pages
        present = {name.lower() for name in response.headers.keys()}  # noqa: SIM118 - Headers: a view's own wins
        for lowered, name, value in _security_header_values(origins, g.get("csp_form_action"), app.config["SESSION_COOKIE_SECURE"]):
            if lowered not in present:
                response.headers.add(name, value)
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


#: Bodies Werkzeug parses into ``request.form``.
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


@lru_cache(maxsize=64)
def _security_header_values(origins: tuple[str, ...], form_action: str | None, secure: bool) -> tuple[tuple[str, str, str], ...]:
    """The security headers of a response, as (lower-cased name, name, value): built once per set of
    LTI origins and form target, not on every response."""
    headers = {**SECURITY_HEADERS, "Content-Security-Policy": framing.content_security_policy(
        SECURITY_HEADERS["Content-Security-Policy"], origins, form_action)}
    if origins:  # framed by the platforms: frame-ancestors says where
        del headers["X-Frame-Options"]
    if secure:  # only when served over HTTPS (ELEARN_SECURE_COOKIES=1): browsers then refuse plain HTTP
        headers["Strict-Transport-Security"] = "max-age=31536000"
    return tuple((name.lower(), name, value) for name, value in headers.items())


def _roll_back_quietly() -> None:
    try:
        get_session().rollback()
    except OperationalError:
        log.warning("Rollback failed too: the database connection is gone")


def _has_user() -> bool:
    """Whether a logged-in user was loaded for this request (without loading one now)."""
    user = g.get("_login_user")
    return bool(user is not None and user.is_authenticated)


#: Main navigation: (endpoint, French label translated by base.html, roles that see it). Entries whose blueprint is not
#: registered are skipped, so the menu follows the features actually installed.
NAV = [
    ("learn.catalog", i18n.N_("Mes modules"), {"learner", "trainer", "admin"}),
    ("learn.progress", i18n.N_("Ma progression"), {"learner", "trainer", "admin"}),
    ("learn.certificate", i18n.N_("Mon attestation"), {"learner", "trainer", "admin"}),
    ("network.index", i18n.N_("Réseau de vigilance"), {"learner", "trainer", "admin"}),
    ("trainer.index", i18n.N_("Espace formateur"), {"trainer", "admin"}),
    ("admin.index", i18n.N_("Administration"), {"admin"}),
    ("auth.account", i18n.N_("Mon compte"), {"learner", "trainer", "admin"}),
]


def nav_items(app: Flask) -> list[tuple[str, str, set[str]]]:
    return [item for item in NAV if item[0] in app.view_functions]


def register_blueprints(app: Flask) -> None:
    from elearn.web import admin, assessment, auth, learn, lti, network, public, trainer

    for blueprint in (public.bp, auth.bp, learn.bp, assessment.bp, network.bp, trainer.bp, admin.bp, lti.bp):
        app.register_blueprint(blueprint)
    # A platform's launch is a cross-site POST carrying a signed id_token, not one of our forms.
    csrf.exempt(lti.routes.login)
    csrf.exempt(lti.routes.launch)


#: Endpoints that scripts call and whose answers they read as JSON, errors included.
JSON_ENDPOINTS = frozenset({"learn.heartbeat", "learn.autosave_reflection"})


def _wants_json() -> bool:
    """Errors of JSON endpoints are JSON too (``json_body.json_error``'s shape, which their scripts read)."""
    return request.endpoint in JSON_ENDPOINTS or request.is_json


def register_error_pages(app: Flask) -> None:
    """Friendly pages in the interface's language; never a traceback."""

    messages = {
        400: (N_("Requête invalide"), N_("La demande envoyée n'a pas pu être comprise.")),
        403: (N_("Accès refusé"), N_("Votre compte ne donne pas accès à cette page.")),
        404: (N_("Page introuvable"), N_("Cette page n'existe pas ou plus.")),
        405: (N_("Action non permise"), N_("Cette action n'est pas possible sur cette page.")),
        413: (N_("Envoi trop volumineux"), N_("Ce que vous avez envoyé dépasse la taille permise.")),
        429: (N_("Trop de tentatives"), N_("Patientez quelques minutes avant de réessayer.")),
        500: (N_("Erreur du serveur"), N_("Un problème est survenu de notre côté. Ce que vous aviez enregistré est conservé ; réessayez dans un instant.")),
        503: (N_("Service indisponible"), N_("Le service est momentanément indisponible. Réessayez dans un instant.")),
    }

    def render(code: int, detail: str | None = None):  # noqa: ANN202
        title, text = messages[code]
        if _wants_json():
            return json_error(detail or _(text), code)
        return render_template("errors/error.html", code=code, title=_(title), text=detail or _(text)), code

    for code in messages:
        app.register_error_handler(code, lambda error, code=code: render(code))

    @app.errorhandler(TooManyRequests)
    def _too_many(error: TooManyRequests):  # noqa: ANN202
        wait = error.retry_after if isinstance(error.retry_after, int) else 60
        pause = i18n.format_duration(max(wait, 60))
        body, code = render(429, _("Trop de tentatives. Patientez %(pause)s avant de réessayer.", pause=pause))
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
            _("Le formulaire a expiré ou n'a pas pu être vérifié. Rechargez la page et recommencez : rien n'a été enregistré."),
        )
