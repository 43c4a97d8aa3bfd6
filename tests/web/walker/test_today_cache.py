"""The today page is cached per walker under a fingerprint of its data: every write shows at once.

The oracle: after each change, the page served (from the cache when the fingerprint did
not move) equals the page computed from scratch (cache emptied), and differs from the
page before the change. Safety first: a red flag recorded after the page was cached
stops the walker on the very next request.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import caches
from django.test import Client

from walkrx.web.walking import services
from walkrx.web.walking.models import DailyActivity, Walk
from walkrx.web.walking.services import history

from .conftest import checkin_form, make_walker

pytestmark = [pytest.mark.db, pytest.mark.django_db]

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def page(c: Client) -> str:
    r = c.get("/today/")
    assert r.status_code == 200
    return CSRF.sub("csrf", r.content.decode())


def fresh(c: Client) -> str:
    """The page computed from scratch: no cached body in this process."""
    caches["pages"].clear()
    return page(c)


def check_change(c: Client, change: Any, visible: bool = True) -> str:
    """Warm the cache, make the change, and check the next page is the fresh one."""
    before = page(c)
    assert page(c) == before  # served again (from the cache)
    change()
    after = page(c)
    if visible:
        assert after != before, "the change did not show on the today page"
    assert after == fresh(c), "the cached today page differs from a fresh one"
    return after


def test_today_is_served_from_the_cache_while_nothing_changes(
    ann: tuple[Client, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    c, _w = ann
    first = page(c)

    def engine_must_not_run(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the plan engine ran although nothing changed")

    monkeypatch.setattr(services, "state_with_plan", engine_must_not_run)
    assert page(c) == first
    caches["pages"].clear()
    with pytest.raises(AssertionError, match="engine ran"):
        c.get("/today/")


def test_a_red_flag_after_the_page_was_cached_stops_walking_at_once(
    ann: tuple[Client, Any],
) -> None:
    c, w = ann
    assert 'action="/walks/log/"' in page(c)
    data = checkin_form(yes=("fever-unwell",))
    html = check_change(c, lambda: c.post("/check-in/", data))
    assert "Get a medical assessment today" in html
    assert 'action="/walks/log/"' not in html


def test_a_red_flag_recorded_elsewhere_stops_walking_at_once(ann: tuple[Client, Any]) -> None:
    c, w = ann
    html = check_change(
        c,
        lambda: services.record_checkin(
            w, date=services.local_today(w.tz), red_flags=["cauda-equina-bladder"]
        ),
    )
    assert 'action="/walks/log/"' not in html
    assert "Call" in html or "emergency" in html.lower()


def test_a_clinician_clearance_resumes_walking_at_once(ann: tuple[Client, Any]) -> None:
    from walkrx.web.clinic.services import add_clinician, link_walker

    c, w = ann
    services.record_checkin(w, date=services.local_today(w.tz), red_flags=["trauma"])
    add_clinician("dr-gp", full_name="Dr G P")
    link_walker(w, "dr-gp", by="admin")
    assert 'action="/walks/log/"' not in page(c)
    html = check_change(
        c,
        lambda: services.clear_by_clinician(
            services.get_walker(w.name), clinician_username="dr-gp", note="seen by my GP"
        ),
    )
    assert 'action="/walks/log/"' in html


def test_a_flare_check_in_shows_at_once(ann: tuple[Client, Any]) -> None:
    c, w = ann
    html = check_change(
        c,
        lambda: services.record_checkin(
            w, date=services.local_today(w.tz), avg_pain=8, worst_pain=9, flare=True
        ),
    )
    assert "highly flared up" in html


def test_logging_editing_deleting_and_restoring_a_walk_show_at_once(
    ann: tuple[Client, Any],
) -> None:
    c, w = ann
    today = services.local_today(w.tz)
    html = check_change(
        c, lambda: services.log_walk(w, local_date=today, minutes=17, pain_before=2, pain_after=2)
    )
    assert "Done today: 17 min" in html
    walk = Walk.objects.get(walker=w)
    html = check_change(
        c,
        lambda: history.edit_walk(w, walk, local_day=today, start_time=dt.time(12, 0), minutes=23),
    )
    assert "Done today: 23 min" in html
    revs: list[Any] = []
    html = check_change(c, lambda: revs.append(history.delete_walk(w, walk)))
    assert "Done today" not in html
    html = check_change(c, lambda: history.undo_delete(w, revs[0].pk))
    assert "Done today: 23 min" in html


def test_settings_and_clinician_limits_show_at_once(ann: tuple[Client, Any]) -> None:
    c, w = ann
    check_change(
        c,
        lambda: services.change_settings(
            services.get_walker(w.name), by="walker", walking_weekdays=[0, 2, 4]
        ),
        visible=False,  # may leave this week's page as it was; must equal a fresh one
    )
    check_change(
        c,
        lambda: services.change_settings(
            services.get_walker(w.name), by="dr-kari", target_minutes=45
        ),
    )
    check_change(
        c,
        lambda: services.change_settings(services.get_walker(w.name), by="dr-kari", pain_limit=2),
    )


def test_imported_days_show_at_once(ann: tuple[Client, Any]) -> None:
    c, w = ann
    today = services.local_today(w.tz)

    def import_days() -> None:
        DailyActivity.objects.bulk_create(
            [
                DailyActivity(
                    walker=w,
                    date=today - dt.timedelta(days=i),
                    origin="imported",
                    steps=9000,
                    walk_min=70.0,
                    valid_day=True,
                )
                for i in range(1, 13)
            ]
        )

    check_change(c, import_days, visible=False)


def test_the_page_turns_over_at_local_midnight(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Auckland's midnight: the cached page of 23:59 is not served at 00:01."""
    zone = ZoneInfo("Pacific/Auckland")
    now = dt.datetime.now(dt.UTC)
    midnight = dt.datetime.combine(
        now.astimezone(zone).date() + dt.timedelta(days=1), dt.time(0, 0), tzinfo=zone
    )
    user, _w = make_walker(
        "tui", tz="Pacific/Auckland", start_date=midnight.date() - dt.timedelta(days=20)
    )
    c = Client()
    c.force_login(user)
    clock = {"now": (midnight - dt.timedelta(minutes=1)).astimezone(dt.UTC)}
    monkeypatch.setattr("django.utils.timezone.now", lambda: clock["now"])
    late = page(c)
    day_before = midnight.date() - dt.timedelta(days=1)
    assert f"Today, {day_before:%A} {day_before.day} {day_before:%B}" in late
    assert page(c) == late
    clock["now"] = (midnight + dt.timedelta(minutes=1)).astimezone(dt.UTC)
    early = page(c)
    assert f"Today, {midnight:%A} {midnight.day} {midnight:%B}" in early
    assert early == fresh(c)


def test_the_fingerprint_moves_with_every_kind_of_write(ann: tuple[Client, Any]) -> None:
    """The same writes as above, on the fingerprint itself (no page in between)."""
    _c, w = ann
    today = services.local_today(w.tz)
    seen = {repr(services.today_version(services.get_walker(w.name)))}

    def moved() -> None:
        v = repr(services.today_version(services.get_walker(w.name)))
        assert v not in seen
        seen.add(v)

    services.log_walk(w, local_date=today, minutes=10, pain_before=2, pain_after=2)
    moved()
    walk = Walk.objects.get(walker=w)
    history.edit_walk(w, walk, local_day=today, start_time=dt.time(12, 0), minutes=12)
    moved()
    rev = history.delete_walk(w, walk)
    moved()
    history.undo_delete(w, rev.pk)
    moved()
    services.record_checkin(w, date=today, avg_pain=3)
    moved()
    services.change_settings(services.get_walker(w.name), by="walker", bout_cap_min=20)
    moved()
    services.record_checkin(w, date=today, red_flags=["trauma"])
    moved()
    DailyActivity.objects.create(
        walker=w, date=today, origin="imported", steps=5000, walk_min=40.0, valid_day=True
    )
    moved()


def test_the_cached_progress_page_shows_the_stop_banner_at_once(ann: tuple[Client, Any]) -> None:
    """The progress body and its banner state are cached together; a red flag moves both."""
    c, w = ann
    stop = "Stop: your walking program is paused for your safety"
    assert stop not in c.get("/progress/").content.decode()
    assert stop not in c.get("/progress/").content.decode()  # from the cache
    services.record_checkin(w, date=services.local_today(w.tz), red_flags=["cauda-equina-bladder"])
    html = c.get("/progress/").content.decode()
    assert stop in html
    assert "or go to an emergency department now" in html
    assert stop in page(c)
