"""The module library as the web app sees it: loaded once per process, refreshed when files change."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, send_from_directory

from elearn.content.library import ModuleLibrary

EXTENSION_KEY = "elearn.library"


def init_app(app: Flask) -> None:
    """Create the process-wide library (parsed lazily, once) and serve the media folder.

    Module links and media URLs follow the library's default scheme (``/modules/<slug>/<section>``,
    ``/media/<name>``), which the learn blueprint and the route below serve.
    """
    app.extensions[EXTENSION_KEY] = ModuleLibrary(Path(app.config["ELEARN_MODULES_DIR"]), Path(app.config["ELEARN_MEDIA_DIR"]))

    @app.route("/media/<path:filename>", endpoint="media")
    def media(filename: str):  # noqa: ANN202
        # send_from_directory refuses any path that would leave the media folder.
        return send_from_directory(app.config["ELEARN_MEDIA_DIR"], filename, max_age=3600)


def get_library() -> ModuleLibrary:
    """The library, re-reading changed files (the library throttles this to once a second)."""
    library: ModuleLibrary = current_app.extensions[EXTENSION_KEY]
    library.refresh()
    return library
