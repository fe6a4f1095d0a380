"""Trainer area: every module with its validation status, and previews that record nothing."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for

from elearn.content.gift_export import export_gift
from elearn.i18n import _
from elearn.web.modules import get_library
from elearn.web.trainer import bp


def _status_rows() -> list[dict]:
    """One row per module source: the version learners get (if any) and its current problems."""
    rows = [
        {
            "path": status.path,
            "module": status.module,
            "current": status.current,
            "errors": status.errors,
            "warnings": status.warnings,
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
    problems = get_library().problems().get(module.path, [])
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
