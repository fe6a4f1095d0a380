"""French (and English) formatting of dates and durations, shared by pages, exports and certificates.

Documents (certificates, exports) call the French functions directly; pages go through
:data:`FORMATTERS`, picked by the interface's language in :mod:`elearn.i18n`.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

#: Learners and administrators read times in metropolitan French time.
DISPLAY_TZ = ZoneInfo("Europe/Paris")

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


def local(moment: datetime) -> datetime:
    """A stored (UTC, possibly naive from SQLite) datetime in French local time."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(DISPLAY_TZ)


def date_fr(value: date | datetime | None) -> str:
    """« 22 novembre 2026 » (« 1er » for the first of the month)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value).date()
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def datetime_fr(value: datetime | None) -> str:
    """« 22 novembre 2026 à 14 h 05 »."""
    if value is None:
        return ""
    moment = local(value)
    return f"{date_fr(moment.date())} à {moment.hour} h {moment.minute:02d}"


def format_duration(seconds: int | float | None) -> str:
    """« 1 h 05 min », « 12 min », « 0 min »: whole minutes, rounded down, in every language.

    One rule for every page, certificate and export, so the same time never reads two ways: under a
    minute is « 0 min » (never « moins d'une minute »), and the minutes always agree with the
    « h:mm:ss » of the spreadsheets (:func:`elearn.reporting.durations.clock`).
    """
    hours, minutes = divmod(int(seconds or 0) // 60, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def date_en(value: date | datetime | None) -> str:
    """« 22 November 2026 » (British order: the day first, as in French)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value).date()
    return f"{value.day} {MONTHS_EN[value.month - 1]} {value.year}"


def datetime_en(value: datetime | None) -> str:
    """« 22 November 2026 at 14:05 » (Paris time, like the French one)."""
    if value is None:
        return ""
    moment = local(value)
    return f"{date_en(moment.date())} at {moment.hour:02d}:{moment.minute:02d}"


#: Formatting functions by interface language: ``FORMATTERS[locale][kind](value)``.
FORMATTERS = {
    "fr": {"date": date_fr, "datetime": datetime_fr, "duration": format_duration},
    "en": {"date": date_en, "datetime": datetime_en, "duration": format_duration},
}


NBSP = "\u00a0"
NARROW_NBSP = "\u202f"


def french_spacing(text: str) -> str:
    """Non-breaking spaces where French typography wants them, so a line never starts with « : » or « ? ».

    No-break space before « : » and « » » and after « « »; narrow no-break space before « ; ! ? ».
    Only existing spaces are replaced (inside guillemets one is added): inserting a space before every
    colon would break times and URLs.
    """
    text = re.sub(r"«[ \u00a0\u202f]*", "«" + NBSP, text)
    text = re.sub(r"[ \u00a0\u202f]*»", NBSP + "»", text)
    text = re.sub(r"[ \u202f](?=:)", NBSP, text)
    return re.sub(r"[ \u00a0](?=[;!?])", NARROW_NBSP, text)


def percent(value: float | None) -> str:
    """« 87,5 % » / « 100 % »; « — » for a module without quiz."""
    if value is None:
        return "—"
    text = f"{value:.1f}".removesuffix(".0").replace(".", ",")
    return f"{text}\u00a0%"
