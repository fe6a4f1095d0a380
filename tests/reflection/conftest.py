"""The app of these tests reads the reflection fixture module (tests/reflection/fixtures/modules)."""

from __future__ import annotations

from pathlib import Path

import pytest

REFLECTION_MODULES = Path(__file__).parent / "fixtures" / "modules"


def use_reflection_modules(app):  # noqa: ANN001, ANN201 - a Flask app
    """Point the app's module library at the fixture module (before its first request)."""
    from elearn.content.library import ModuleLibrary
    from elearn.web.modules import EXTENSION_KEY

    app.config["ELEARN_MODULES_DIR"] = str(REFLECTION_MODULES)
    app.extensions[EXTENSION_KEY] = ModuleLibrary(REFLECTION_MODULES, Path(app.config["ELEARN_MEDIA_DIR"]))
    return app


@pytest.fixture
def app(app):
    return use_reflection_modules(app)
