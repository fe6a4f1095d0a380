"""The interface's languages: Flask-Babel set-up, the choice of locale, and the translation functions.

French is the source language: message ids are the French texts themselves, so French needs no
catalogue and is complete by construction; ``elearn/translations/en`` holds the English one
(``make translations`` extracts, updates and compiles it). Modules are content, not interface: they stay
in the language they were written in.

Domain code imports ``_`` (translate now), ``_l`` (translate when shown: form labels, class constants)
and ``N_`` (only mark for extraction, translate later with ``_``) from here. Outside a request they
all return the French text, so the CLI, exports and certificates keep speaking French.
"""

from __future__ import annotations

from flask import Flask, has_request_context, request
from babel.support import NullTranslations
from flask_babel import Babel, get_locale, get_translations, lazy_gettext, ngettext

from elearn import formatting

__all__ = ["LANGUAGES", "N_", "_", "_l", "current_locale", "init_app", "ngettext"]

_l = lazy_gettext

#: Interface languages, each named in itself (a switcher reads « English » to someone who reads English).
LANGUAGES = {"fr": "Français", "en": "English"}
DEFAULT_LOCALE = "fr"
#: The visitor's choice outlives the session: logging in or out clears the session, not the language.
COOKIE_NAME = "elearn_lang"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60

babel = Babel()


def _catalogue() -> NullTranslations:
    """This request's catalogue, found once per request: Flask-Babel looks the context, the locale and
    its cache up again for every string, and a page shows some forty strings (issue #24's profile)."""
    if not has_request_context():
        return get_translations()
    found = getattr(request, "_elearn_catalogue", None)
    if found is None:
        found = request._elearn_catalogue = get_translations()  # noqa: SLF001 - our own attribute
    return found


def gettext(string: str, **variables: object) -> str:
    """Flask-Babel's ``gettext``, with the request's catalogue looked up once."""
    translated = _catalogue().ugettext(string)
    return translated % variables if variables else translated


_ = gettext


def N_(message: str) -> str:  # noqa: N802 - the usual name of gettext_noop, known to the extractor
    """Mark ``message`` for the catalogue without translating it: it is translated where it is shown."""
    return message


def select_locale() -> str:
    """The visitor's choice (cookie), else the browser's preference among ours, else French.

    Outside a request (an app context in the CLI or a test) there is no visitor: French.
    """
    if not has_request_context():
        return DEFAULT_LOCALE
    chosen = request.cookies.get(COOKIE_NAME)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES.keys(), default=DEFAULT_LOCALE) or DEFAULT_LOCALE


def current_locale() -> str:
    """The language of this request's interface; French outside a request (CLI, tests of the domain)."""
    if not has_request_context():
        return DEFAULT_LOCALE
    locale = get_locale()
    return locale.language if locale is not None and locale.language in LANGUAGES else DEFAULT_LOCALE


def _formatter(kind: str):  # noqa: ANN202 - a template filter
    def localized(value):  # noqa: ANN001, ANN202
        return formatting.FORMATTERS[current_locale()][kind](value)

    localized.__name__ = f"localized_{kind}"
    return localized


#: Dates, times and durations in the interface's language (templates: ``|date``, ``|datetime``, ``|duration``).
format_date = _formatter("date")
format_datetime = _formatter("datetime")
format_duration = _formatter("duration")


def init_app(app: Flask) -> None:
    """Translations from ``elearn/translations``; locale-aware filters and the switcher's data for templates."""
    babel.init_app(app, locale_selector=select_locale, default_locale=DEFAULT_LOCALE)
    app.jinja_env.install_gettext_callables(  # the templates' _() too: the request's catalogue once
        gettext=lambda string: _catalogue().ugettext(string),
        ngettext=lambda singular, plural, n: _catalogue().ungettext(singular, plural, n),
        newstyle=True,
    )
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(format_duration, "duration")

    @app.context_processor
    def _languages() -> dict[str, object]:
        return {"languages": LANGUAGES, "current_locale": current_locale}
