"""Calendar subscription, FHIR download and API tokens in Debian's chromium, axe-checked."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from icalendar import Calendar

from walkrx.evidence.red_flags import SCREEN_CODES
from walkrx.interop.fhir_check import validate_bundle
from walkrx.web.walking import services


def _sign_in(b: Any, username: str, password: str) -> None:
    b.go("/accounts/login/", "login")
    b.page.fill("#id_username", username)
    b.page.fill("#id_password", password)
    b.click("main button[type=submit]", "after-login")


def test_subscribe_to_the_calendar_download_fhir_make_a_token(browser: Any) -> None:
    b = browser
    user = User.objects.create_user("cal-walker", password="gentle-walks-2026")
    walker = services.create_walker(
        name="cal-walker",
        age=60,
        goal="relieve-pain",
        tz="Europe/Oslo",
        start_date=services.local_today("Europe/Oslo") - dt.timedelta(days=10),
        baseline_minutes=10,
        user=user,
        screening=dict.fromkeys(SCREEN_CODES, False),
    )
    services.mark_onboarded(walker)
    services.change_settings(walker, by="cal-walker", preferred_time="08:15", reminder_minutes=10)
    _sign_in(b, "cal-walker", "gentle-walks-2026")

    b.go("/data/", "my-data")
    with b.page.expect_navigation():
        b.page.get_by_role("link", name="Put my planned walks in my phone's calendar").click()
    b.check("calendar-link")
    b.click("main button[value=new]", "calendar-link-made")
    url = b.page.input_value("#calendar-url")
    assert url.startswith(b.base_url + "/cal/") and url.endswith(".ics")
    webcal = b.page.get_by_role("link", name="Open in my calendar app").get_attribute("href")
    assert webcal == url.replace("http://", "webcal://")

    # subscribe: the browser fetches the feed as a calendar app would
    feed = b.page.request.get(url)
    assert feed.status == 200 and feed.headers["content-type"].startswith("text/calendar")
    cal = Calendar.from_ical(feed.body())
    walks = [e for e in cal.walk("VEVENT") if str(e["STATUS"]) == "CONFIRMED"]
    assert walks and all(e.decoded("DTSTART").time() == dt.time(8, 15) for e in walks)
    assert all(e.walk("VALARM")[0].decoded("TRIGGER") == dt.timedelta(minutes=-10) for e in walks)

    b.page.reload()
    b.check("calendar-link-hidden")
    assert b.page.locator("#calendar-url").count() == 0  # the secret is shown once
    b.click("main button[value=revoke]", "calendar-link-off")
    assert b.page.request.get(url).status == 404

    b.go("/data/", "my-data-again")
    with b.page.expect_download() as info:
        b.page.get_by_role("link", name="Download for my clinic (FHIR R4, .json)").click()
    bundle = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert validate_bundle(bundle) >= 2

    b.go("/data/api-tokens/", "api-tokens")
    b.page.fill("#token-name", "my script")
    b.click("main button[value=new]", "api-token-made")
    token = b.page.input_value("#api-token")
    me = b.page.request.get(b.url("/api/v1/me"), headers={"Authorization": f"Bearer {token}"})
    assert me.status == 200 and me.json()["username"] == "cal-walker"
    assert b.page.request.get(b.url("/api/v1/me")).status == 401
