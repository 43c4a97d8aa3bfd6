"""The iCalendar builder: RFC 5545 structure, stable UIDs, SEQUENCE, DST, alarms, cancellations."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from walkrx.interop.ical import (
    DEFAULT_PREFERRED_TIME,
    CalendarItem,
    build_calendar,
    parse_preferred_time,
    reconcile,
)

STAMP = dt.datetime(2026, 3, 25, 6, 0, tzinfo=dt.UTC)


def _walk(day: dt.date, minutes: int = 20, seq: int = 0) -> CalendarItem:
    return CalendarItem(
        uid=f"walk-{day:%Y%m%d}-abc@walkrx",
        day=day,
        summary=f"Walk {minutes} min",
        description="Walk.",
        sequence=seq,
        minutes=minutes,
    )


def _parse(data: bytes) -> Calendar:
    # Strict parse: icalendar raises on malformed content lines instead of skipping them.
    cal = Calendar.from_ical(data)
    assert not cal.errors
    for ev in cal.walk("VEVENT"):
        assert not ev.errors, ev.errors
    return cal


def test_structure_follows_rfc5545() -> None:
    days = [dt.date(2026, 3, 23), dt.date(2026, 3, 25)]
    data = build_calendar(
        [_walk(d) for d in days],
        tz="Europe/Oslo",
        preferred_time=dt.time(7, 45),
        reminder_minutes=20,
        dtstamp=STAMP,
    )
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and b"\r\n" in data
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # folded lines (3.1)
    cal = _parse(data)
    assert str(cal["VERSION"]) == "2.0" and cal["PRODID"]
    (tz,) = cal.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Europe/Oslo"
    events = cal.walk("VEVENT")
    assert len(events) == 2
    for ev in events:
        assert ev["UID"] and ev["SEQUENCE"] == 0
        assert ev.decoded("DTSTAMP") == STAMP
        start = ev.decoded("DTSTART")
        assert ev["DTSTART"].params["TZID"] == "Europe/Oslo"
        assert start.time() == dt.time(7, 45) and str(start.tzinfo) == "Europe/Oslo"
        assert ev.decoded("DTEND") - start == dt.timedelta(minutes=20)
        (alarm,) = ev.walk("VALARM")
        assert alarm["ACTION"] == "DISPLAY" and alarm.decoded("TRIGGER") == dt.timedelta(
            minutes=-20
        )


def test_dst_week_keeps_the_local_time() -> None:
    # Europe/Oslo moves to summer time on Sunday 29 March 2026 at 02:00.
    days = [dt.date(2026, 3, 28), dt.date(2026, 3, 29), dt.date(2026, 3, 30)]
    cal = _parse(
        build_calendar(
            [_walk(d) for d in days],
            tz="Europe/Oslo",
            preferred_time=dt.time(9, 0),
            reminder_minutes=None,
            dtstamp=STAMP,
        )
    )
    starts = [ev.decoded("DTSTART") for ev in cal.walk("VEVENT")]
    assert [s.time() for s in starts] == [dt.time(9, 0)] * 3
    assert [s.astimezone(dt.UTC).hour for s in starts] == [8, 7, 7]
    # the VTIMEZONE carries the change so that any client computes the same instants
    (tz,) = cal.walk("VTIMEZONE")
    assert {str(c["TZNAME"]) for c in tz.subcomponents} >= {"CET", "CEST"}
    assert not any(ev.walk("VALARM") for ev in cal.walk("VEVENT"))


def test_reconcile_keeps_uids_and_grows_sequence() -> None:
    mon, wed = dt.date(2026, 3, 23), dt.date(2026, 3, 25)
    first = reconcile([], [_walk(mon), _walk(wed)])
    assert [i.sequence for i in first] == [0, 0]
    # same plan again: nothing changes
    assert reconcile(first, [_walk(mon), _walk(wed)]) == first
    # the plan changed (snapshot sequence 1): Wednesday is longer, Monday removed
    second = reconcile(first, [_walk(wed, 25, seq=1)])
    by_uid = {i.uid: i for i in second}
    assert set(by_uid) == {i.uid for i in first}  # same UIDs
    assert by_uid[_walk(wed).uid].sequence == 1 and not by_uid[_walk(wed).uid].cancelled
    assert by_uid[_walk(mon).uid].cancelled and by_uid[_walk(mon).uid].sequence == 1
    # a change without a new snapshot sequence still bumps SEQUENCE (never goes down)
    third = reconcile(second, [_walk(wed, 30, seq=0)])
    wed3 = next(i for i in third if i.uid == _walk(wed).uid)
    assert wed3.sequence == 2 and wed3.minutes == 30
    # Monday comes back (the pause was lifted): same UID, higher SEQUENCE, confirmed
    fourth = reconcile(third, [_walk(mon, seq=1), _walk(wed, 30, seq=0)])
    mon4 = next(i for i in fourth if i.uid == _walk(mon).uid)
    assert not mon4.cancelled and mon4.sequence == 2


def test_cancelled_and_all_day_events() -> None:
    pause = CalendarItem(
        "paused-x@walkrx", dt.date(2026, 3, 25), "walkrx paused: see the app", "", 0, None, 12
    )
    gone = CalendarItem(
        "walk-y@walkrx", dt.date(2026, 3, 26), "Walk 20 min", "", 3, 20, cancelled=True
    )
    cal = _parse(
        build_calendar(
            [pause, gone],
            tz="Europe/Oslo",
            preferred_time=dt.time(9),
            reminder_minutes=15,
            dtstamp=STAMP,
        )
    )
    p, g = cal.walk("VEVENT")
    assert p.decoded("DTSTART") == dt.date(2026, 3, 25) and p.decoded("DTEND") == dt.date(
        2026, 4, 6
    )
    assert str(p["STATUS"]) == "CONFIRMED"
    assert str(g["STATUS"]) == "CANCELLED" and g["SEQUENCE"] == 3 and not g.walk("VALARM")


def test_preferred_time_parsing_and_bad_inputs() -> None:
    assert parse_preferred_time("18:15") == dt.time(18, 15)
    assert parse_preferred_time(None) == DEFAULT_PREFERRED_TIME
    assert parse_preferred_time("teatime") == DEFAULT_PREFERRED_TIME
    with pytest.raises(ValueError):
        build_calendar(
            [], tz="CET", preferred_time=dt.time(9), reminder_minutes=None, dtstamp=STAMP
        )
    with pytest.raises(ValueError, match="aware"):
        build_calendar(
            [],
            tz="UTC",
            preferred_time=dt.time(9),
            reminder_minutes=None,
            dtstamp=STAMP.replace(tzinfo=None),
        )


_DAYS = [dt.date(2026, 3, 23) + dt.timedelta(days=i) for i in range(14)]


@given(
    st.lists(
        st.tuples(
            st.sets(st.sampled_from(_DAYS), max_size=8),
            st.integers(min_value=5, max_value=40),
            st.integers(min_value=0, max_value=5),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_reconcile_properties_over_any_sequence_of_plans(plans: list[Any]) -> None:
    """Whatever the plans: a published UID never vanishes, SEQUENCE never goes down, and an
    event is cancelled exactly when it is not planned any more."""
    ledger: list[CalendarItem] = []
    seen: dict[str, CalendarItem] = {}
    for days, minutes, snapshot_seq in plans:
        planned = [_walk(d, minutes, snapshot_seq) for d in sorted(days)]
        ledger = reconcile(ledger, planned)
        by_uid = {i.uid: i for i in ledger}
        assert set(seen) <= set(by_uid)
        for uid, item in by_uid.items():
            assert item.cancelled == (uid not in {p.uid for p in planned})
            before = seen.get(uid)
            if before is not None:
                assert item.sequence >= before.sequence
                if replace(before, sequence=item.sequence) != item:  # anything changed
                    assert item.sequence > before.sequence
            seen[uid] = item
