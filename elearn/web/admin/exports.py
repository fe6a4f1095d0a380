"""The exports page and the streamed downloads it links to."""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user

from elearn.db import get_session
from elearn.reporting.exports import Dataset, ExportError, ExportFormat, ExportRequest, start_export
from elearn.reporting.filters import parse_filters
from elearn.web.admin import bp
from elearn.web.certificates import organisation
from elearn.web.admin.reports import catalog, filter_choices, read_filters
from elearn.web.certificates import path_or_problems

TABULAR_FORMATS = [f for f in ExportFormat if f is not ExportFormat.XAPI]


@bp.route("/exports")
def exports():
    filters, modules = read_filters(), catalog()
    return render_template(
        "admin/exports.html",
        filters=filters,
        datasets=list(Dataset),
        formats=TABULAR_FORMATS,
        iso_dates=request.args.get("dates") == "iso",
        **filter_choices(modules),
    )


@bp.route("/exports/<dataset>.<fmt>")
def export_download(dataset: str, fmt: str):
    """Stream one export; the audit event is committed before the first byte.

    Invalid filters refuse the download (back to the page with the messages) rather than export more
    than was asked.
    """
    filters, errors = parse_filters(request.args)
    if errors or dataset not in set(Dataset) or fmt not in set(ExportFormat):
        for error in errors:
            flash(error, "error")
        return redirect(url_for("admin.exports"))
    path, _problems = path_or_problems()
    export_request = ExportRequest(Dataset(dataset), ExportFormat(fmt), filters, request.args.get("dates") == "iso",
                                   **({"surveys": path.surveys} if path else {}))
    try:
        export = start_export(
            get_session(),
            export_request,
            catalog(),
            actor=current_user,
            base_url=current_app.config.get("ELEARN_BASE_URL") or request.url_root,
            xapi_actor=current_app.config.get("ELEARN_XAPI_ACTOR", "account"),
            organisation=organisation(),
        )
    except ExportError as error:
        flash(error.message, "error")
        return redirect(url_for("admin.exports", **export_request.filters.as_query()))
    return Response(
        stream_with_context(export.chunks),
        content_type=export.mimetype,
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"', "Cache-Control": "no-store"},
    )
