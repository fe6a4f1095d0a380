"""Active time can never exceed wall-clock time, whatever the browser sends."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, func, select

from elearn.db import get_engine, session_scope
from elearn.learning import tracking
from elearn.models import ActiveTime, ModuleProgress, OutboxMessage, SectionProgress
from tests.conftest import open_module

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
#: When the learners of these tests opened the module: before every heartbeat they send.
OPENED = datetime(2026, 1, 1, tzinfo=UTC)


def total(app, user_id: int) -> int:
    with app.app_context(), session_scope() as session:
        return session.exec(select(func.coalesce(func.sum(ActiveTime.seconds), 0)).where(ActiveTime.user_id == user_id)).one()


def beat(app, user_id: int, seconds: int, at: datetime, section: str = "intro") -> int:
    return heartbeat(app, user_id, seconds, at, section, read_after=None).credited


def heartbeat(app, user_id: int, seconds: int, at: datetime, section: str = "intro", read_after: int | None = 30) -> tracking.Heartbeat:
    """A heartbeat as the reader's endpoint sends it: with the rule that makes a section read."""
    open_module(app, user_id, "mod", OPENED)
    with app.app_context(), session_scope() as session:
        return tracking.heartbeat(session, user_id, "mod", section, seconds, now=at, read_after=read_after)


def test_regular_heartbeats_are_credited(app, learner):
    for i in range(1, 5):
        assert beat(app, learner.id, 15, T0 + timedelta(seconds=15 * i)) == 15
    assert total(app, learner.id) == 60


def test_heartbeats_faster_than_real_time_are_capped(app, learner):
    beat(app, learner.id, 15, T0)
    # Ten heartbeats claiming 15 s each within 10 real seconds credit at most 10 s more.
    for i in range(1, 11):
        beat(app, learner.id, 15, T0 + timedelta(seconds=i))
    assert total(app, learner.id) == 15 + 10


def test_a_single_heartbeat_cannot_claim_more_than_the_cap(app, learner):
    assert beat(app, learner.id, 3600, T0) == tracking.MAX_HEARTBEAT_SECONDS
    assert beat(app, learner.id, 3600, T0 + timedelta(hours=2)) == tracking.MAX_HEARTBEAT_SECONDS


def test_replayed_heartbeat_adds_nothing(app, learner):
    beat(app, learner.id, 15, T0)
    assert beat(app, learner.id, 15, T0) == 0
    assert beat(app, learner.id, 15, T0 - timedelta(seconds=30)) == 0  # an old one replayed later
    assert total(app, learner.id) == 15


def test_two_tabs_do_not_count_the_same_minute_twice(app, learner):
    beat(app, learner.id, 15, T0, section="a")
    # Two tabs, each sending 15 s every 15 s over one minute: 60 s of wall time, not 120.
    for i in range(1, 5):
        at = T0 + timedelta(seconds=15 * i)
        beat(app, learner.id, 15, at, section="a")
        beat(app, learner.id, 15, at + timedelta(milliseconds=200), section="b")
    assert total(app, learner.id) == 15 + 60


def test_learners_have_separate_clocks(app, learner, other_learner):
    beat(app, learner.id, 15, T0)
    assert beat(app, other_learner.id, 15, T0) == 15


def test_time_is_split_by_section_and_day(app, learner):
    beat(app, learner.id, 10, T0, section="a")
    beat(app, learner.id, 10, T0 + timedelta(seconds=20), section="b")
    beat(app, learner.id, 10, T0 + timedelta(days=1), section="b")
    with app.app_context(), session_scope() as session:
        rows = {(r.section_id, r.day.isoformat()): r.seconds for r in session.exec(select(ActiveTime))}
    assert rows == {("a", "2026-11-02"): 10, ("b", "2026-11-02"): 10, ("b", "2026-11-03"): 10}


def test_days_are_french_calendar_days(app, learner):
    """00:20 in Paris on 10 March is 23:20 UTC on the 9th: the attendance log must say the 10th."""
    beat(app, learner.id, 10, datetime(2026, 3, 9, 23, 20, tzinfo=UTC))
    beat(app, learner.id, 10, datetime(2026, 3, 9, 23, 35, tzinfo=UTC))
    beat(app, learner.id, 10, datetime(2026, 7, 1, 21, 59, tzinfo=UTC))  # 23:59 in Paris, summer time
    with app.app_context(), session_scope() as session:
        rows = {r.day.isoformat(): r.seconds for r in session.exec(select(ActiveTime))}
    assert rows == {"2026-03-10": 20, "2026-07-01": 10}


def test_concurrent_heartbeats_never_exceed_wall_clock(app, learner):
    """Threads hammering the same learner at the same instant credit one heartbeat's worth."""
    beat(app, learner.id, 15, T0)
    at = T0 + timedelta(seconds=15)
    results: list[int] = []

    def worker() -> None:
        with Session(get_engine(app)) as session:
            results.append(tracking.heartbeat(session, learner.id, "mod", "intro", 15, now=at).credited)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 15
    assert total(app, learner.id) == 30


def test_a_heartbeat_that_read_the_clock_before_another_was_credited_gets_only_what_is_left(app, learner, monkeypatch):
    """A forced interleaving of two tabs: A reads the learner's clock, B is credited in full, then A writes.

    A must see that the clock moved (compare-and-swap) and credit what is left: nothing.
    """
    beat(app, learner.id, 15, T0)
    at = T0 + timedelta(seconds=15)
    real_advance = tracking._advance_clock  # noqa: SLF001 - the interleaving point
    other_tab: list[int] = []

    def let_the_other_tab_in_then_advance(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        # A has read the clock (its value is among the arguments); B comes in before A writes.
        if not other_tab:
            other_tab.append(0)
            with Session(get_engine(app)) as other:
                other_tab[0] = tracking.heartbeat(other, learner.id, "mod", "intro", 15, now=at).credited
        return real_advance(*args, **kwargs)

    monkeypatch.setattr(tracking, "_advance_clock", let_the_other_tab_in_then_advance)
    with Session(get_engine(app)) as session:
        first = tracking.heartbeat(session, learner.id, "mod", "intro", 15, now=at).credited
    assert (other_tab, first) == ([15], 0)
    assert total(app, learner.id) == 30


def test_visit_records_position_and_activity_without_time(app, learner):
    with app.app_context(), session_scope() as session:
        tracking.record_visit(session, learner.id, "mod", "intro", now=T0)
        tracking.record_visit(session, learner.id, "mod", "suite", now=T0 + timedelta(minutes=5))
        progress = session.exec(select(ModuleProgress)).one()
        assert progress.last_section_id == "suite"
        assert len(session.exec(select(SectionProgress)).all()) == 2
        assert all(r.read_at is None for r in session.exec(select(SectionProgress)))
    assert total(app, learner.id) == 0


def test_section_read_once(app, learner):
    with app.app_context(), session_scope() as session:
        tracking.mark_section_read(session, learner.id, "mod", "intro", now=T0)
        tracking.mark_section_read(session, learner.id, "mod", "intro", now=T0 + timedelta(hours=1))
        row = session.exec(select(SectionProgress)).one()
        assert tracking.as_utc(row.read_at) == T0


def test_the_first_heartbeat_credits_no_more_than_the_time_since_the_module_was_opened(app, learner):
    open_module(app, learner.id, "mod", T0)
    with app.app_context(), session_scope() as session:
        assert tracking.heartbeat(session, learner.id, "mod", "intro", 30, now=T0 + timedelta(seconds=4)).credited == 4
    assert total(app, learner.id) == 4


def test_a_first_heartbeat_for_a_module_never_opened_credits_nothing(app, learner):
    with app.app_context(), session_scope() as session:
        assert tracking.heartbeat(session, learner.id, "mod", "intro", 15, now=T0).credited == 0
    assert total(app, learner.id) == 0


def read_at(app, user_id: int, section: str) -> datetime | None:
    with app.app_context(), session_scope() as session:
        row = session.exec(select(SectionProgress).where(SectionProgress.user_id == user_id, SectionProgress.section_id == section)).one()
        return row.read_at and tracking.as_utc(row.read_at)


def test_a_section_counts_as_read_once_its_active_time_reaches_the_rule_over_several_days(app, learner):
    with app.app_context(), session_scope() as session:
        tracking.record_visit(session, learner.id, "mod", "intro", now=T0)
        tracking.record_visit(session, learner.id, "mod", "suite", now=T0)
    assert heartbeat(app, learner.id, 20, T0 + timedelta(seconds=20)) == tracking.Heartbeat(20, read=False)
    next_day = T0 + timedelta(days=1)
    assert heartbeat(app, learner.id, 9, next_day) == tracking.Heartbeat(9, read=False)  # 29 s
    assert read_at(app, learner.id, "intro") is None
    assert heartbeat(app, learner.id, 1, next_day + timedelta(seconds=1)) == tracking.Heartbeat(1, read=True, sections_read=1)  # 30 s
    assert heartbeat(app, learner.id, 15, next_day + timedelta(hours=1)) == tracking.Heartbeat(15, read=False)
    assert read_at(app, learner.id, "intro") == next_day + timedelta(seconds=1)  # the first time only
    assert read_at(app, learner.id, "suite") is None  # time on another section does not count
    with app.app_context(), session_scope() as session:  # the LRS hears of it as of a « Suivante », once
        messages = session.exec(select(OutboxMessage.key, OutboxMessage.payload)).all()
    assert [(key, payload["verb"], payload["section"]) for key, payload in messages if key.startswith("section/")] == [
        (f"section/{learner.id}/mod/intro", "experienced", "intro")]


@pytest.mark.parametrize("clock_runs", [True, False], ids=["clock-runs", "first-credit"])
@pytest.mark.parametrize("other_claims", [30, 10])
def test_two_tabs_on_an_unread_section_credit_and_mark_it_once(app, learner, monkeypatch, other_claims, clock_runs):
    """A forced interleaving on a section still unread: A reads (the section unread, the clock or that
    there is none yet), B is credited (30 s: enough to mark the section read; 10 s: not enough), then A
    writes. A credits what is left (nothing) and marks nothing, though its own claim would have reached
    the rule: the section is marked at most once, by the time really credited, and the LRS hears of it
    at most once."""
    with app.app_context(), session_scope() as session:
        tracking.record_visit(session, learner.id, "mod", "intro", now=T0)
    before = 10 if clock_runs else 0
    if clock_runs:
        assert heartbeat(app, learner.id, 10, T0 + timedelta(seconds=10)) == tracking.Heartbeat(10)
    open_module(app, learner.id, "mod", OPENED)
    at = T0 + timedelta(seconds=40)
    real_credit = tracking._credit  # noqa: SLF001 - the interleaving point: after the read, before the writes
    other_tab: list[tracking.Heartbeat | None] = []

    def let_the_other_tab_in_then_credit(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if not other_tab:
            other_tab.append(None)  # B's own credit goes straight through
            with Session(get_engine(app)) as other:
                other_tab[0] = tracking.heartbeat(other, learner.id, "mod", "intro", other_claims, now=at, read_after=30)
        return real_credit(*args, **kwargs)

    monkeypatch.setattr(tracking, "_credit", let_the_other_tab_in_then_credit)
    with Session(get_engine(app)) as session:
        first = tracking.heartbeat(session, learner.id, "mod", "intro", 30, now=at, read_after=30)
    marked = other_claims == 30
    assert other_tab == [tracking.Heartbeat(other_claims, read=marked, sections_read=1 if marked else 0)]
    assert first == tracking.Heartbeat()
    assert total(app, learner.id) == before + other_claims
    assert read_at(app, learner.id, "intro") == (at if marked else None)
    with app.app_context(), session_scope() as session:
        queued = session.exec(select(OutboxMessage).where(OutboxMessage.key.startswith("section/"))).all()
    assert len(queued) == (1 if marked else 0)


def test_a_heartbeat_below_the_rule_credits_without_marking(app, learner):
    """The clock running, a section unread: the seconds are credited, the section stays unread until its
    time reaches the rule, and nothing is queued for the LRS before."""
    with app.app_context(), session_scope() as session:
        tracking.record_visit(session, learner.id, "mod", "intro", now=T0)
    assert heartbeat(app, learner.id, 10, T0 + timedelta(seconds=10)) == tracking.Heartbeat(10)
    assert heartbeat(app, learner.id, 19, T0 + timedelta(seconds=29)) == tracking.Heartbeat(19)  # 29 s
    assert read_at(app, learner.id, "intro") is None and total(app, learner.id) == 29
    with app.app_context(), session_scope() as session:
        assert not session.exec(select(OutboxMessage).where(OutboxMessage.key.startswith("section/"))).all()
    assert heartbeat(app, learner.id, 1, T0 + timedelta(seconds=30)) == tracking.Heartbeat(1, read=True, sections_read=1)


def test_a_heartbeat_that_credits_nothing_marks_nothing_read(app, learner):
    with app.app_context(), session_scope() as session:
        tracking.record_visit(session, learner.id, "mod", "intro", now=T0)
    assert heartbeat(app, learner.id, 30, T0 + timedelta(seconds=30)) == tracking.Heartbeat(30, read=True, sections_read=1)
    with app.app_context(), session_scope() as session:
        tracking.record_visit(session, learner.id, "mod", "suite", now=T0)
        session.exec(select(ActiveTime).where(ActiveTime.section_id == "suite")).one().seconds = 60
    # The clock is at T0 + 30 s: a heartbeat claiming time at the same moment credits nothing, so it
    # does not mark « suite » read either, though time was already recorded on it.
    assert heartbeat(app, learner.id, 15, T0 + timedelta(seconds=30), "suite") == tracking.Heartbeat(0, read=False)
    assert read_at(app, learner.id, "suite") is None


def test_time_on_a_section_never_shown_marks_nothing(app, learner):
    assert not heartbeat(app, learner.id, 30, T0).read
    with app.app_context(), session_scope() as session:
        assert session.exec(select(SectionProgress)).all() == []


def test_heartbeats_after_the_first_credit_only_a_module_the_learner_opened(app, learner):
    assert beat(app, learner.id, 15, T0) == 15  # "mod" opened: the clock runs
    with app.app_context(), session_scope() as session:
        assert tracking.heartbeat(session, learner.id, "never-opened", "intro", 15, now=T0 + timedelta(seconds=15)).credited == 0
    assert total(app, learner.id) == 15


def test_heartbeats_credit_nothing_while_a_prerequisite_is_not_completed(app, learner):
    beat(app, learner.id, 15, T0)
    open_module(app, learner.id, "next", OPENED)
    with app.app_context(), session_scope() as session:
        later = T0 + timedelta(seconds=15)
        assert tracking.heartbeat(session, learner.id, "next", "intro", 15, now=later, prerequisites=["mod"]).credited == 0
        progress = session.exec(select(ModuleProgress).where(ModuleProgress.module_slug == "mod")).one()
        progress.completed_at = T0
        session.add(progress)
        session.commit()
        assert tracking.heartbeat(session, learner.id, "next", "intro", 15, now=later, prerequisites=["mod"]).credited == 15


def test_a_heartbeat_claiming_nothing_or_sent_as_the_module_opens_credits_nothing(app, learner):
    open_module(app, learner.id, "mod", T0)
    with app.app_context(), session_scope() as session:
        assert tracking.heartbeat(session, learner.id, "mod", "intro", 0, now=T0 + timedelta(seconds=20)).credited == 0
        assert tracking.heartbeat(session, learner.id, "mod", "intro", -5, now=T0 + timedelta(seconds=20)).credited == 0
        assert tracking.heartbeat(session, learner.id, "mod", "intro", 15, now=T0).credited == 0
    assert total(app, learner.id) == 0
