"""What an administrator asks a report for: a period, a module, a status, a profession, a group, a search.

The web pages and the command line both turn their input into one :class:`ReportFilters`, so a
dashboard, a table and an export made with the same choices always describe the same people.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from elearn.formatting import DISPLAY_TZ
from elearn.i18n import N_, _
from elearn.models.base import LabelledEnum

#: The days a period may name. Wider dates mean nothing for this platform's records, and the extremes
#: (0001-01-01, 9999-12-31) cannot even be turned into instants or have a day added to them.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)


class LearnerStatus(LabelledEnum):
    """Where a learner stands in one module, or (without a module) in the whole path."""

    NOT_STARTED = "not_started", N_("Non commencé")
    IN_PROGRESS = "in_progress", N_("En cours")
    COMPLETED = "completed", N_("Terminé")


@dataclass(frozen=True)
class ReportFilters:
    """Filters shared by every report. Empty values mean "no restriction"."""

    date_from: date | None = None
    date_to: date | None = None
    module: str = ""
    status: LearnerStatus | None = None
    profession: str = ""
    search: str = ""
    #: A training group, by name (as the administrator sees it); an unknown name matches nobody.
    group: str = ""

    @property
    def has_period(self) -> bool:
        return self.date_from is not None or self.date_to is not None

    def moment_bounds(self) -> tuple[datetime | None, datetime | None]:
        """The period as [start, end) instants, in UTC.

        Days are French calendar days: the administrator's « du 1er au 31 mars » means Paris time.
        """
        start = _paris_midnight_utc(self.date_from) if self.date_from else None
        end = _paris_midnight_utc(self.date_to + timedelta(days=1)) if self.date_to else None
        return start, end

    def as_query(self) -> dict[str, str]:
        """The filters under the keys :func:`parse_filters` reads: for links and the audit trail."""
        values = {
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "module": self.module,
            "status": self.status.value if self.status else "",
            "profession": self.profession,
            "q": self.search,
            "group": self.group,
        }
        return {key: value for key, value in values.items() if value}

    def with_period(self, date_from: date | None, date_to: date | None) -> ReportFilters:
        return replace(self, date_from=date_from, date_to=date_to)


def _paris_midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time(0), DISPLAY_TZ).astimezone(UTC)


def _parse_date(raw: str, invalid: str, out_of_range: str, errors: list[str]) -> date | None:
    """``invalid`` and ``out_of_range`` are the messages, with ``%(raw)s`` for what was typed."""
    raw = raw.strip()
    if not raw:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
        if FIRST_DAY <= day <= LAST_DAY:
            return day
        errors.append(out_of_range % {"raw": raw, "first": FIRST_DAY.strftime("%d/%m/%Y"), "last": LAST_DAY.strftime("%d/%m/%Y")})
        return None
    errors.append(invalid % {"raw": raw})
    return None


def parse_filters(values: Mapping[str, str | None]) -> tuple[ReportFilters, list[str]]:
    """Read filters from a form or the command line; problems come back as messages in the interface's language.

    Keys: ``from``, ``to``, ``module``, ``status``, ``profession``, ``q``, ``group``. An invalid value is dropped
    (and reported) rather than failing the whole request.
    """
    errors: list[str] = []

    def text(key: str) -> str:
        return " ".join((values.get(key) or "").split())

    date_from = _parse_date(
        text("from"),
        _("Date de début invalide : « %(raw)s » (attendu : AAAA-MM-JJ ou JJ/MM/AAAA)."),
        _("Date de début hors limites : « %(raw)s » (attendu : entre le %(first)s et le %(last)s)."),
        errors,
    )
    date_to = _parse_date(
        text("to"),
        _("Date de fin invalide : « %(raw)s » (attendu : AAAA-MM-JJ ou JJ/MM/AAAA)."),
        _("Date de fin hors limites : « %(raw)s » (attendu : entre le %(first)s et le %(last)s)."),
        errors,
    )
    if date_from and date_to and date_from > date_to:
        errors.append(_("La date de début est postérieure à la date de fin."))
        date_from = date_to = None
    status: LearnerStatus | None = None
    if text("status"):
        try:
            status = LearnerStatus(text("status"))
        except ValueError:
            errors.append(_("Statut inconnu : « %(status)s ».", status=text("status")))
    filters = ReportFilters(date_from, date_to, text("module"), status, text("profession"), text("q"), text("group"))
    return filters, errors
