"""The audit trail page: filtered by period, person and kind of event, paginated, exported as CSV-FR or XLSX."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, flash, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user

from elearn.accounts import record
from elearn.db import get_session
from elearn.i18n import _
from elearn.reporting.audit_trail import (
    ACTION_FAMILIES,
    AUDIT_COLUMNS,
    PERSON_ROLES,
    action_label,
    audit_page,
    audit_rows,
    read_audit_filters,
    recorded_actions,
)
from elearn.reporting.exports import MIMETYPES, organisation_lines, text_chunks, csv_comment, csv_lines, slugify, xlsx_chunks
from elearn.reporting.paging import clamp_page
from elearn.web.admin import bp
from elearn.web.certificates import organisation

AUDIT_FORMATS = {"csv-fr": "csv", "xlsx": "xlsx"}


@bp.route("/audit")
def audit():
    filters, errors = read_audit_filters(request.args)
    for error in errors:
        flash(error, "error")
    session = get_session()
    page = audit_page(session, filters, clamp_page(request.args.get("page")))
    actions = [(name, action_label(name)) for name in recorded_actions(session)]
    return render_template(
        "admin/audit.html", page=page, filters=filters, actions=actions, families=ACTION_FAMILIES, roles=PERSON_ROLES,
        query=filters.as_query(),
    )


@bp.route("/audit.<fmt>")
def audit_export(fmt: str):
    """The whole filtered trail as a file for an auditor; the export itself is recorded first."""
    filters, errors = read_audit_filters(request.args)
    if fmt not in AUDIT_FORMATS or errors:  # refused, not widened: back to the page with the messages
        for error in errors:
            flash(error, "error")
        return redirect(url_for("admin.audit"))
    session = get_session()
    record(session, "export", actor=current_user, target="export:audit", via="web", format=fmt, filters=filters.as_query())
    session.commit()
    today = datetime.now(UTC).date()
    issuer = organisation()
    heading = organisation_lines(issuer)
    scope = ", ".join(f"{k} {v}" for k, v in filters.as_query().items())
    heading.append(f"Journal d'audit — export du {today.strftime('%d/%m/%Y')}" + (f" — {scope}" if scope else ""))
    rows = audit_rows(session, filters)
    if fmt == "xlsx":
        chunks = xlsx_chunks(rows, AUDIT_COLUMNS, "Journal d'audit", False, heading)
    else:
        chunks = text_chunks(csv_lines(rows, AUDIT_COLUMNS, french=True, iso_dates=False), prefix="\ufeff" + csv_comment(heading))
    name = "-".join(p for p in (slugify(issuer.name) if issuer else "", "journal-audit", f"export-{today.isoformat()}") if p)
    return Response(
        stream_with_context(chunks), content_type=MIMETYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{AUDIT_FORMATS[fmt]}"', "Cache-Control": "no-store"},
    )
