"""The calendar feed: secret revocable links, stable UIDs, SEQUENCE, pauses, DST, settings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from icalendar import Calendar

from walkrx.web.interop import services as interop
from walkrx.web.walking import services
from walkrx.web.walking.models import PlanSnapshot

from .conftest import make_walker

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def _events(data: bytes) -> list[Any]:
    cal = Calendar.from_ical(data)
    assert not cal.errors
    return list(cal.walk("VEVENT"))


def _walks(events: list[Any], status: str | None = None) -> dict[str, Any]:
    return {
        str(e["UID"]): e
        for e in events
        if str(e["UID"]).startswith("walk-") and (status is None or str(e["STATUS"]) == status)
    }


def _fetch(c: Client, raw: str) -> bytes:
    r = c.get(f"/cal/{raw}.ics")
    assert r.status_code == 200, r.status_code
    assert r["Content-Type"].startswith("text/calendar")
    return bytes(r.content)


def test_feed_lists_this_and_next_weeks_walks() -> None:
    _, walker = make_walker("ann")
    raw = interop.new_calendar_token(walker)
    assert all(not e.walk("VALARM") for e in _events(_fetch(Client(), raw)))  # no reminder set
    services.change_settings(walker, by="ann", reminder_minutes=30)
    events = _events(_fetch(Client(), raw))
    today = services.local_today(walker.tz)
    this = services.plan_for(walker, today)
    nxt = services.plan_for(walker, this.week_start + dt.timedelta(days=7))
    planned = {s.date for s in this.sessions + nxt.sessions}
    assert planned, "the walker has planned walks"
    walks = _walks(events, "CONFIRMED")
    assert {e.decoded("DTSTART").date() for e in walks.values()} == planned
    for e in walks.values():
        assert e["SEQUENCE"] == 0 and e.decoded("DTSTART").time() == dt.time(9, 0)
        assert e.decoded("DTSTAMP").tzinfo is not None
        (alarm,) = e.walk("VALARM")  # the reminder the walker chose: 30 minutes before
        assert alarm.decoded("TRIGGER") == dt.timedelta(minutes=-30)


def test_revoked_or_replaced_links_are_404() -> None:
    _, walker = make_walker("ann")
    c = Client()
    old = interop.new_calendar_token(walker)
    _fetch(c, old)
    new = interop.new_calendar_token(walker)
    assert c.get(f"/cal/{old}.ics").status_code == 404
    _fetch(c, new)
    assert interop.revoke_calendar_tokens(walker) == 1
    assert c.get(f"/cal/{new}.ics").status_code == 404
    assert c.get("/cal/not-a-token.ics").status_code == 404


def test_uids_stable_sequence_grows_and_pause_cancels_walks() -> None:
    _, walker = make_walker("ann")
    c = Client()
    raw = interop.new_calendar_token(walker)
    first = _walks(_events(_fetch(c, raw)))
    again = _walks(_events(_fetch(c, raw)))
    assert first.keys() == again.keys() and first
    assert [e["SEQUENCE"] for e in first.values()] == [e["SEQUENCE"] for e in again.values()]

    today = services.local_today(walker.tz)
    services.record_checkin(walker, date=today, red_flags=["saddle-numbness"])
    paused = _events(_fetch(c, raw))
    walks = _walks(paused)
    assert walks.keys() == first.keys()  # same UIDs, now cancelled
    assert not _walks(paused, "CONFIRMED"), "a paused walker gets no walk to do"
    assert all(str(e["STATUS"]) == "CANCELLED" for e in walks.values())
    assert all(walks[u]["SEQUENCE"] > first[u]["SEQUENCE"] for u in walks)
    (note,) = [e for e in paused if str(e["UID"]).startswith("paused-")]
    assert str(note["SUMMARY"]) == "walkrx paused: see the app"
    assert isinstance(note.decoded("DTSTART"), dt.date) and not isinstance(
        note.decoded("DTSTART"), dt.datetime
    )
    assert "not a diagnosis" in str(note["DESCRIPTION"]).lower()
    snap = PlanSnapshot.objects.get(
        walker=walker, week_start=today - dt.timedelta(days=today.weekday())
    )
    assert snap.sequence >= 1

    from walkrx.web.clinic.services import add_clinician, link_walker

    add_clinician("dr-gp", full_name="Dr G P")
    link_walker(walker, "dr-gp", by="admin")
    services.clear_by_clinician(walker, clinician_username="dr-gp", note="seen by my GP")
    resumed = _events(_fetch(c, raw))
    back = _walks(resumed, "CONFIRMED")
    assert back, "walks return after the clearance"
    for uid, e in back.items():
        if uid in walks:
            assert e["SEQUENCE"] > walks[uid]["SEQUENCE"]
    (note,) = [e for e in resumed if str(e["UID"]).startswith("paused-")]
    assert str(note["STATUS"]) == "CANCELLED"


def test_paused_walker_never_published_has_no_walk_events() -> None:
    _, walker = make_walker("pia")
    services.record_checkin(
        walker, date=services.local_today(walker.tz), red_flags=["fever-unwell"]
    )
    events = _events(interop.calendar_feed(walker))
    assert _walks(events) == {}
    assert [str(e["SUMMARY"]) for e in events] == ["walkrx paused: see the app"]


def test_dst_weeks_and_the_walkers_settings() -> None:
    _, walker = make_walker(
        "oslo",
        start_date=dt.date(2026, 3, 2),
        preferences={"walking_weekdays": [0, 1, 2, 3, 4, 5, 6]},
    )
    # the settings page writes these through the walking services
    services.change_settings(walker, by="oslo", preferred_time="18:30", reminder_minutes=15)
    services.change_settings(walker, by="oslo", reminder_minutes=None)
    walker.refresh_from_db()
    assert walker.preferences == {
        "walking_weekdays": [0, 1, 2, 3, 4, 5, 6],
        "preferred_time": "18:30",
        "reminder_minutes": None,
    }
    # the week of 23 March 2026 ends with the spring-forward Sunday; the next is summer time
    events = _events(interop.calendar_feed(walker, today=dt.date(2026, 3, 25)))
    walks = _walks(events, "CONFIRMED")
    starts = sorted(e.decoded("DTSTART") for e in walks.values())
    assert starts and all(s.time() == dt.time(18, 30) for s in starts)
    offsets = {s.date() < dt.date(2026, 3, 29): s.utcoffset() for s in starts}
    assert offsets == {True: dt.timedelta(hours=1), False: dt.timedelta(hours=2)}
    assert all(not e.walk("VALARM") for e in walks.values())
    assert all(e["DTSTART"].params["TZID"] == "Europe/Oslo" for e in walks.values())


def test_calendar_page_makes_and_turns_off_the_link() -> None:
    user, walker = make_walker("ann")
    c = Client()
    c.force_login(user)
    assert 'href="/data/calendar/"' in c.get("/data/").content.decode()
    r = c.post("/data/calendar/", {"action": "new"})
    assert r.status_code == 302
    page = c.get("/data/calendar/").content.decode()
    start = page.index("http://testserver/cal/")
    url = page[start : page.index('"', start)]
    assert url.endswith(".ics") and "webcal://testserver/cal/" in page
    assert Client().get(url.removeprefix("http://testserver")).status_code == 200
    assert "http://testserver/cal/" not in c.get("/data/calendar/").content.decode()  # shown once
    c.post("/data/calendar/", {"action": "revoke"})
    assert Client().get(url.removeprefix("http://testserver")).status_code == 404


def test_moving_the_preferred_time_bumps_sequence_keeps_uids() -> None:
    _, walker = make_walker("ann")
    before = _walks(_events(interop.calendar_feed(walker)))
    services.change_settings(walker, by="ann", preferred_time="07:15")
    walker.refresh_from_db()
    after = _walks(_events(interop.calendar_feed(walker)))
    assert after.keys() == before.keys() and after
    for uid, e in after.items():
        assert e.decoded("DTSTART").time() == dt.time(7, 15)
        assert e["SEQUENCE"] == before[uid]["SEQUENCE"] + 1


def test_a_plan_change_cancels_the_walks_it_removed() -> None:
    _, walker = make_walker("ann", preferences={"walking_weekdays": [0, 2, 4]})
    first = _walks(_events(interop.calendar_feed(walker)))
    assert first
    services.change_settings(walker, by="ann", walking_weekdays=[1, 3, 5])
    walker.refresh_from_db()
    events = _events(interop.calendar_feed(walker))
    cancelled = _walks(events, "CANCELLED")
    confirmed = _walks(events, "CONFIRMED")
    # every walk no longer planned is cancelled under its old UID, with a higher SEQUENCE
    gone = set(first) - set(confirmed)
    assert gone and set(cancelled) == gone
    assert all(cancelled[u]["SEQUENCE"] > first[u]["SEQUENCE"] for u in gone)
    assert {e.decoded("DTSTART").weekday() for e in confirmed.values()} <= {1, 3, 5}


def test_deleting_the_account_removes_links_tokens_and_ledger() -> None:
    from walkrx.web.interop.models import ApiToken, CalendarEntry, CalendarToken

    user, walker = make_walker("ann")
    raw = interop.new_calendar_token(walker)
    interop.new_api_token(user, "script")
    c = Client()
    _fetch(c, raw)
    assert CalendarEntry.objects.filter(walker=walker).exists()
    c.force_login(user)
    assert c.post("/data/delete/", {"confirm": "DELETE"}).status_code == 200
    assert Client().get(f"/cal/{raw}.ics").status_code == 404
    assert not CalendarToken.objects.exists() and not CalendarEntry.objects.exists()
    assert not ApiToken.objects.exists()
