"""Wiring of extensions, blueprints and error pages onto the application."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_login import LoginManager
from flask_wtf.csrf import CSRFError, CSRFProtect

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

    app.add_template_filter(formatting.format_duration, "duration")
    app.add_template_filter(formatting.date_fr, "date_fr")
    app.add_template_filter(formatting.datetime_fr, "datetime_fr")

    @app.context_processor
    def _globals() -> dict[str, object]:
        return {"elearn_version": __version__, "nav_items": lambda: nav_items(app)}

    @app.after_request
    def _security_headers(response):  # noqa: ANN001, ANN202 - Flask response
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; media-src 'self'; object-src 'none'; "
            "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
        )
        return response


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

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):  # noqa: ANN202
        log.warning("CSRF check failed: %s", error.description)
        return render(
            400,
            "Le formulaire a expiré ou n'a pas pu être vérifié. Rechargez la page et recommencez : rien n'a été enregistré.",
        )
