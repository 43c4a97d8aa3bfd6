"""The walker's journey in Debian's chromium, phone-sized, axe-checked on every page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core import mail

from walkrx.web.walking.models import SafetyEvent, Walk, Walker

GPX = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="walkrx-test" xmlns="http://www.topografix.com/GPX/1/1">
<trk><trkseg>
<trkpt lat="63.4300" lon="10.3950"><time>2026-01-05T08:00:00Z</time></trkpt>
<trkpt lat="63.4310" lon="10.3960"><time>2026-01-05T08:05:00Z</time></trkpt>
</trkseg></trk></gpx>
"""


def sign_up(b: Any, name: str) -> None:
    b.go("/", "welcome")
    with b.page.expect_navigation():
        b.page.get_by_role("link", name="Create an account").click()
    b.check("signup")
    b.page.fill("#id_email", f"{name}@example.org")
    b.click("main button[type=submit]", "signup-sent")
    link = re.search(r"https?://[^/\s]+(/accounts/signup/confirm/\S+)", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    b.go(link.group(1), "signup-choose-password")
    b.page.fill("#id_new_password1", "gentle-walks-2026")
    b.page.fill("#id_new_password2", "gentle-walks-2026")
    b.click("main button[type=submit]", "safety-screen")
    assert b.page.url.endswith("/start/")


def answer_screen(b: Any, age: str, yes: tuple[str, ...] = ()) -> None:
    b.page.fill("#id_age", age)
    for radio in b.page.locator("input[type=radio][value=no]").all():
        radio.check()
    for code in yes:
        b.page.check(f"input[name='rf_{code}'][value=yes]")


def test_sign_up_onboard_log_a_walk_and_see_progress(
    browser: Any, job_worker: tuple[Any, Path], settings: Any, worker_idle: Any
) -> None:
    settings.MEDIA_ROOT = job_worker[1]
    b = browser
    sign_up(b, "walker1")
    answer_screen(b, "58")
    b.click("main button[type=submit]", "about-you")
    assert b.page.url.endswith("/start/about-you/")
    b.page.check("input[name=goal][value=relieve-pain]")
    b.page.select_option("#id_current_pain", "4")
    b.page.fill("#id_baseline_minutes", "5")
    assert b.page.input_value("#id_tz") == "Europe/Oslo"
    b.click("main button[type=submit]", "today")
    assert b.page.url.endswith("/today/")
    assert Walker.objects.get(user__username="walker1@example.org").onboarded

    # the timer (progressive enhancement) fills minutes; then the walker corrects and rates pain
    b.page.click("#timer-start")
    b.page.click("#timer-finish")
    assert b.page.input_value("#id_minutes") == "0.5"
    b.page.fill("#id_minutes", "15")
    b.page.select_option("#id_pain_before", "2")
    b.page.select_option("#id_pain_max", "5")
    b.page.select_option("#id_pain_after", "5")
    b.page.check("input[name=talk_test][value=can-talk]")
    b.click("#walk-form button[type=submit]", "walk-feedback")
    main = b.page.locator("main").inner_text()
    assert "above your limit of 3/10" in main
    assert Walk.objects.filter(walker__user__username="walker1@example.org", minutes=15).exists()

    with b.page.expect_navigation():
        b.page.get_by_role("link", name="See your progress").click()
    b.check("progress")
    assert b.page.locator("svg[role=img]").count() >= 3
    b.page.locator("summary", has_text="Show the numbers as a table").nth(1).click()
    pain_table = b.page.locator("table").nth(1).inner_text()
    assert re.search(r"15\s+2\s+5\s+5", pain_table), pain_table
    assert re.search(r"done (1 of|1 walk\b|all)", b.page.locator("main").inner_text())

    b.go("/check-in/", "checkin")
    b.page.click("label[for=id_avg_pain_3]")
    b.page.click("label[for=id_worst_pain_5]")
    b.page.click("label[for=id_rest_pain_1]")
    for name in ("night_pain", "leg_symptoms", "flare", "recurrence"):
        b.page.check(f"input[name={name}][value=no]")
    b.click("main form button[type=submit]", "checkin-safety")
    b.click("button[value=none]", "next-week")
    assert "Next week" in b.page.locator("h1").inner_text()

    b.go("/data/", "data")
    b.page.set_input_files(
        "#id_file",
        files=[{"name": "walk.gpx", "mimeType": "application/gpx+xml", "buffer": GPX.encode()}],
    )
    b.click("main form[enctype] button[type=submit]", "upload-status")
    b.page.wait_for_function(
        # finished, and the page has reloaded itself to show the whole result
        "() => !['queued', 'running'].includes(document.getElementById('job')?.dataset.state)"
        " && !document.getElementById('job-progress')",
        timeout=120_000,
    )
    b.check("upload-finished")
    message = b.page.locator("#job-message").inner_text()
    print("upload:", b.page.locator("#job").get_attribute("data-state"), message)
    assert b.page.locator("#job").get_attribute("data-state") == "done", message
    b.go("/safety/", "safety-none")
    b.go("/safety/new-symptom/", "new-symptom")
    b.go("/learn/", "learn")
    worker_idle()


def test_red_flag_at_onboarding_pauses_and_logging_is_refused(browser: Any) -> None:
    b = browser
    sign_up(b, "walker2")
    answer_screen(b, "47", yes=("saddle-numbness",))
    b.click("main button[type=submit]", "paused")
    assert b.page.url.endswith("/safety/")
    alert = b.page.get_by_role("alert").first.inner_text()
    assert "Call your local emergency number now" in alert
    walker = Walker.objects.get(user__username="walker2@example.org")
    assert SafetyEvent.objects.filter(walker=walker, code="saddle-numbness").exists()

    b.go("/today/", "today-paused")
    assert "Stop: your walking program is paused" in b.page.get_by_role("alert").first.inner_text()
    assert b.page.locator("#walk-form").count() == 0
    # a hand-made POST is refused too
    status = b.page.evaluate(
        """async () => {
            const token = document.cookie.split('; ').find(c => c.startsWith('csrftoken=')).split('=')[1];
            const body = new URLSearchParams({csrfmiddlewaretoken: token, date: '2026-01-05', minutes: '10', terrain: 'flat'});
            const r = await fetch('/walks/log/', {method: 'POST', body, credentials: 'same-origin'});
            return r.url;
        }"""
    )
    assert status.endswith("/safety/")
    assert not Walk.objects.filter(walker=walker).exists()
    b.go("/progress/", "progress-paused")
    assert b.page.get_by_role("alert").count() >= 1
    b.go("/data/", "data-paused")
    assert "Stop" in b.page.get_by_role("alert").first.inner_text()
    # the walker may still erase everything (the safety log too) while paused
    b.page.fill("#id_confirm", "DELETE")
    b.click("main form[action$='/data/delete/'] button[type=submit]", "deleted")
    assert "deleted" in b.page.locator("h1").inner_text()
    assert not Walker.objects.filter(name=walker.name).exists()
    assert not SafetyEvent.objects.filter(walker_id=walker.pk).exists()


def test_high_pain_at_onboarding_starts_flare_mode(browser: Any) -> None:
    b = browser
    sign_up(b, "walker3")
    answer_screen(b, "66")
    b.click("main button[type=submit]", "about-you")
    b.page.check("input[name=goal][value=relieve-pain]")
    b.page.select_option("#id_current_pain", "8")
    b.page.fill("#id_baseline_minutes", "0")
    b.click("main button[type=submit]", "today-flare")
    main = b.page.locator("main").inner_text()
    assert "highly flared up: no walks for now" in main  # 8/10: a high flare plans no walks
    assert "ice pack" in main and "heat" not in main.lower()
