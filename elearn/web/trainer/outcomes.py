"""The trainer's results page: knowledge gain of their group, the per-question table and satisfaction.

A trainer of a group sees that group only (the rule of :func:`elearn.groups.reader_scope`); an
administrator or a trainer without a group may pick any group. Free survey answers carry no name.
"""

from __future__ import annotations

from flask import flash, render_template, request
from flask_login import current_user

from elearn.db import get_session
from elearn.groups import all_groups, group_name, reader_scope
from elearn.reporting.catalog import current_catalog
from elearn.reporting.filters import ReportFilters, parse_filters
from elearn.web.outcomes import outcomes
from elearn.web.trainer import bp


def _filters() -> tuple[ReportFilters, str | None]:
    """The period asked for, and the group: the trainer's own, or the one picked (None: everyone)."""
    asked, errors = parse_filters(request.args)
    for error in errors:
        flash(error, "error")
    scope = reader_scope(current_user)
    if scope is not None:
        own = group_name(get_session(), scope) or ""
        return ReportFilters(asked.date_from, asked.date_to, group=own), own
    return ReportFilters(asked.date_from, asked.date_to, group=asked.group), None


@bp.route("/resultats")
def outcomes_page():
    filters, own_group = _filters()
    return render_template(
        "trainer/outcomes.html",
        filters=filters,
        own_group=own_group,
        groups=[] if own_group is not None else [g.name for g in all_groups(get_session())],
        results=outcomes(filters, current_catalog()),
    )
