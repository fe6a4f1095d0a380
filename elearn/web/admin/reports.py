"""What the reporting pages share: the filters read from the query string and the module catalog."""

from __future__ import annotations

from datetime import date

from flask import flash, request

from elearn.db import get_session
from elearn.reporting.catalog import Catalog, current_catalog
from elearn.reporting.filters import LearnerStatus, ReportFilters, parse_filters
from elearn.groups import all_groups
from elearn.reporting.queries import professions


def read_filters(default_from: date | None = None, default_to: date | None = None) -> ReportFilters:
    """Filters from the query string; invalid values are flashed and ignored, never a crash.

    The defaults apply only when the form was not submitted (no ``from``/``to`` key at all), so an
    administrator can still clear the period to see everything.
    """
    filters, errors = parse_filters(request.args)
    for error in errors:
        flash(error, "error")
    if "from" not in request.args and "to" not in request.args:
        filters = filters.with_period(default_from, default_to)
    return filters


def filter_choices(catalog: Catalog) -> dict[str, object]:
    """Choices of the filter form's lists, passed to the ``_filters.html`` macro."""
    return {
        "modules": catalog.modules, "statuses": list(LearnerStatus), "professions": professions(get_session()),
        "groups": [group.name for group in all_groups(get_session())],
    }


def catalog() -> Catalog:
    return current_catalog()
