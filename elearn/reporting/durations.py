"""Durations as exports write them: « 1:05:30 » for spreadsheets, « PT1H5M30S » (ISO 8601) for machines."""

from __future__ import annotations


def clock(seconds: int | float | None) -> str:
    """Hours (unbounded), minutes and seconds: « 0:00:00 », « 27:03:09 »."""
    minutes, secs = divmod(int(seconds or 0), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def iso8601(seconds: int | float | None) -> str:
    """An ISO 8601 duration as xAPI expects it: « PT1H5M30S », « PT0S » for nothing."""
    minutes, secs = divmod(int(seconds or 0), 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{hours}H" if hours else "", f"{minutes}M" if minutes else "", f"{secs}S" if secs else ""]
    return "PT" + ("".join(parts) or "0S")
