"""One rule for durations: the pages and the certificate (« 1 h 05 min ») agree with the exports (« 1:05:30 »)."""

from __future__ import annotations

import pytest

from elearn.formatting import FORMATTERS, format_duration
from elearn.reporting.durations import clock


@pytest.mark.parametrize("seconds", [0, 1, 30, 59, 60, 119, 3599, 3600, 3930, 36000, 97389])
def test_every_duration_is_whole_minutes_rounded_down_like_the_exports(seconds):
    hours, minutes, _ = clock(seconds).split(":")
    expected = f"{int(hours)} h {minutes} min" if int(hours) else f"{int(minutes)} min"
    assert format_duration(seconds) == expected
    assert FORMATTERS["fr"]["duration"](seconds) == FORMATTERS["en"]["duration"](seconds) == expected


def test_under_a_minute_reads_like_nothing_at_all():
    """Never « 0 min » for one module and « moins d'une minute » for another on the same page."""
    assert format_duration(None) == format_duration(0) == format_duration(45) == "0 min"
