"""elearn: an e-learning platform on preventing discrimination in access to healthcare.

``create_app`` is the one application factory; everything the app needs is wired here.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

__version__ = "0.1.0"


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask application from the environment, then ``config`` (tests pass their own)."""
    from elearn.config import Settings
    from elearn.web.urls import App

    app = App(__name__)
    settings = Settings()
    if config and "ELEARN_INSTANCE_DIR" in config:
        settings.instance_path = Path(config["ELEARN_INSTANCE_DIR"])
    if config and "SECRET_KEY" in config:
        settings.secret_key = config["SECRET_KEY"]
    app.config.from_mapping(settings.to_flask())
    if config:
        app.config.from_mapping(config)
    app.instance_path = app.config["ELEARN_INSTANCE_DIR"]

    from elearn import db
    from elearn.web import modules, setup

    db.init_app(app)
    modules.init_app(app)
    setup.init_extensions(app)
    setup.register_blueprints(app)
    setup.register_error_pages(app)
    return app
