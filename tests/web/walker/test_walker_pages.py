"""Walker pages through Django's test client: onboarding, today, logging, check-in, progress."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from walkrx.evidence.forbidden import forbidden_claims_in
from walkrx.evidence.red_flags import RED_FLAGS, RESCREEN_CODES, SCREEN_CODES
from walkrx.web.walking import services
from walkrx.web.walking.models import CheckIn, SafetyEvent, Walk, Walker

from .conftest import checkin_form

pytestmark = [pytest.mark.db, pytest.mark.django_db]

SCREEN_FLAGS = list(SCREEN_CODES)


def screen(age: int = 45, yes: tuple[str, ...] = ()) -> dict[str, str]:
    data = {"age": str(age), "browser_tz": "Europe/Oslo"}
    data.update({f"rf_{c}": ("yes" if c in yes else "no") for c in SCREEN_FLAGS})
    return data


def profile(**kw: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "goal": "relieve-pain",
        "current_pain": "4",
        "baseline_minutes": "5",
        "preferred_time": "08:00",
        "setting": "outdoor",
        "tz": "Europe/Oslo",
        "walking_weekdays": ["0", "2", "4"],
    }
    data.update(kw)
    return data


def new_user(name: str = "newbie") -> Client:
    user = User.objects.create_user(name, f"{name}@example.org", "pw-12345678")
    c = Client()
    c.force_login(user)
    return c


def test_onboarding_creates_the_walker_after_the_safety_screen() -> None:
    c = new_user()
    assert c.get("/today/")["Location"] == "/start/"
    r = c.get("/start/")
    html = r.content.decode()
    for code in SCREEN_FLAGS:
        assert RED_FLAGS[code].question.split("(")[0][:40] in html.replace("&#x27;", "'")
    r = c.post("/start/", screen())
    assert r["Location"] == "/start/about-you/"
    r = c.post("/start/about-you/", profile())
    assert r["Location"] == "/today/", r.content.decode()[:2000]
    w = Walker.objects.get(user__username="newbie")
    assert w.onboarded and w.age == 45 and w.tz == "Europe/Oslo"
    assert w.preferences["walking_weekdays"] == [0, 2, 4]
    r = c.get("/today/")
    assert r.status_code == 200
    assert "Log a walk" in r.content.decode()


def test_microdiscectomy_needs_a_date() -> None:
    c = new_user()
    c.post("/start/", screen())
    r = c.post("/start/about-you/", profile(conditions="microdiscectomy"))
    assert r.status_code == 200
    assert "date of your operation" in r.content.decode()


def test_emergency_answer_stops_onboarding_and_pauses() -> None:
    c = new_user()
    r = c.post("/start/", screen(yes=("cauda-equina-bladder",)))
    assert r["Location"] == "/safety/"
    w = Walker.objects.get(user__username="newbie")
    assert SafetyEvent.objects.get(walker=w, kind="screening").answers["cauda-equina-bladder"]
    ev = SafetyEvent.objects.get(walker=w, kind="red-flag")
    assert ev.kind == "red-flag" and ev.code == "cauda-equina-bladder" and ev.urgency == "emergency"
    html = c.get("/safety/").content.decode()
    assert "Call your local emergency number now" in html
    # every page shows the stop; logging is refused
    for page in ("/learn/", "/data/"):
        assert "Stop: your walking program is paused" in c.get(page).content.decode()
    assert c.get("/start/")["Location"] == "/safety/"
    r = c.post("/walks/log/", {"date": "2026-01-05", "minutes": "10", "terrain": "flat"})
    assert r.status_code == 302 and r["Location"] == "/safety/"
    assert not Walk.objects.filter(walker=w).exists()


def test_log_walk_gives_pain_feedback_at_once(ann: tuple[Client, Walker]) -> None:
    c, w = ann
    day = services.local_today(w.tz).isoformat()
    r = c.post(
        "/walks/log/",
        {
            "date": day,
            "minutes": "12",
            "pain_before": "2",
            "pain_max": "5",
            "pain_after": "5",
            "terrain": "flat",
            "talk_test": "can-talk",
        },
    )
    walk = Walk.objects.get(walker=w)
    assert r["Location"] == f"/walks/{walk.pk}/"
    html = c.get(r["Location"]).content.decode()
    assert "above your limit of 3/10" in html
    assert "Take care" in html
    assert "not a diagnosis" in html
    bad = c.post("/walks/log/", {"date": day, "minutes": "0", "terrain": "flat"})
    assert bad.status_code == 200 and "Please check the form" in bad.content.decode()


def test_today_shows_plan_routine_and_reasons(ann: tuple[Client, Walker]) -> None:
    c, _ = ann
    html = c.get("/today/").content.decode()
    assert "Why this plan" in html
    assert "Source:" in html
    assert "timer.js" in html


def test_checkin_decides_and_explains_next_week(ann: tuple[Client, Walker]) -> None:
    c, w = ann
    data = checkin_form(SCREEN_FLAGS, confidence="7")
    r = c.post("/check-in/", data)
    ci = CheckIn.objects.get(walker=w)
    assert r["Location"] == f"/check-in/{ci.pk}/"
    html = c.get(r["Location"]).content.decode()
    assert "Next week" in html and "Source:" in html


def test_checkin_red_flag_pauses(ann: tuple[Client, Walker]) -> None:
    c, w = ann
    data = checkin_form(SCREEN_FLAGS, yes=("fever-unwell",))
    r = c.post("/check-in/", data)
    assert r["Location"] == "/safety/"
    html = c.get("/today/").content.decode()
    assert "Get a medical assessment today" in html
    assert 'action="/walks/log/"' not in html


def test_self_confirmed_review_resumes(ann: tuple[Client, Walker]) -> None:
    c, w = ann
    services.record_checkin(w, date=services.local_today(w.tz), red_flags=["trauma"])
    assert c.post("/safety/review/", {"note": "GP"}).status_code == 302
    assert services.recorded_safety(w)["status"] == "paused"  # no date, no re-screen
    review = {
        "assessed_on": services.local_today(w.tz).isoformat(),
        "assessed_by": "Dr Lee, GP",
        "note": "no fracture; walk as planned",
    }
    review.update({f"rf_{code}": "no" for code in RESCREEN_CODES})
    c.post("/safety/review/", {**review, "rf_fever-unwell": "yes"})
    assert services.recorded_safety(w)["status"] == "paused"  # a "yes" in the re-screen
    c.post("/safety/review/", review)
    assert services.recorded_safety(w)["status"] == "paused"  # the fever flag is open now
    w2 = services.get_walker(w.name)
    assert SafetyEvent.objects.filter(walker=w2, kind="self-reported-review").count() == 0


def test_self_review_after_a_within_days_flag_resumes(ann: tuple[Client, Walker]) -> None:
    c, w = ann
    services.record_checkin(w, date=services.local_today(w.tz), red_flags=["trauma"])
    review = {
        "assessed_on": services.local_today(w.tz).isoformat(),
        "assessed_by": "Dr Lee, GP",
        "note": "no fracture; walk as planned",
    }
    review.update({f"rf_{code}": "no" for code in RESCREEN_CODES})
    html = c.get("/safety/").content.decode()
    assert "warning-sign questions again" in html
    c.post("/safety/review/", review)
    assert services.recorded_safety(w)["status"] == "active"
    ev = SafetyEvent.objects.get(walker=w, kind="self-reported-review")
    assert ev.assessed_by == "Dr Lee, GP" and not any(ev.answers.values())


def test_progress_shows_walks_charts_and_hunt(ann: tuple[Client, Walker]) -> None:
    c, w = ann
    today = services.local_today(w.tz)
    services.plan_for(w, today)
    for i in range(3):
        services.log_walk(
            w,
            local_date=today - dt.timedelta(days=i),
            minutes=20,
            steps=2100,
            pain_before=3,
            pain_after=2,
        )
    html = c.get("/progress/").content.decode()
    assert html.count('role="img"') >= 3
    assert "<title" in html and "<desc" in html
    assert "HUNT" in html and "not proof of cause" in html
    assert "Paluch" in html
    assert "Pain eased during 3 of your last 3 walks" in html
    assert not forbidden_claims_in(html)


def test_export_zip_has_csv_and_json(ann: tuple[Client, Walker]) -> None:
    c, w = ann
    services.log_walk(w, local_date=services.local_today(w.tz), minutes=15, pain_before=2)
    r = c.get("/data/export.zip")
    assert r["Content-Type"] == "application/zip"
    zf = zipfile.ZipFile(io.BytesIO(r.getvalue()))
    names = set(zf.namelist())
    assert {"walkrx.json", "walks.csv", "checkins.csv", "safety_events.csv"} <= names
    data = json.loads(zf.read("walkrx.json"))
    assert data["walks"][0]["minutes"] == 15
    assert "15" in zf.read("walks.csv").decode()


def test_delete_account_erases_everything(ann: tuple[Client, Walker]) -> None:
    c, w = ann
    services.log_walk(w, local_date=services.local_today(w.tz), minutes=15)
    services.record_checkin(w, date=services.local_today(w.tz), red_flags=["trauma"])
    services.record_self_review(
        w,
        assessed_on=services.local_today(w.tz),
        assessed_by="GP",
        note="GP said fine",
        rescreen=dict.fromkeys(RESCREEN_CODES, False),
    )
    services.plan_for(w, services.local_today(w.tz))
    assert c.post("/data/delete/", {"confirm": "delete"}).status_code == 302
    assert Walker.objects.filter(pk=w.pk).exists()
    r = c.post("/data/delete/", {"confirm": "DELETE"})
    assert r.status_code == 200 and "deleted" in r.content.decode()
    assert not Walker.objects.filter(pk=w.pk).exists()
    assert not User.objects.filter(username="ann").exists()
    for model in (Walk, CheckIn, SafetyEvent):
        assert not model.objects.filter(walker_id=w.pk).exists()
    from walkrx.web.walking.models import DailyActivity, PlanSnapshot

    assert not PlanSnapshot.objects.filter(walker_id=w.pk).exists()
    assert not DailyActivity.objects.filter(walker_id=w.pk).exists()


def test_every_walker_page_says_not_a_diagnosis(ann: tuple[Client, Walker]) -> None:
    c, _ = ann
    for url in ("/today/", "/check-in/", "/progress/", "/safety/", "/data/", "/learn/"):
        r = c.get(url)
        assert r.status_code == 200, url
        html = r.content.decode()
        assert "not a diagnosis" in html, url
        assert not forbidden_claims_in(html), url


def test_progress_cache_follows_new_data(ann: tuple[Client, Walker]) -> None:
    c, w = ann
    today = services.local_today(w.tz)
    services.log_walk(w, local_date=today, minutes=11, pain_before=3, pain_after=3)
    assert "Pain eased" not in c.get("/progress/").content.decode()
    services.log_walk(w, local_date=today, minutes=12, pain_before=4, pain_after=2)
    html = c.get("/progress/").content.decode()
    assert "Pain eased during 1 of your last 2 walks" in html
    walk = Walk.objects.filter(walker=w).order_by("-id").first()
    assert walk is not None
    c.post(f"/walks/{walk.pk}/delete/")
    assert "Pain eased" not in c.get("/progress/").content.decode()


def test_flare_mode_is_shown_and_explained(ann: tuple[Client, Walker]) -> None:
    c, w = ann
    services.record_checkin(
        w, date=services.local_today(w.tz), avg_pain=8, worst_pain=9, flare=True
    )
    html = c.get("/today/").content.decode()
    assert "highly flared up: no walks for now" in html  # pain 8-9: high flare, no walks
    assert "ice pack" in html and "heat" not in html.lower()
    assert "/learn/flare-ups/" in html


def test_moderate_flare_and_review_without_pause_are_shown(ann: tuple[Client, Walker]) -> None:
    c, w = ann
    services.record_checkin(
        w,
        date=services.local_today(w.tz),
        avg_pain=5,
        worst_pain=5,
        flare=True,
        red_flags=["no-improvement-month"],
    )
    html = c.get("/today/").content.decode()
    assert "Flare-up mode: short, gentle walks only" in html
    assert "keep walking within your pain rules" in html
    assert services.recorded_safety(w)["status"] != "paused"


def test_unscreened_walker_is_asked_the_questions(db: None) -> None:
    from django.contrib.auth.models import User

    user = User.objects.create_user("una", "una@example.org", "pw-una-123456")
    w = services.create_walker(
        name="una",
        age=60,
        goal="relieve-pain",
        tz="Europe/Oslo",
        start_date=services.local_today("Europe/Oslo"),
        user=user,
    )
    services.mark_onboarded(w)
    c = Client()
    c.force_login(user)
    html = c.get("/today/").content.decode()
    assert "Answer the warning-sign questions first" in html
    assert "Log a walk" not in html
    assert c.get("/start/").status_code == 200  # the screen, not a redirect
    r = c.post("/start/", screen())
    assert r["Location"] == "/today/"
    assert services.current_state(w).status == "active"


def test_escalated_walker_is_stopped_on_every_page(ann: tuple[Client, Walker]) -> None:
    from django.utils import timezone

    c, w = ann
    SafetyEvent.objects.create(walker=w, kind="escalation", at_utc=timezone.now(), by="walkrx")
    for url in ("/today/", "/progress/", "/check-in/", "/learn/"):
        html = c.get(url).content.decode()
        assert "Stop the walking program and see" in html, url
    today = services.local_today(w.tz).isoformat()
    r = c.post("/walks/log/", {"date": today, "minutes": "10", "terrain": "flat"})
    assert r["Location"] == "/safety/"
    assert not Walk.objects.filter(walker=w).exists()
    # the walker cannot dismiss it: there is no control to hide the stop
    html = c.get("/today/").content.decode()
    assert "dismiss" not in html.lower() and "close" not in html.lower()


def test_new_symptom_between_checkins(ann: tuple[Client, Walker]) -> None:
    c, w = ann
    assert "/safety/new-symptom/" in c.get("/today/").content.decode()
    assert c.get("/safety/new-symptom/").status_code == 200
    answers = {f"rf_{code}": "no" for code in SCREEN_FLAGS}
    assert c.post("/safety/new-symptom/", answers)["Location"] == "/today/"
    assert services.recorded_safety(w)["status"] == "active"
    answers["rf_new-leg-numbness-weakness"] = "yes"
    assert c.post("/safety/new-symptom/", answers)["Location"] == "/safety/"
    state = services.recorded_safety(w)
    assert state["status"] == "paused" and state["urgency"] == "same-day"


def test_baseline_comes_from_imported_data_when_there_is_some() -> None:
    from walkrx.web.walking.models import DailyActivity

    c = new_user()
    assert c.post("/start/", screen())["Location"] == "/start/about-you/"
    w = Walker.objects.get(user__username="newbie")
    assert not w.onboarded
    assert c.get("/today/")["Location"] == "/start/"
    assert c.get("/start/")["Location"] == "/start/about-you/"
    assert c.get("/data/").status_code == 200  # import before finishing onboarding
    today = services.local_today(w.tz)
    for i, (minutes, steps) in enumerate([(20, 3000), (30, 4000), (40, 5000)]):
        DailyActivity.objects.create(
            walker=w,
            date=today - dt.timedelta(days=i + 1),
            origin="imported",
            walk_min=minutes,
            steps=steps,
            valid_day=True,
        )
    html = c.get("/start/about-you/").content.decode()
    assert "From your imported data (3 days)" in html
    assert 'name="baseline_minutes" value="30"' in html
    assert c.post("/start/about-you/", profile(baseline_minutes="30"))["Location"] == "/today/"
    w.refresh_from_db()
    assert w.onboarded and w.baseline_minutes == 30


def test_demo_walker_sees_every_page() -> None:
    from walkrx.web.walking.demo import ensure_demo

    info = ensure_demo()
    c = Client()
    r = c.post("/accounts/login/", {"username": info["username"], "password": info["password"]})
    assert r.status_code == 302, "the demo walker signs in through the sign-in page"
    for url in ("/", "/today/", "/progress/", "/check-in/", "/safety/", "/data/", "/learn/"):
        r = c.get(url, follow=True)
        assert r.status_code == 200, url
        assert not forbidden_claims_in(r.content.decode()), url
    html = c.get("/progress/").content.decode()
    assert html.count('role="img"') >= 3
