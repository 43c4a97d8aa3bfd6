"""Planned walks as an RFC 5545 iCalendar feed: pure, no I/O.

One ``VEVENT`` per planned walk at the walker's preferred local time, with:

* a ``UID`` that depends only on the walker and the walk's date, so it stays the same
  every time the feed is generated;
* ``SEQUENCE`` from the week's plan snapshot, which grows whenever the plan changes;
* ``DTSTAMP`` (the time the feed was made, UTC), ``DTSTART``/``DTEND`` with a ``TZID``
  and a matching ``VTIMEZONE`` built from the IANA zone (so DST weeks are right);
* a ``VALARM`` display reminder a chosen number of minutes before (or none);
* ``STATUS:CANCELLED`` for a walk that was published and is no longer planned (a pause
  or a plan change removed it), so subscribed calendars drop it.

While the walker is paused for safety there are no walks, and one all-day event
"walkrx paused: see the app" covers the feed's days instead.

A preferred time that falls in a spring-forward gap is written as given; RFC 5545
(3.3.5) has calendars read it with the offset before the gap (02:30 becomes 03:30).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from walkrx.timeutil import to_zone

__all__ = [
    "DEFAULT_PREFERRED_TIME",
    "PRODID",
    "CalendarItem",
    "build_calendar",
    "parse_preferred_time",
    "reconcile",
]

PRODID = "-//walkrx//walking plan//EN"
#: Used when the walker has not chosen a time: mid-morning, after the stiffness
#: many people with back pain feel on waking has eased, and before most work breaks.
DEFAULT_PREFERRED_TIME = dt.time(9, 0)


@dataclass(frozen=True)
class CalendarItem:
    """One event of the feed.

    ``minutes`` is the walk's length; ``None`` makes an all-day event that lasts
    ``days`` days (the pause notice). ``cancelled`` writes ``STATUS:CANCELLED``.
    ``at`` is the local start time (default: the calendar's ``preferred_time``); it is
    part of the item so that moving a walk to another time bumps its ``SEQUENCE``.
    """

    uid: str
    day: dt.date
    summary: str
    description: str
    sequence: int
    minutes: int | None = None
    days: int = 1
    cancelled: bool = False
    at: dt.time | None = None


def parse_preferred_time(value: object) -> dt.time:
    """The walker's ``preferred_time`` ("HH:MM"), or the default when absent or unreadable."""
    if isinstance(value, str) and value.strip():
        try:
            t = dt.time.fromisoformat(value.strip())
        except ValueError:
            return DEFAULT_PREFERRED_TIME
        return t.replace(second=0, microsecond=0, tzinfo=None)
    return DEFAULT_PREFERRED_TIME


def reconcile(
    published: Iterable[CalendarItem], planned: Sequence[CalendarItem]
) -> list[CalendarItem]:
    """The feed's items: everything planned now, and published items no longer planned, cancelled.

    ``published`` are the items a previous feed announced (the ledger). A planned item
    keeps its UID; its ``SEQUENCE`` never goes down and grows when anything about it
    changed. A published item missing from ``planned`` comes back ``cancelled`` with a
    higher ``SEQUENCE`` (once; an item already cancelled stays as it was).
    """
    before = {p.uid: p for p in published}
    out: list[CalendarItem] = []
    for item in planned:
        old = before.pop(item.uid, None)
        if old is None:
            out.append(item)
            continue
        changed = replace(old, sequence=item.sequence) != item
        seq = max(item.sequence, old.sequence + 1 if changed else old.sequence)
        out.append(replace(item, sequence=seq))
    for old in before.values():
        out.append(
            old if old.cancelled else replace(old, cancelled=True, sequence=old.sequence + 1)
        )
    return sorted(out, key=lambda i: (i.day, i.uid))


def build_calendar(
    items: Iterable[CalendarItem],
    *,
    tz: str,
    preferred_time: dt.time,
    reminder_minutes: int | None,
    dtstamp: dt.datetime,
    name: str = "walkrx walks",
) -> bytes:
    """The iCalendar file (RFC 5545) for ``items``, as bytes (CRLF line endings)."""
    from icalendar import Alarm, Calendar, Event

    if dtstamp.utcoffset() is None:
        raise ValueError("dtstamp must be an aware datetime")
    if reminder_minutes is not None and reminder_minutes < 0:
        raise ValueError(f"reminder_minutes must be >= 0 or None, got {reminder_minutes}")
    zone = to_zone(tz)
    stamp = dtstamp.astimezone(dt.UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", tz)
    items = list(items)
    for item in items:
        ev = Event()
        ev.add("uid", item.uid)
        ev.add("dtstamp", stamp)
        ev.add("sequence", item.sequence)
        ev.add("summary", item.summary)
        ev.add("description", item.description)
        if item.minutes is None:
            ev.add("dtstart", item.day)
            ev.add("dtend", item.day + dt.timedelta(days=item.days))
            ev.add("transp", "TRANSPARENT")
        else:
            start = dt.datetime.combine(item.day, item.at or preferred_time, tzinfo=zone)
            ev.add("dtstart", start)
            # Wall-clock end in the same zone: a walk is as long on a DST day as on any other.
            ev.add(
                "dtend",
                (start.astimezone(dt.UTC) + dt.timedelta(minutes=item.minutes)).astimezone(zone),
            )
        ev.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        if reminder_minutes is not None and not item.cancelled and item.minutes is not None:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", item.summary)
            alarm.add("trigger", dt.timedelta(minutes=-reminder_minutes))
            ev.add_component(alarm)
        cal.add_component(ev)
    # VTIMEZONE rules for the feed's span (a year either side), not 1970-2038: a small file.
    days = [i.day for i in items] or [stamp.date()]
    cal.add_missing_timezones(
        first_date=min(days) - dt.timedelta(days=366), last_date=max(days) + dt.timedelta(days=366)
    )
    return bytes(cal.to_ical())
