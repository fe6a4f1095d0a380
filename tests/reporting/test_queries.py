"""Dashboard figures, the learners table and one learner's record, over seeded rows."""

from __future__ import annotations

from datetime import date

import pytest

from elearn.models import User
from elearn.reporting.filters import LearnerStatus, ReportFilters, parse_filters
from elearn.reporting.queries import dashboard, learner_detail, learners_page
from tests.reporting.seed import CATALOG


def test_dashboard_over_march(session):
    figures = dashboard(session, ReportFilters(date(2026, 3, 1), date(2026, 3, 31)), CATALOG)
    assert (figures.active_learners, figures.completions, figures.learner_accounts) == (2, 1, 3)
    first, second = figures.modules
    assert first.module.title == "Premiers pas" and second.module.slug == "suite"
    assert (first.active_learners, first.completions, first.attempts, first.passed_attempts) == (2, 1, 3, 1)
    assert first.pass_rate == 33.3
    assert first.median_seconds == (2400 + 300) // 2  # Élodie 40 min, the other learner 5 min
    assert (second.active_learners, second.median_seconds, second.pass_rate) == (0, None, None)
    assert figures.certificates_issued == 1


def test_dashboard_period_excludes_what_happened_outside(session):
    figures = dashboard(session, ReportFilters(date(2026, 4, 1), date(2026, 4, 30)), CATALOG)
    assert (figures.active_learners, figures.completions, figures.certificates_issued) == (1, 0, 0)
    assert figures.modules[1].median_seconds == 2400


def test_learners_table_filters(session, seeded):
    def names(**values: str) -> list[str]:
        filters, errors = parse_filters(values)
        assert not errors
        return [row.full_name for row in learners_page(session, filters, CATALOG).items]

    assert len(names()) == 3  # learners only, not the trainer
    assert names(q="élodie") == ["Élodie Marchand"]
    assert names(status="not_started") == ["Zoé Inactive"]
    assert names(status="in_progress") == ['=HYPERLINK("http://x")', "Élodie Marchand"]  # nobody finished the path
    assert names(module="premiers-pas", status="completed") == ["Élodie Marchand"]
    assert names(module="suite", status="not_started") == ['=HYPERLINK("http://x")', "Zoé Inactive"]
    assert names(**{"from": "2026-04-01", "to": "2026-04-30"}) == ["Élodie Marchand"]
    assert names(profession="Infirmier", status="not_started") == ["Zoé Inactive"]


def test_learners_table_rows_and_paging(session, seeded):
    page = learners_page(session, ReportFilters(search="marchand"), CATALOG)
    row = page.items[0]
    assert (row.modules_started, row.modules_completed, row.active_seconds) == (2, 1, 4800)
    assert (page.total, page.pages, page.has_next) == (1, 1, False)
    past_the_end = learners_page(session, ReportFilters(), CATALOG, number=200000000000000000)
    assert (past_the_end.number, len(past_the_end.items)) == (1, 3)  # the last page, not an overflowing offset


def test_invalid_filters_are_reported_not_raised():
    filters, errors = parse_filters({"from": "31/02/2026", "status": "done", "to": "2026-01-05"})
    assert filters == ReportFilters(date_to=date(2026, 1, 5))
    assert len(errors) == 2 and "invalide" in errors[0]
    assert parse_filters({"from": "2026-02-01", "to": "2026-01-01"})[1] == ["La date de début est postérieure à la date de fin."]
    assert parse_filters({"from": "01/02/2026", "status": "completed"})[0].status is LearnerStatus.COMPLETED


@pytest.mark.parametrize(("key", "raw"), [("from", "0001-01-01"), ("to", "9999-12-31"), ("from", "31/12/1999"), ("to", "2101-01-01")])
def test_dates_outside_the_platforms_range_are_reported_not_raised(key, raw):
    filters, errors = parse_filters({key: raw})
    assert filters == ReportFilters()
    assert errors == [
        f"Date de {'début' if key == 'from' else 'fin'} hors limites : « {raw} » (attendu : entre le 01/01/2000 et le 31/12/2100)."
    ]


def test_dates_at_the_edges_of_the_range_are_accepted():
    filters, errors = parse_filters({"from": "2000-01-01", "to": "31/12/2100"})
    assert not errors and filters.moment_bounds()[1] is not None


def test_learner_detail(session, seeded):
    detail = learner_detail(session, session.get(User, seeded.elodie), CATALOG)
    done, started = detail.modules
    assert (done.status, done.score, done.attempts, done.active_seconds) == (LearnerStatus.COMPLETED, 87.5, 2, 2400)
    assert started.status is LearnerStatus.IN_PROGRESS
    assert [a.attempt_number for a in detail.attempts] == [1, 2]
    assert [d["day"] for d in detail.days] == [date(2026, 3, 9), date(2026, 3, 10), date(2026, 4, 2)]
    assert detail.active_seconds == 4800
    assert [c.code for c in detail.certificates] == ["AAAAA-BBBBB-CCCCC-DDDDD-EEEEE"]


def test_learner_detail_names_unknown_modules_by_slug(session, seeded):
    detail = learner_detail(session, session.get(User, seeded.trainer), CATALOG.__class__())
    assert [line.module.title for line in detail.modules] == ["premiers-pas"]
