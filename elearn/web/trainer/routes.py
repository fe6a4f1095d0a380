"""Trainer area: every module with its validation status, previews that record nothing, the authoring guide."""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path

import markdown
from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from markdown.extensions.toc import slugify_unicode
from markupsafe import Markup

from elearn.config import PROJECT_ROOT
from elearn.content.gift_export import export_gift
from elearn.content.model import Problem
from elearn.i18n import _
from elearn.web.modules import get_library
from elearn.web.trainer import bp


def without_server_folders(problems: list[Problem]) -> list[Problem]:
    """The problems with the server's folders named by their last part (« media ») rather than their
    full path: the trainers' space is read in a browser, and the server's layout is nobody's business.
    ``elearn check``, run on the server, still prints them whole."""
    folders = {}
    for key in ("ELEARN_MEDIA_DIR", "ELEARN_MODULES_DIR"):
        folder = Path(current_app.config[key])
        for spelling in {folder.as_posix(), folder.resolve().as_posix(), folder.absolute().as_posix()}:
            folders[spelling] = folder.name
    def clean(message: str) -> str:
        for spelling in sorted(folders, key=len, reverse=True):
            message = message.replace(spelling, folders[spelling])
        return message
    return [replace(p, path=clean(p.path), message=clean(p.message)) for p in problems]


def _status_rows() -> list[dict]:
    """One row per module source: the version learners get (if any) and its current problems."""
    rows = [
        {
            "path": status.path,
            "module": status.module,
            "current": status.current,
            "errors": without_server_folders(status.errors),
            "warnings": without_server_folders(status.warnings),
        }
        for status in get_library().statuses()
    ]
    return sorted(rows, key=lambda r: (r["module"].order if r["module"] else 10_000, r["path"]))


@bp.route("/")
def index():
    rows = _status_rows()
    return render_template(
        "trainer/index.html",
        rows=rows,
        error_count=sum(len(r["errors"]) for r in rows),
        warning_count=sum(len(r["warnings"]) for r in rows),
    )


@bp.route("/apercu/<slug>/")
@bp.route("/apercu/<slug>/<section_id>")
def preview(slug: str, section_id: str | None = None):
    """The module as learners see it, quiz answers shown; nothing is recorded."""
    module = get_library().get(slug)
    if module is None:
        abort(404)
    if section_id is None:
        section_id = module.sections[0].id if module.sections else None
    index = next((i for i, s in enumerate(module.sections) if s.id == section_id), None)
    if index is None:
        abort(404)
    problems = without_server_folders(get_library().problems().get(module.path, []))
    return render_template(
        "trainer/preview.html",
        module=module,
        section=module.sections[index],
        index=index,
        previous=module.sections[index - 1] if index > 0 else None,
        following=module.sections[index + 1] if index + 1 < len(module.sections) else None,
        problems=problems,
    )


@bp.route("/modules/<slug>/gift")
def export_gift_file(slug: str):
    """The module's quizzes as a Moodle GIFT file; what GIFT cannot carry is listed at its top."""
    library = get_library()
    status = next((status for status in library.statuses() if status.slug == slug), None)
    parsed = library.parsed(slug)
    if status is None or parsed is None:
        abort(404)
    if status.errors:
        flash(_("Ce module a des erreurs : corrigez-les avant de l'exporter en GIFT (l'export suit le fichier tel qu'il est)."), "error")
        return redirect(url_for("trainer.index"))
    response = Response(export_gift(parsed).text, mimetype="text/plain")
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}.gift.txt"'
    return response


@bp.route("/guide")
def authoring_guide():
    """The authoring guide (``docs/authoring.md``, in French) as a page of the trainers' area."""
    html = guide_html(GUIDE_PATH)
    if html is None:
        abort(404)
    return render_template("trainer/guide.html", guide=Markup(html))


GUIDE_PATH = PROJECT_ROOT / "docs" / "authoring.md"


@functools.lru_cache(maxsize=2)
def _render_guide(path: Path, modified: float) -> str:
    # The guide's own table of contents links to GitHub-style anchors (« #1-où-sont-les-modules »).
    return markdown.markdown(
        path.read_text(encoding="utf-8"), extensions=["toc", "tables", "fenced_code"],
        extension_configs={"toc": {"slugify": slugify_unicode}},
    )


def guide_html(path: Path) -> str | None:
    """The guide as HTML (our own document, trusted), rendered again only when the file changes."""
    try:
        return _render_guide(path, path.stat().st_mtime)
    except OSError:
        return None
