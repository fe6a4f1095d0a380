"""The module library as the web app sees it: loaded once per process, refreshed when files change.

Publications and media uploads made in the browser (by any worker, on any machine) reach this process
through :class:`PublicationWatcher`: at most once a second it reads the newest publication and upload
ids, one query on two primary keys, and only when they changed does it rewrite ``modules/`` (and the
uploaded files of ``media/``) from the database.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from flask import Flask, current_app, send_from_directory
from werkzeug.exceptions import NotFound

from elearn.authoring.media import sync_media
from elearn.authoring.publish import last_change
from elearn.authoring.sync import sync_folder
from elearn.content.library import ModuleLibrary
from elearn.content.model import HtmlBlock, Module, Quiz, Reflection
from elearn.content.render import default_media_url
from elearn.db import get_session

EXTENSION_KEY = "elearn.library"
WATCHER_KEY = "elearn.publication_watcher"
log = logging.getLogger("elearn")


def init_app(app: Flask) -> None:
    """Create the process-wide library (parsed lazily, once) and serve the media folder.

    Module links and media URLs follow the library's default scheme (``/modules/<slug>/<section>``,
    ``/media/<name>``), which the learn blueprint and the route below serve.
    """
    app.extensions[EXTENSION_KEY] = ModuleLibrary(Path(app.config["ELEARN_MODULES_DIR"]), Path(app.config["ELEARN_MEDIA_DIR"]))
    app.extensions[WATCHER_KEY] = PublicationWatcher(app.config.get("ELEARN_PUBLICATION_POLL_SECONDS", 1.0))

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
    """The library, re-reading changed files and publications (both throttled to once a second)."""
    library: ModuleLibrary = current_app.extensions[EXTENSION_KEY]
    if current_app.extensions[WATCHER_KEY].check():
        library.refresh(force=True)
    else:
        library.refresh()
    return library


class PublicationWatcher:
    """Rewrites ``modules/`` (and ``media/``) when the newest publication (or upload) is not the one last seen."""

    def __init__(self, min_interval: float = 1.0) -> None:
        self._min_interval = min_interval
        self._last_check = float("-inf")
        self._seen: tuple[int, int] | None = None
        self._lock = threading.Lock()

    def check(self) -> bool:
        """True when files were rewritten. Threads arriving during a check do not wait for it."""
        now = time.monotonic()
        if now - self._last_check < self._min_interval or not self._lock.acquire(blocking=False):
            return False
        try:
            self._last_check = now
            session = get_session()
            newest = last_change(session)
            if newest == self._seen:
                return False
            config = current_app.config
            if newest[1]:
                sync_media(session, Path(config["ELEARN_MEDIA_DIR"]))
            if newest[0]:
                sync_folder(session, Path(config["ELEARN_MODULES_DIR"]), Path(config["ELEARN_INSTANCE_DIR"]),
                            import_edits=False)
            self._seen = newest
            return any(newest)
        finally:
            self._lock.release()
