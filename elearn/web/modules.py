"""The module library as the web app sees it: loaded once per process, refreshed when files change."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from flask import Flask, current_app, send_from_directory
from werkzeug.exceptions import NotFound

from elearn.content.library import ModuleLibrary
from elearn.content.model import HtmlBlock, Module, Quiz, Reflection
from elearn.content.render import default_media_url

EXTENSION_KEY = "elearn.library"
log = logging.getLogger("elearn")


def init_app(app: Flask) -> None:
    """Create the process-wide library (parsed lazily, once) and serve the media folder.

    Module links and media URLs follow the library's default scheme (``/modules/<slug>/<section>``,
    ``/media/<name>``), which the learn blueprint and the route below serve.
    """
    app.extensions[EXTENSION_KEY] = ModuleLibrary(Path(app.config["ELEARN_MODULES_DIR"]), Path(app.config["ELEARN_MEDIA_DIR"]))

    @app.route("/media/<path:filename>", endpoint="media")
    def media(filename: str):  # noqa: ANN202
        # send_from_directory refuses any path that would leave the media folder.
        try:
            return send_from_directory(app.config["ELEARN_MEDIA_DIR"], filename, max_age=3600)
        except NotFound:
            _log_missing_media(filename)
            raise


def _log_missing_media(filename: str) -> None:
    """A file a module shows has gone missing: operators must hear of it; a probe for any name is only noted."""
    users = [module.slug for module in get_library().modules() if _shows_media(module, filename)]
    if users:
        log.warning("Media file %r, shown by module(s) %s, is missing from %s", filename, ", ".join(users),
                    current_app.config["ELEARN_MEDIA_DIR"])
    else:
        log.info("Media file %r not found (no module refers to it)", filename)


def _shows_media(module: Module, filename: str) -> bool:
    source = f'src="{default_media_url(filename)}"'
    return any(source in html for html in _html_fragments(module))


def _html_fragments(module: Module) -> Iterator[str]:
    """Every rendered fragment of ``module``, where media appear as ``src`` attributes."""
    yield module.intro_html
    for section in module.sections:
        for block in section.blocks:
            if isinstance(block, HtmlBlock):
                yield block.html
            elif isinstance(block, Reflection):
                yield from (block.prompt_html, block.guidance_html)
            elif isinstance(block, Quiz):
                for question in block.questions:
                    yield from (question.prompt_html, question.explanation_html)
                    yield from (html for choice in question.choices for html in (choice.html, choice.feedback_html))


def get_library() -> ModuleLibrary:
    """The library, re-reading changed files (the library throttles this to once a second)."""
    library: ModuleLibrary = current_app.extensions[EXTENSION_KEY]
    library.refresh()
    return library
