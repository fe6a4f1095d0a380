"""Page visits, sections read, and active time from browser heartbeats.

Active time is the basis of the attendance proof, so it is credited conservatively: the browser says how
many seconds the learner was active since its last heartbeat, and the server credits at most the
wall-clock time elapsed since it last credited *this learner* (whatever the tab), and at most
``MAX_HEARTBEAT_SECONDS``. Faster-than-real-time, replayed or concurrent (two tabs) heartbeats therefore
never add up to more than the time that really passed.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from elearn.learning.upsert import upsert
from elearn.models import ActiveTime, ActivityClock, ModuleProgress, SectionProgress
from elearn.models.base import utcnow

#: The browser sends a heartbeat every 15 s; anything above this is not believed.
HEARTBEAT_INTERVAL_SECONDS = 15
MAX_HEARTBEAT_SECONDS = 30


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything is stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _touch_activity(session: Session, user_id: int, module_slug: str, section_id: str, now: datetime, seconds: int) -> None:
    upsert(
        session,
        ActiveTime.__table__,  # type: ignore[attr-defined]
        {
            "user_id": user_id,
            "module_slug": module_slug,
            "section_id": section_id,
            "day": now.date(),
            "seconds": seconds,
            "first_activity_at": now,
            "last_activity_at": now,
        },
        ["user_id", "module_slug", "section_id", "day"],
        {"seconds": ActiveTime.__table__.c.seconds + seconds, "last_activity_at": now},  # type: ignore[attr-defined]
    )


def record_visit(session: Session, user_id: int, module_slug: str, section_id: str, now: datetime | None = None) -> None:
    """A section page was shown: remember the position and the day's activity (works without JS)."""
    now = now or utcnow()
    upsert(
        session,
        SectionProgress.__table__,  # type: ignore[attr-defined]
        {"user_id": user_id, "module_slug": module_slug, "section_id": section_id, "first_visited_at": now, "last_visited_at": now},
        ["user_id", "module_slug", "section_id"],
        {"last_visited_at": now},
    )
    upsert(
        session,
        ModuleProgress.__table__,  # type: ignore[attr-defined]
        {"user_id": user_id, "module_slug": module_slug, "started_at": now, "last_section_id": section_id, "last_activity_at": now},
        ["user_id", "module_slug"],
        {"last_section_id": section_id, "last_activity_at": now},
    )
    _touch_activity(session, user_id, module_slug, section_id, now, 0)
    session.commit()


def mark_section_read(session: Session, user_id: int, module_slug: str, section_id: str, now: datetime | None = None) -> None:
    """The learner moved on from a section: it counts as read (the first time only)."""
    now = now or utcnow()
    row = session.exec(
        select(SectionProgress).where(
            SectionProgress.user_id == user_id,
            SectionProgress.module_slug == module_slug,
            SectionProgress.section_id == section_id,
        )
    ).first()
    if row is None:
        session.add(SectionProgress(user_id=user_id, module_slug=module_slug, section_id=section_id,
                                    first_visited_at=now, last_visited_at=now, read_at=now))
    elif row.read_at is None:
        row.read_at = now
        session.add(row)
    session.commit()


def _advance_clock(session: Session, user_id: int, claimed: int, now: datetime) -> int:
    """Move the learner's clock forward and return the seconds that may be credited.

    A compare-and-swap update (``WHERE credited_until = <value read>``) makes concurrent heartbeats of
    the same learner serialise correctly on any database: the loser re-reads and gets what is left.
    """
    for _ in range(5):
        clock = session.get(ActivityClock, user_id, populate_existing=True)
        if clock is None:
            credit = min(claimed, MAX_HEARTBEAT_SECONDS)
            session.add(ActivityClock(user_id=user_id, credited_until=now))
            try:
                session.flush()
            except IntegrityError:  # another request created it first: retry with it (an outage propagates)
                session.rollback()
                continue
            return credit
        previous = as_utc(clock.credited_until)
        elapsed = int((now - previous).total_seconds())
        credit = max(0, min(claimed, elapsed, MAX_HEARTBEAT_SECONDS))
        if credit == 0:
            return 0
        result = session.exec(  # type: ignore[call-overload]
            update(ActivityClock)
            .where(ActivityClock.user_id == user_id, ActivityClock.credited_until == clock.credited_until)
            .values(credited_until=now)
        )
        if result.rowcount == 1:
            return credit
        session.expire_all()
    return 0


def record_heartbeat(
    session: Session, user_id: int, module_slug: str, section_id: str, active_seconds: int, now: datetime | None = None
) -> int:
    """Credit active time for a heartbeat; returns the seconds actually credited (possibly 0)."""
    now = now or utcnow()
    claimed = max(0, int(active_seconds))
    if claimed == 0:
        return 0
    credit = _advance_clock(session, user_id, claimed, now)
    if credit:
        _touch_activity(session, user_id, module_slug, section_id, now, credit)
    session.commit()
    return credit
