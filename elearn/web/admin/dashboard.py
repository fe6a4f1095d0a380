"""The dashboard: learners, completions, pass rates, median time and certificates over a period.

It also says which of the organisation's details are still missing (empty or the shipped example's),
the first page an administrator sees being the one most likely to be read before certificates go out.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import render_template

from elearn.db import get_session
from elearn.i18n import _
from elearn.models.outbox import XAPI
from elearn.outbox.queue import backlog
from elearn.reporting.queries import dashboard as dashboard_figures
from elearn.reporting.timeline import completions_by_month
from elearn.web.admin import bp
from elearn.web.admin.certificates import missing_identity
from elearn.web.admin.reports import catalog, read_filters
from elearn.web.outcomes import activity_charts, outcomes


def period_presets(today: date) -> list[tuple[str, date | None, date | None]]:
    """The period picker's shortcuts: (label, from, to), labels in the interface's language."""
    return [
        (_("30 derniers jours"), today - timedelta(days=29), today),
        (_("Ce mois-ci"), today.replace(day=1), today),
        (_("Cette année"), today.replace(month=1, day=1), today),
        (_("Année précédente"), date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
        (_("Depuis le début"), None, None),
    ]


@bp.route("/dashboard")
def dashboard():
    today = date.today()
    filters = read_filters(today.replace(month=1, day=1), today)
    figures = dashboard_figures(get_session(), filters, catalog())
    results = outcomes(filters, catalog())
    return render_template(
        "admin/dashboard.html",
        figures=figures,
        charts=activity_charts(figures, completions_by_month(get_session(), filters)) + results.charts,
        results=results,
        filters=filters,
        presets=period_presets(today),
        missing_identity=missing_identity(),
        xapi_backlog=backlog(get_session(), XAPI),
    )
