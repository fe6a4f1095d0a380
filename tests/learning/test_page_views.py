"""A page view writes the learner's position only when it changed (or has grown stale)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from elearn.db import session_scope
from elearn.learning import tracking
from elearn.learning.progress import learner_overview, resume_target
from elearn.models import ActiveTime, ModuleProgress
from elearn.web.modules import get_library

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
SOON = timedelta(seconds=tracking.VISIT_REFRESH_SECONDS - 1)
LATER = timedelta(seconds=tracking.VISIT_REFRESH_SECONDS)


def view(app, user_id: int, slug: str, section: str, at: datetime) -> bool:
    """One page view as the reader records it: states read first, then the visit; True when written."""
    with app.app_context(), session_scope() as session:
        states = learner_overview(session, user_id, get_library().modules())
        return tracking.record_page_view(session, user_id, states, slug, section, now=at)


def last_activity(app, user_id: int, slug: str) -> datetime:
    with app.app_context(), session_scope() as session:
        progress = session.exec(
            select(ModuleProgress).where(ModuleProgress.user_id == user_id, ModuleProgress.module_slug == slug)
        ).one()
        return tracking.as_utc(progress.last_activity_at)


def test_viewing_the_same_section_again_soon_writes_nothing(app, learner):
    assert view(app, learner.id, "premiers-pas", "accueil", T0)
    assert not view(app, learner.id, "premiers-pas", "accueil", T0 + SOON)
    assert last_activity(app, learner.id, "premiers-pas") == T0


def test_a_stale_position_is_written_again(app, learner):
    view(app, learner.id, "premiers-pas", "accueil", T0)
    assert view(app, learner.id, "premiers-pas", "accueil", T0 + LATER)
    assert last_activity(app, learner.id, "premiers-pas") == T0 + LATER


def test_moving_to_another_section_is_written(app, learner):
    view(app, learner.id, "premiers-pas", "accueil", T0)
    assert view(app, learner.id, "premiers-pas", "notions", T0 + timedelta(seconds=5))
    with app.app_context(), session_scope() as session:
        assert session.exec(select(ModuleProgress)).one().last_section_id == "notions"


def test_coming_back_from_another_module_is_written_so_resume_leads_back(app, learner):
    view(app, learner.id, "premiers-pas", "accueil", T0)
    view(app, learner.id, "suite", "seule-section", T0 + timedelta(seconds=5))
    assert view(app, learner.id, "premiers-pas", "accueil", T0 + timedelta(seconds=10))
    with app.app_context(), session_scope() as session:
        states = learner_overview(session, learner.id, get_library().modules())
        assert resume_target(states).module.slug == "premiers-pas"


def test_a_view_after_midnight_records_the_new_day(app, learner):
    before_midnight = datetime(2026, 11, 2, 22, 59, 50, tzinfo=UTC)  # 23:59:50 in Paris
    view(app, learner.id, "premiers-pas", "accueil", before_midnight)
    assert view(app, learner.id, "premiers-pas", "accueil", before_midnight + timedelta(seconds=20))
    with app.app_context(), session_scope() as session:
        days = sorted(row.day.isoformat() for row in session.exec(select(ActiveTime)))
    assert days == ["2026-11-02", "2026-11-03"]


def test_skipped_views_leave_heartbeat_time_intact(app, learner):
    view(app, learner.id, "premiers-pas", "accueil", T0)
    with app.app_context(), session_scope() as session:
        assert tracking.heartbeat(session, learner.id, "premiers-pas", "accueil", 15, now=T0 + timedelta(seconds=15)).credited == 15
    assert not view(app, learner.id, "premiers-pas", "accueil", T0 + timedelta(seconds=20))
    with app.app_context(), session_scope() as session:
        assert sum(row.seconds for row in session.exec(select(ActiveTime))) == 15
