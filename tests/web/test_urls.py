"""The application's memoised ``url_for`` answers exactly what Flask's would, in every case it caches."""

from __future__ import annotations

import pytest
from flask import Blueprint, Flask
from werkzeug.routing import BuildError

from elearn.web.urls import App


def _app() -> App:
    app = App(__name__)
    app.config["SECRET_KEY"] = "test"
    bp = Blueprint("learn", __name__)
    bp.add_url_rule("/modules/<slug>/<section_id>", "section", lambda slug, section_id: "")
    bp.add_url_rule("/modules", "catalog", lambda: "")
    app.register_blueprint(bp)
    app.add_url_rule("/flag", "flag", lambda: "")
    return app


def _both(app: App, script_root: str, endpoint: str, path: str = "/modules", **values: object) -> tuple[str, str]:
    with app.test_request_context(path, base_url=f"http://example.org{script_root}"):
        return app.url_for(endpoint, **values), Flask.url_for(app, endpoint, **values)


def test_the_cached_urls_are_flasks_own() -> None:
    app = _app()
    cases = [
        ("", "learn.section", {"slug": "m1", "section_id": "s 1"}),
        ("", "learn.section", {"slug": "m1", "section_id": "s 1"}),  # now from the cache
        ("", "learn.catalog", {"_anchor": "quiz-1"}),
        ("", ".catalog", {}),  # relative to the request's blueprint
        ("", "flag", {"on": True}),
        ("", "flag", {"on": 1}),  # equal to True as a key, not as a URL
        ("/elearn", "learn.catalog", {}),  # mounted elsewhere: another script root, another answer
        ("", "learn.catalog", {"page": 2}),
        ("", "flag", {"ids": [1, 2]}),  # a value that cannot be a key
        ("", "learn.catalog", {"_external": True}),
    ]
    for script_root, endpoint, values in cases:
        cached, flask = _both(app, script_root, endpoint, **values)
        assert cached == flask, (script_root, endpoint, values)
    with app.test_request_context("/modules"):
        assert app.url_for("flag", on=True) == "/flag?on=True"
        assert app.url_for("flag", on=1) == "/flag?on=1"
    with app.test_request_context("/modules", base_url="http://example.org/elearn"):
        assert app.url_for("learn.catalog") == "/elearn/modules"


def test_outside_a_request_and_with_url_defaults_flask_builds_the_url() -> None:
    app = _app()
    app.config["SERVER_NAME"] = "example.org"
    with app.app_context():
        assert app.url_for("learn.catalog") == "http://example.org/modules"
    app.url_defaults(lambda endpoint, values: values.setdefault("lang", "fr") if endpoint == "flag" else None)
    with app.test_request_context("/modules"):
        assert app.url_for("flag") == "/flag?lang=fr"


def test_an_unknown_endpoint_is_still_an_error() -> None:
    app = _app()
    with app.test_request_context("/modules"):
        with pytest.raises(BuildError, match="learn.nowhere"):
            app.url_for("learn.nowhere")
