"""Page visits, sections read, and active time from browser heartbeats.

A page view records the learner's position (where "Reprendre" leads) and the day's activity, but only
when that changes something: reloading a page, or coming back to it within ``VISIT_REFRESH_SECONDS``,
writes nothing, so most page views are read-only.

Active time is the basis of the attendance proof, so it is credited conservatively: the browser says how
many seconds the learner was active since its last heartbeat, and the server credits at most the
wall-clock time elapsed since it last credited *this learner* (whatever the tab), and at most
``MAX_HEARTBEAT_SECONDS`` (the very first heartbeat: at most the time since the module was opened).
Faster-than-real-time, replayed or concurrent (two tabs) heartbeats therefore
never add up to more than the time that really passed. And every heartbeat, not only the first, must
name a module the learner opened and may open (its prerequisites completed): time cannot be moved onto
a locked or never-opened module, where it would show as that module's time on task.

A section counts as read once the learner has spent ``READ_AFTER_ACTIVE_SECONDS`` of active time on it,
whichever link brought them there or took them away (the table of contents, « Précédente », a bookmark);
« Suivante » also marks the section it leaves as read at once, and is what a reader without JavaScript
(no heartbeats) relies on. The time rule rests on the same credited seconds as the attendance proof, so
it cannot be had faster than real time either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, bindparam, case, exists, insert, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from elearn.db import ONLY_WRITE
from elearn.formatting import local
from elearn.learning.upsert import add_or_insert, insert_if_absent, on_conflict_count
from elearn import accounts, visibility
from elearn.models import ActiveTime, ActivityClock, EndedSession, ModuleProgress, ModuleVisibility, ModuleVisibilityGroup, SectionProgress, User
from elearn.models.base import utcnow
from elearn.models.outbox import XAPI
from elearn.outbox.queue import bound, queue_for_each
from elearn.xapi import record as xapi

if TYPE_CHECKING:
    from elearn.learning.progress import ModuleState

#: The browser sends a heartbeat every minute, and at once when the page is hidden or left (activity.js);
#: a heartbeat claiming more than twice that is not believed. Every 15 s until issue #24: nine requests in
#: ten were heartbeats, and a minute divides them by four (docs/performance.md); a tab killed without
#: warning loses at most the minute not yet sent.
HEARTBEAT_INTERVAL_SECONDS = 60
MAX_HEARTBEAT_SECONDS = 2 * HEARTBEAT_INTERVAL_SECONDS
#: Active seconds on a section after which it counts as read: under a quick reading of the shortest
#: section, and above what a click-through leaves (a page opened and left at once credits ~0 s). The
#: heartbeat sent when the learner leaves the page carries those seconds, so the rule needs no earlier one.
READ_AFTER_ACTIVE_SECONDS = 30
#: How stale the recorded position of the page being viewed may be before a view writes it again.
#: It bounds how far the "last activity" dates of a reader without JavaScript can lag; time on task is
#: not concerned (a page view credits no seconds, heartbeats do).
VISIT_REFRESH_SECONDS = 60


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything is stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


#: A day's time row of a section: its key, and how a new write merges into it (seconds added, the last
#: activity replaced); :func:`_touch_activity` and :data:`_MOVE_CLOCK_ADD_TIME` share it.
_TIME_ROW = {"keys": ("user_id", "module_slug", "section_id", "day"), "added": ("seconds",), "replaced": ("last_activity_at",)}


#: The merge rules of a page view's two other rows: the section's (last visit replaced) and the module's
#: position (the section and the last activity replaced); :func:`record_visit` and :data:`_RECORD_VISIT`.
_VISITED_ROW = {"keys": ("user_id", "module_slug", "section_id"), "added": (), "replaced": ("last_visited_at",)}
_POSITION_ROW = {"keys": ("user_id", "module_slug"), "added": (), "replaced": ("last_section_id", "last_activity_at")}


def _touch_activity(session: Session, user_id: int, module_slug: str, section_id: str, now: datetime, seconds: int) -> None:
    add_or_insert(
        session,
        ActiveTime.__table__,  # type: ignore[attr-defined]
        {
            "user_id": user_id,
            "module_slug": module_slug,
            "section_id": section_id,
            "day": local(now).date(),
            "seconds": seconds,
            "first_activity_at": now,
            "last_activity_at": now,
        },
        **_TIME_ROW,  # type: ignore[arg-type]
    )


def record_visit(
    session: Session, user_id: int, module_slug: str, section_id: str, now: datetime | None = None,
    first_in_module: bool = True,
) -> None:
    """A section page was shown: remember the position and the day's activity (works without JS).

    ``first_in_module``: whether the module may never have been opened before (then its ``launched``
    statement is queued; the outbox keeps one per learner and module).
    """
    now = now or utcnow()
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # one statement; its transaction's only write unless the launch is queued after it
        connection.execute(_RECORD_VISIT if first_in_module else _RECORD_VISIT_ONLY, {
            "user_id": user_id, "module_slug": module_slug, "section_id": section_id, "now": now, "day": local(now).date(), "seconds": 0,
        })
    else:  # prebuilt upserts (a page view that moves the position is the busiest write after the heartbeat)
        add_or_insert(
            session,
            SectionProgress.__table__,  # type: ignore[attr-defined]
            {"user_id": user_id, "module_slug": module_slug, "section_id": section_id, "first_visited_at": now, "last_visited_at": now},
            **_VISITED_ROW,  # type: ignore[arg-type]
        )
        add_or_insert(
            session,
            ModuleProgress.__table__,  # type: ignore[attr-defined]
            {"user_id": user_id, "module_slug": module_slug, "started_at": now, "last_section_id": section_id, "last_activity_at": now},
            **_POSITION_ROW,  # type: ignore[arg-type]
        )
        _touch_activity(session, user_id, module_slug, section_id, now, 0)
    if first_in_module:
        xapi.module_launched(session, user_id, module_slug, now)
    session.commit()


def _record_visit() -> Any:
    """PostgreSQL: :func:`record_visit`'s three upserts (the section's row, the module's position, the
    day's time row) as one statement, two data-modifying CTEs and an INSERT: one round trip instead of
    three, and with :data:`elearn.db.ONLY_WRITE` no BEGIN and COMMIT either."""

    def upsert(table: Any, columns: tuple[str, ...], rule: dict[str, tuple[str, ...]], **names: str) -> Any:
        """``table``'s INSERT of ``columns`` (bound to parameters of the same name, or as ``names`` says),
        with ``rule`` on conflict."""
        values = {column: bindparam(names.get(column, column), type_=table.c[column].type) for column in columns}
        return on_conflict_count(postgresql.insert(table).values(values), **rule)  # type: ignore[arg-type]

    visited = upsert(SectionProgress.__table__, ("user_id", "module_slug", "section_id", "first_visited_at", "last_visited_at"),  # type: ignore[attr-defined]
                     _VISITED_ROW, first_visited_at="now", last_visited_at="now")
    position = upsert(ModuleProgress.__table__, ("user_id", "module_slug", "started_at", "last_section_id", "last_activity_at"),  # type: ignore[attr-defined]
                      _POSITION_ROW, started_at="now", last_section_id="section_id", last_activity_at="now")
    time = upsert(ActiveTime.__table__, ("user_id", "module_slug", "section_id", "day", "seconds", "first_activity_at", "last_activity_at"),  # type: ignore[attr-defined]
                  _TIME_ROW, first_activity_at="now", last_activity_at="now")
    return time.add_cte(visited.cte("visited")).add_cte(position.cte("position"))


_RECORD_VISIT = _record_visit()
_RECORD_VISIT_ONLY = _RECORD_VISIT.execution_options(**{ONLY_WRITE: True})


def visit_is_recorded(states: Sequence[ModuleState], module_slug: str, section_id: str, now: datetime) -> bool:
    """Whether the last recorded page view is this very section, recently enough to leave it as it is.

    That is: this module's position is ``section_id`` and its section row exists; it was recorded less
    than ``VISIT_REFRESH_SECONDS`` ago on the same French calendar day (so the day's activity row exists too); and no
    other module was visited since (where "Reprendre" leads stays right).
    """
    state = next((s for s in states if s.module.slug == module_slug), None)
    if state is None or state.progress is None or section_id not in state.sections_visited:
        return False
    if state.progress.last_section_id != section_id:
        return False
    last = as_utc(state.progress.last_activity_at)
    if local(last).date() != local(now).date() or not timedelta(0) <= now - last < timedelta(seconds=VISIT_REFRESH_SECONDS):
        return False
    return all(as_utc(s.progress.last_activity_at) <= last for s in states if s.progress is not None)


def record_page_view(
    session: Session, user_id: int, states: Sequence[ModuleState], module_slug: str, section_id: str, now: datetime | None = None
) -> bool:
    """A section page was shown: record the visit unless it is already recorded; True when it wrote.

    ``states`` are the learner's module states as read at the start of the request.
    """
    now = now or utcnow()
    if visit_is_recorded(states, module_slug, section_id, now):
        return False
    opened = any(s.progress is not None for s in states if s.module.slug == module_slug)
    record_visit(session, user_id, module_slug, section_id, now, first_in_module=not opened)
    return True


def mark_section_read(session: Session, user_id: int, module_slug: str, section_id: str, now: datetime | None = None) -> int:
    """The learner moved on from a section: it counts as read (the first time only), committed.

    Returns how many of the module's sections the learner has read, this one included (rows of sections
    since removed from the module count too, so it may only overstate): while it is below the module's
    number of sections, the module cannot be complete. Prebuilt statements, as for the heartbeat: « Suivante »
    is the busiest request after it and the section page. A section already read (most often by the
    heartbeats' 30-second rule, before the reader reaches « Suivante ») costs one read and no transaction.
    """
    now = now or utcnow()
    connection = session.connection()
    where = {"user_id": user_id, "module_slug": module_slug, "section_id": section_id}
    known = connection.execute(_READ_IN_MODULE_AND_SECTION, where).one()
    if known.this_one:  # read already (a heartbeat's 30 s, most often): nothing to write, no transaction
        session.commit()
        return int(known.read)
    unread = {"learner": user_id, "module": module_slug, "section": section_id, "now": now}
    marked = connection.execute(_MARK_READ, unread).rowcount == 1 or insert_if_absent(
        session,
        SectionProgress.__table__,  # type: ignore[attr-defined]
        {"user_id": user_id, "module_slug": module_slug, "section_id": section_id, "first_visited_at": now,
         "last_visited_at": now, "read_at": now},
        ("user_id", "module_slug", "section_id"),
    )
    if marked:
        xapi.section_read(session, user_id, module_slug, section_id, now)
    # counted after the mark, as the heartbeat counts after its own: of two requests marking a module's
    # last two sections at once, the later one sees both
    read = connection.execute(_READ_IN_MODULE, {"user_id": user_id, "module_slug": module_slug}).scalar()
    session.commit()
    return int(read or 0)


_PROGRESS = ModuleProgress.__table__.c  # type: ignore[attr-defined]
_CLOCK = ActivityClock.__table__.c  # type: ignore[attr-defined]
_SECTIONS = SectionProgress.__table__.c  # type: ignore[attr-defined]
_TIME = ActiveTime.__table__.c  # type: ignore[attr-defined]
_USER = User.__table__.c  # type: ignore[attr-defined]
_AUDIENCE = ModuleVisibility.__table__.c  # type: ignore[attr-defined]
_AUDIENCE_GROUP = ModuleVisibilityGroup.__table__.c  # type: ignore[attr-defined]

_CLOCK_OF = select(_CLOCK.credited_until).where(_CLOCK.user_id == bindparam("user_id"))

@cache
def _heartbeat_state(slugs: int) -> Any:
    """A heartbeat's one read, built once per number of module slugs (SQLAlchemy Core: the hot path of the
    busiest endpoint): the user's row outer-joined to the progress rows of the module and its
    prerequisites (bound as ``slug0``, ``slug1``...: no list expanded on each request), with alongside
    the session check (Flask-Login's loader: the user's row and whether its log-in was ended), the
    module's audience, the learner's clock and whether the section is still unread."""
    return (
        select(  # type: ignore[call-overload]
            _USER.id.label("user_id"),
            _USER.role,
            _USER.group_id,
            _USER.is_active,
            _USER.session_version,
            exists().where(EndedSession.__table__.c.token == bindparam("token")).label("ended"),  # type: ignore[attr-defined]
            select(_AUDIENCE.mode).where(_AUDIENCE.slug == bindparam("module_slug")).scalar_subquery().label("audience"),
            exists().where(_AUDIENCE_GROUP.slug == bindparam("module_slug"), _AUDIENCE_GROUP.group_id == _USER.group_id).label("in_group"),
            select(_CLOCK.credited_until).where(_CLOCK.user_id == _USER.id).scalar_subquery().label("credited_until"),
            exists().where(
                _SECTIONS.user_id == _USER.id,
                _SECTIONS.module_slug == bindparam("module_slug"),
                _SECTIONS.section_id == bindparam("section_id"),
                _SECTIONS.read_at.is_(None),
            ).label("unread"),
            _PROGRESS.module_slug,
            _PROGRESS.started_at,
            _PROGRESS.completed_at,
        )
        .select_from(User.__table__)
        .outerjoin(ModuleProgress.__table__, and_(
            _PROGRESS.user_id == _USER.id, _PROGRESS.module_slug.in_([bindparam(f"slug{index}") for index in range(slugs)])))
        .where(_USER.id == bindparam("user_id"))
    )


#: A section's row gets ``read_at`` when it has none (« Suivante »: the section is read at once).
_MARK_READ = (
    update(SectionProgress.__table__)  # type: ignore[attr-defined]
    .where(
        _SECTIONS.user_id == bindparam("learner"),
        _SECTIONS.module_slug == bindparam("module"),
        _SECTIONS.section_id == bindparam("section"),
        _SECTIONS.read_at.is_(None),
    )
    .values(read_at=bindparam("now"))
)
#: Sections of a module read by the learner (after one was marked: may the module be complete?).
_READ_IN_MODULE = select(func.count()).where(
    _SECTIONS.user_id == bindparam("user_id"), _SECTIONS.module_slug == bindparam("module_slug"), _SECTIONS.read_at.is_not(None)
)
#: « Suivante »'s first read: how many of the module's sections the learner has read, and whether this
#: one is among them (then there is nothing to write).
_READ_IN_MODULE_AND_SECTION = select(
    func.count(_SECTIONS.read_at).label("read"),
    func.coalesce(func.max(case((and_(_SECTIONS.section_id == bindparam("section_id"), _SECTIONS.read_at.is_not(None)), 1), else_=0)), 0)
    .label("this_one"),
).where(_SECTIONS.user_id == bindparam("user_id"), _SECTIONS.module_slug == bindparam("module_slug"))
_MOVE_CLOCK = (
    update(ActivityClock.__table__)  # type: ignore[attr-defined]
    .where(_CLOCK.user_id == bindparam("learner"), _CLOCK.credited_until == bindparam("read"))
    .values(credited_until=bindparam("now"))
)


def _time_from(moved: Any) -> Any:
    """PostgreSQL: the time row's upsert (:func:`_touch_activity`) for the learner the CTE ``moved``
    returns, so written only if the clock moved; it returns a row only then (the driver reports no
    rowcount for it)."""
    columns = ("user_id", "module_slug", "section_id", "day", "seconds", "first_activity_at", "last_activity_at")
    values = select(  # type: ignore[call-overload]
        moved.c.user_id,
        # not named after sectionprogress's columns: in an UPDATE of the same statement (_CREDIT_AND_MARK),
        # parameters named after the table's columns would be set on the row
        bindparam("time_module", type_=_TIME.module_slug.type),
        bindparam("time_section", type_=_TIME.section_id.type),
        bindparam("day", type_=_TIME.day.type),
        bindparam("seconds", type_=_TIME.seconds.type),
        bindparam("now", type_=_TIME.first_activity_at.type),
        bindparam("now", type_=_TIME.last_activity_at.type),
    )
    statement = postgresql.insert(ActiveTime.__table__).from_select(columns, values)  # type: ignore[attr-defined]
    return on_conflict_count(statement, **_TIME_ROW).returning(_TIME.user_id)  # type: ignore[arg-type]


def _move_clock_add_time() -> Any:
    """PostgreSQL: :data:`_MOVE_CLOCK` and the time row's upsert as one statement, a data-modifying CTE.
    One round trip fewer on every heartbeat, the busiest request."""
    moved = _MOVE_CLOCK.returning(_CLOCK.user_id).cte("moved")
    return _time_from(moved).add_cte(moved)


_MOVE_CLOCK_ADD_TIME = _move_clock_add_time()
#: The same, when it is the heartbeat's only write (the section already read, or no read rule): on
#: PostgreSQL it commits on its own, without BEGIN and COMMIT (:data:`elearn.db.ONLY_WRITE`).
_MOVE_CLOCK_ADD_TIME_ONLY = _MOVE_CLOCK_ADD_TIME.execution_options(**{ONLY_WRITE: True})


@dataclass(frozen=True)
class Heartbeat:
    """What a heartbeat did: the seconds credited, and whether they made the section read."""

    credited: int = 0
    read: bool = False
    #: When ``read``: how many of the module's sections the learner has read, this one included (rows of
    #: sections since removed from the module count too, so it may only overstate).
    sections_read: int = 0


def _opening(rows: Sequence[Any], module_slug: str, prerequisites: Sequence[str]) -> datetime | None:
    """When the learner opened the module, if they did and may still open it, else None: a module never
    opened, or locked because a prerequisite is not completed, earns no time, whatever the browser says."""
    found = {row.module_slug: row for row in rows}
    if module_slug not in found:
        return None
    if any(slug not in found or found[slug].completed_at is None for slug in prerequisites if slug != module_slug):
        return None
    return as_utc(found[module_slug].started_at)


def _allowed(since: datetime, claimed: int, now: datetime) -> int:
    """The seconds a heartbeat claiming ``claimed`` may credit: no more than the time since ``since``,
    the learner's clock (what was credited up to), or for their very first heartbeat the moment they
    opened the module (its first page view), so even the first seconds never exceed wall-clock time."""
    elapsed = int((now - as_utc(since)).total_seconds())
    return max(0, min(claimed, elapsed, MAX_HEARTBEAT_SECONDS))


def _advance_clock(session: Session, user_id: int, opened_at: datetime, claimed: int, now: datetime,
                   credited_until: datetime | None, module_slug: str, section_id: str, only_write: bool = False) -> int:
    """Move the learner's clock forward from ``credited_until`` (as read; None: no clock yet), add the
    seconds that allows to the section's time row, and return them.

    A compare-and-swap update (``WHERE credited_until = <value read>``) makes concurrent heartbeats of
    the same learner serialise correctly on any database: the loser re-reads and gets what is left. On
    PostgreSQL the swap and the time row are one statement (:data:`_MOVE_CLOCK_ADD_TIME`), which with
    ``only_write`` (the caller writes nothing else before committing) commits on its own.
    """
    together = session.connection().dialect.name == "postgresql"
    for _ in range(5):
        if credited_until is None:
            credit = _allowed(opened_at, claimed, now)
            if credit == 0:
                return 0
            try:
                session.connection().execute(insert(ActivityClock.__table__), {"user_id": user_id, "credited_until": now})  # type: ignore[attr-defined]
            except IntegrityError:  # another request created it first: retry with it (an outage propagates)
                session.rollback()  # nothing was written before: the heartbeat's read comes first
                credited_until = session.connection().execute(_CLOCK_OF, {"user_id": user_id}).scalar()
                continue
            _touch_activity(session, user_id, module_slug, section_id, now, credit)
            return credit
        credit = _allowed(credited_until, claimed, now)
        if credit == 0:
            return 0
        if together:
            moved = session.connection().execute(_MOVE_CLOCK_ADD_TIME_ONLY if only_write else _MOVE_CLOCK_ADD_TIME, {
                "learner": user_id, "read": credited_until, "now": now, "time_module": module_slug, "time_section": section_id,
                "day": local(now).date(), "seconds": credit,
            }).first() is not None
        else:
            moved = session.connection().execute(_MOVE_CLOCK, {"learner": user_id, "read": credited_until, "now": now}).rowcount == 1
            if moved:
                _touch_activity(session, user_id, module_slug, section_id, now, credit)
        if moved:
            return credit
        credited_until = session.connection().execute(_CLOCK_OF, {"user_id": user_id}).scalar()
    return 0


#: The learner's active time on a section, all days together.
_SPENT_ON_SECTION = (
    select(func.coalesce(func.sum(_TIME.seconds), 0))
    .where(_TIME.user_id == bindparam("learner"), _TIME.module_slug == bindparam("module"), _TIME.section_id == bindparam("section"))
    .scalar_subquery()
)
#: The read rule as one prebuilt statement (Core, in the heartbeat's transaction): :data:`_MARK_READ`
#: when the section's active time reaches ``threshold`` seconds.
_MARK_READ_IF_DUE = _MARK_READ.where(_SPENT_ON_SECTION >= bindparam("threshold"))


#: Heartbeat parameters of the read mark's xAPI message (:func:`elearn.outbox.queue.queue_for_each`).
_OUTBOX = "outbox_"


def _credit_and_mark(first: bool) -> Any:
    """PostgreSQL: a heartbeat on an unread section in one statement that commits on its own
    (:data:`elearn.db.ONLY_WRITE`). It moves the learner's clock (``first``: creates it, unless another
    request just did), adds the time row, marks the section read if its time (as it was, plus these
    seconds) reaches ``threshold``, and queues the xAPI message of the mark. Each data-modifying CTE
    reads the rows of the one before, so nothing is written past a step that wrote nothing. The answer
    says whether the clock moved and whether the section was marked. It replaces BEGIN, the credit,
    :data:`_MARK_READ_IF_DUE`, the message's INSERT and COMMIT: five round trips to one on a reader's
    first heartbeat of each section."""
    if first:
        clock = ActivityClock.__table__  # type: ignore[attr-defined]
        moving = postgresql.insert(clock).values(user_id=bindparam("learner"), credited_until=bindparam("now"))
        moved = moving.on_conflict_do_nothing(index_elements=[_CLOCK.user_id]).returning(_CLOCK.user_id).cte("moved")
    else:
        moved = _MOVE_CLOCK.returning(_CLOCK.user_id).cte("moved")
    timed = _time_from(moved).cte("timed")
    marked = (  # the time as it was before this statement, plus these seconds
        _MARK_READ.where(exists(select(timed.c.user_id)), _SPENT_ON_SECTION + bindparam("seconds") >= bindparam("threshold"))
        .returning(_SECTIONS.user_id)
        .cte("marked")
    )
    queued = queue_for_each(marked, _OUTBOX).cte("queued")
    return (
        select(exists(select(timed.c.user_id)).label("credited"), exists(select(marked.c.user_id)).label("marked"))
        .add_cte(moved, timed, marked, queued)
        .execution_options(**{ONLY_WRITE: True})
    )


#: :func:`_credit_and_mark` for a learner whose clock runs, and for one without a clock yet.
_CREDIT_AND_MARK = _credit_and_mark(first=False)
_FIRST_CREDIT_AND_MARK = _credit_and_mark(first=True)


def _credit_marking_read(session: Session, user_id: int, opened_at: datetime, claimed: int, now: datetime,
                         credited_until: datetime | None, module_slug: str, section_id: str, threshold: int) -> Heartbeat:
    """PostgreSQL, a heartbeat on a section still unread: :data:`_CREDIT_AND_MARK` (or
    :data:`_FIRST_CREDIT_AND_MARK`), retried as :func:`_advance_clock` retries when another heartbeat
    moved (or created) the clock first. When it marked the section, the module's read sections are
    counted after its commit: of two heartbeats marking a module's last two sections at once, the
    later to commit sees both."""
    connection = session.connection()
    parameters = {
        "learner": user_id, "module": module_slug, "section": section_id, "threshold": threshold, "now": now,
        "time_module": module_slug, "time_section": section_id, "day": local(now).date(),
        **bound(XAPI, xapi.section_read_message(user_id, module_slug, section_id, now), utcnow(), _OUTBOX),
    }
    for _ in range(5):
        if credited_until is None:
            statement, credit = _FIRST_CREDIT_AND_MARK, _allowed(opened_at, claimed, now)
        else:
            statement, credit = _CREDIT_AND_MARK, _allowed(credited_until, claimed, now)
        if credit == 0:
            break
        done = connection.execute(statement, {**parameters, "read": credited_until, "seconds": credit}).one()
        if done.credited:
            if not done.marked:
                return Heartbeat(credit)
            sections_read = connection.execute(_READ_IN_MODULE, {"user_id": user_id, "module_slug": module_slug}).scalar()
            return Heartbeat(credit, True, int(sections_read or 0))
        credited_until = connection.execute(_CLOCK_OF, {"user_id": user_id}).scalar()
    return Heartbeat()


def _mark_read_if_due(session: Session, user_id: int, module_slug: str, section_id: str, now: datetime, threshold: int) -> bool:
    """One statement, in the caller's transaction: :data:`_MARK_READ_IF_DUE`; True when it marked the section."""
    result = session.connection().execute(_MARK_READ_IF_DUE, {
        "learner": user_id, "module": module_slug, "section": section_id, "threshold": threshold, "now": now,
    })
    return result.rowcount == 1


def heartbeat(
    session: Session,
    user_id: int,
    module_slug: str,
    section_id: str,
    active_seconds: int,
    now: datetime | None = None,
    prerequisites: Sequence[str] = (),
    read_after: int | None = None,
) -> Heartbeat:
    """Credit active time for a heartbeat and, with ``read_after``, mark the section read once its active
    time reaches that many seconds; one read, the writes, one commit.

    ``section_id`` must be a section of ``module_slug`` (the caller checks it against the library) and
    ``prerequisites`` the module's prerequisites: nothing is credited unless the learner opened the
    module and completed every prerequisite (a module they cannot open earns no time).
    """
    now = now or utcnow()
    claimed = max(0, int(active_seconds))
    if claimed == 0:
        return Heartbeat()
    rows = _read_state(session, user_id, "", module_slug, section_id, prerequisites)
    return _credit(session, user_id, rows, module_slug, section_id, claimed, now, prerequisites, read_after)


def _read_state(session: Session, user_id: int, token: str, module_slug: str, section_id: str,
                prerequisites: Sequence[str]) -> list[Any]:
    """:func:`_heartbeat_state`'s rows (none: no such user; one with no progress columns: nothing opened)."""
    slugs = [module_slug, *prerequisites]
    return session.connection().execute(_heartbeat_state(len(slugs)), {
        "user_id": user_id, "token": token, "module_slug": module_slug, "section_id": section_id,
        **{f"slug{index}": slug for index, slug in enumerate(slugs)},
    }).all()


@dataclass(frozen=True)
class SessionLearner:
    """The learner of a session, as the heartbeat's read checked it (what the visibility rule needs)."""

    id: int
    role: str
    group_id: int | None


@dataclass(frozen=True)
class SessionHeartbeat:
    """:func:`session_heartbeat`'s answer: ``learner`` None when the session is not (or no longer) valid;
    ``visible`` False when the module is not for this learner (nothing credited, as for an unknown one)."""

    learner: SessionLearner | None
    visible: bool = False
    done: Heartbeat = Heartbeat()


def session_heartbeat(
    session: Session, session_id: str, module_slug: str, section_id: str, active_seconds: int,
    now: datetime | None = None, prerequisites: Sequence[str] = (), read_after: int | None = None,
) -> SessionHeartbeat:
    """:func:`heartbeat` for the log-in ``session_id`` (Flask-Login's user id), with the session check and
    the module's audience checked on the heartbeat's own read: one statement instead of three (the busiest
    endpoint: a reader sends one a minute). The rules are the loader's (:func:`elearn.accounts.session_is_live`)
    and the catalogue's (:func:`elearn.visibility.may_see_audience`)."""
    parts = accounts.session_id_parts(session_id)
    if parts is None:
        return SessionHeartbeat(None)
    user_id, version, token = parts
    rows = _read_state(session, user_id, token, module_slug, section_id, prerequisites)
    if not rows or not accounts.session_is_live(rows[0].ended, rows[0].is_active, rows[0].session_version, version):
        return SessionHeartbeat(None)
    learner = SessionLearner(user_id, rows[0].role, rows[0].group_id)
    if not visibility.may_see_audience(learner, rows[0].audience, rows[0].in_group):
        return SessionHeartbeat(learner)
    now = now or utcnow()
    claimed = max(0, int(active_seconds))
    if claimed == 0:
        return SessionHeartbeat(learner, True)
    return SessionHeartbeat(learner, True, _credit(session, user_id, rows, module_slug, section_id, claimed, now, prerequisites,
                                                   read_after))


def _credit(
    session: Session, user_id: int, rows: Sequence[Any], module_slug: str, section_id: str, claimed: int, now: datetime,
    prerequisites: Sequence[str], read_after: int | None,
) -> Heartbeat:
    """A heartbeat's writes, from its read (:func:`_read_state`)."""
    rows = [row for row in rows if row.module_slug is not None]  # the progress rows
    opened_at = _opening(rows, module_slug, prerequisites)
    if opened_at is None:
        return Heartbeat()
    credited_until, unread = rows[0].credited_until, rows[0].unread  # the same on every row
    may_mark_read = bool(read_after is not None and unread)
    if may_mark_read and session.connection().dialect.name == "postgresql":
        done = _credit_marking_read(session, user_id, opened_at, claimed, now, credited_until, module_slug, section_id,
                                    read_after)
        session.commit()
        return done
    credit = _advance_clock(session, user_id, opened_at, claimed, now, credited_until, module_slug, section_id,
                            only_write=not may_mark_read)
    if not credit:
        session.commit()
        return Heartbeat()
    read = bool(may_mark_read and _mark_read_if_due(session, user_id, module_slug, section_id, now, read_after))
    sections_read = 0
    if read:  # read by its active time, as « Suivante » would have marked it: the LRS hears of it alike
        xapi.section_read(session, user_id, module_slug, section_id, now)
        sections_read = session.connection().execute(_READ_IN_MODULE, {"user_id": user_id, "module_slug": module_slug}).scalar()
    session.commit()
    return Heartbeat(credit, read, sections_read)
