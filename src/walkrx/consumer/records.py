"""Typed records produced by the consumer-data importers (Apple Health, FIT, GPX, Fitbit, CSV).

Every record keeps its instants in UTC plus the UTC offset (minutes) the device was in when it
made the record, so that its local date comes from its OWN offset (a step count at 23:30 in
``-0700`` belongs to that local day, whatever zone the walker is in today).

Instants are stored as integer seconds since the Unix epoch (``start_s``/``end_s``): importers
stream millions of records and plain ints keep both memory and merging cheap. ``start_utc`` and
``end_utc`` give aware :class:`datetime.datetime` views.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from walkrx.ingest.errors import ImportFileError as ImportFileError

UTC = dt.UTC

#: Kinds of interval record.
STEPS = "steps"
DISTANCE = "distance"
WORKOUT = "workout"
INTERVAL_KINDS = (STEPS, DISTANCE)

#: Device kinds, used by the default merge priority (first wins).
DEVICE_KINDS = ("watch", "tracker", "phone", "app", "manual", "unknown")

#: Activities a walking workout may have.
WALKING_ACTIVITIES = ("walking", "hiking")


def to_utc(seconds: int | float) -> dt.datetime:
    """Convert epoch seconds to an aware UTC datetime."""
    return dt.datetime.fromtimestamp(seconds, UTC)


def epoch_s(instant: dt.datetime) -> int:
    """Convert an aware datetime to whole epoch seconds (naive datetimes are refused)."""
    if instant.tzinfo is None:
        raise ValueError(f"naive datetime {instant!r}: a UTC offset is required")
    return int(instant.timestamp() // 1)


def local_date(seconds: int | float, utc_offset_minutes: int) -> dt.date:
    """Local calendar date of an instant seen at a fixed UTC offset."""
    return dt.date(1970, 1, 1) + dt.timedelta(
        days=int((seconds + utc_offset_minutes * 60) // 86400)
    )


class Interval(NamedTuple):
    """Steps or distance counted by one source over ``[start_s, end_s)``.

    ``value`` is a step count (``unit="count"``) or metres (``unit="m"``).
    ``device`` is a short description of the device (may be empty), ``device_kind`` one of
    :data:`DEVICE_KINDS`. A named tuple: importers create millions of them.
    """

    source_name: str
    device: str
    device_kind: str
    kind: str
    start_s: int
    end_s: int
    value: float
    unit: str
    utc_offset_minutes: int

    @property
    def start_utc(self) -> dt.datetime:
        """Start as an aware UTC datetime."""
        return to_utc(self.start_s)

    @property
    def end_utc(self) -> dt.datetime:
        """End as an aware UTC datetime."""
        return to_utc(self.end_s)

    @property
    def local_date(self) -> dt.date:
        """Local date of the start, from the record's own offset."""
        return local_date(self.start_s, self.utc_offset_minutes)


@dataclass(frozen=True, slots=True)
class RoutePoint:
    """One point of a workout route."""

    time_s: int | None
    lat: float
    lon: float
    ele_m: float | None = None


@dataclass(frozen=True, slots=True)
class Workout:
    """A walking or hiking session recorded as such by an app or device."""

    source_name: str
    device: str
    device_kind: str
    activity: str  # "walking" | "hiking"
    start_s: int
    end_s: int
    duration_s: float
    distance_m: float | None
    steps: int | None
    utc_offset_minutes: int
    moving_s: float | None = None
    route: tuple[RoutePoint, ...] = ()

    @property
    def start_utc(self) -> dt.datetime:
        """Start as an aware UTC datetime."""
        return to_utc(self.start_s)

    @property
    def end_utc(self) -> dt.datetime:
        """End as an aware UTC datetime."""
        return to_utc(self.end_s)

    @property
    def local_date(self) -> dt.date:
        """Local date of the start, from the workout's own offset."""
        return local_date(self.start_s, self.utc_offset_minutes)


Record = Interval | Workout


@dataclass
class ParseReport:
    """What an importer saw besides the records it yielded: format, skipped records and why."""

    path: str
    format: str = ""
    records: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    bytes_read: int = 0  # progress of streaming readers (uncompressed bytes)

    def skip(self, reason: str, n: int = 1) -> None:
        """Count ``n`` records skipped for ``reason``."""
        self.skipped[reason] += n
