"""Tiny, pure time helpers shared by the engines and the layers that feed them.

A walk belongs to the walker's *local* calendar day: a walk at 23:30 in
Europe/Oslo is on that Oslo date, even though it is already the next day or
still the same day in UTC. Days around the DST changes have 23 or 25 hours;
``zoneinfo`` handles that, so the helpers never add fixed offsets themselves.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

__all__ = ["local_date", "monday_of", "to_zone"]


def to_zone(tz: str | ZoneInfo) -> ZoneInfo:
    """Return a ``ZoneInfo`` for an IANA name (``Europe/Oslo``) or pass one through.

    ``CET``-style abbreviations are refused: they carry no history of the rules.
    """
    if isinstance(tz, ZoneInfo):
        return tz
    if "/" not in tz and tz != "UTC":
        raise ValueError(f"{tz!r} is not an IANA zone name such as 'Europe/Oslo'")
    return ZoneInfo(tz)


def local_date(utc_instant: datetime, tz: str | ZoneInfo) -> date:
    """Return the calendar date of ``utc_instant`` in the zone ``tz``.

    ``utc_instant`` must be time-zone aware (any offset is fine; it names one
    instant). A naive datetime is refused rather than guessed.
    """
    if utc_instant.tzinfo is None or utc_instant.utcoffset() is None:
        raise ValueError("local_date needs an aware datetime (a UTC instant), got a naive one")
    return utc_instant.astimezone(to_zone(tz)).date()


def monday_of(day: date) -> date:
    """Return the Monday of the ISO week that contains ``day``."""
    return day - timedelta(days=day.weekday())
