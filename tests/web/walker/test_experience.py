"""Issue 13 through Django's test client: check-in steps and flags, history, settings, uploads,
citations, and a scan of every rendered page for internal file names and raw errors."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from walkrx.evidence.references import REFERENCES
from walkrx.evidence.sources import SOURCES
from walkrx.safety.applicable import checkin_red_flags, is_new_episode
from walkrx.web.walking import jobs, services
from walkrx.web.walking.models import CheckIn, SafetyEvent, Walk, Walker, WalkRevision
from walkrx.web.walking.services import history

from .conftest import make_walker

pytestmark = [pytest.mark.db, pytest.mark.django_db]

WEEKLY = {
    "avg_pain": "3",
    "worst_pain": "5",
    "rest_pain": "1",
    "night_pain": "no",
    "leg_symptoms": "no",
    "flare": "no",
    "recurrence": "no",
    "confidence": "7",
}
#: Internal file names and raw exception text that must never reach a page.
RAW = re.compile(r"seeds/|\.txt\b|Traceback|Exception\b|File \"|read crc|expected crc", re.I)


def _client(walker: Walker) -> Client:
    c = Client()
    c.force_login(walker.user)
    return c


# ------------------------------------------------------------------ check-in


def test_checkin_steps_none_records_no_flag(ann: tuple[Client, Walker]) -> None:
    c, w = ann
    r = c.post("/check-in/", {**WEEKLY, "step": "weekly"})
    assert r.status_code == 200 and "Any of these now?" in r.content.decode()
    # every applicable flag is listed (short words) behind the one question
    for flag in checkin_red_flags(age=w.age, new_episode=False):
        assert f"flag-{flag.code}" not in r.content.decode()  # not asked one by one yet
    r = c.post("/check-in/", {**WEEKLY, "step": "safety", "flags_any": "none"})
    ci = CheckIn.objects.get(walker=w)
    assert r["Location"] == f"/check-in/{ci.pk}/"
    assert ci.red_flags == [] and ci.confidence == 7


def test_checkin_yes_show_me_records_each_flag_on_its_own(ann: tuple[Client, Walker]) -> None:
    c, w = ann
    r = c.post("/check-in/", {**WEEKLY, "step": "safety", "flags_any": "show"})
    page = r.content.decode()
    applicable = checkin_red_flags(age=w.age, new_episode=False)
    for flag in applicable:
        assert f'value="{flag.code}"' in page
    # ticking none after "yes" asks again; nothing is recorded
    r = c.post("/check-in/", {**WEEKLY, "step": "flags"})
    assert r.status_code == 400 and not CheckIn.objects.filter(walker=w).exists()
    r = c.post(
        "/check-in/",
        {**WEEKLY, "step": "flags", "flags": ["fever-unwell", "bilateral-sciatica", "made-up"]},
    )
    assert r["Location"] == "/safety/"
    events = list(
        SafetyEvent.objects.filter(walker=w, kind="red-flag").values_list("code", flat=True)
    )
    assert sorted(events) == ["bilateral-sciatica", "fever-unwell"]


def test_checkin_missing_answer_stays_on_step_one(ann: tuple[Client, Walker]) -> None:
    c, w = ann
    data = dict(WEEKLY)
    del data["worst_pain"]
    r = c.post("/check-in/", {**data, "step": "weekly"})
    assert r.status_code == 400 and "Please choose a number from 0 to 10." in r.content.decode()


def test_only_the_flags_that_apply_are_asked() -> None:
    from walkrx.evidence.red_flags import CHECKIN_CODES

    # the engine's weekly list; the new-episode question only for a new episode
    assert {f.code for f in checkin_red_flags(age=60, new_episode=False)} == set(CHECKIN_CODES)
    new_episode = {f.code for f in checkin_red_flags(age=60, new_episode=True)}
    assert new_episode == set(CHECKIN_CODES) | {"no-improvement-month"}
    today = dt.date(2026, 3, 1)
    assert is_new_episode([today - dt.timedelta(days=30)], today)
    assert not is_new_episode([today - dt.timedelta(days=120)], today)
    assert not is_new_episode([], today)


def test_new_episode_question_appears_after_a_recurrence(ann: tuple[Client, Walker]) -> None:
    c, w = ann
    text = "not improved at all after a month"
    assert text not in c.post("/check-in/", {**WEEKLY, "step": "weekly"}).content.decode()
    services.record_checkin(
        w, date=services.local_today(w.tz) - dt.timedelta(days=35), avg_pain=4, recurrence=True
    )
    assert text in c.post("/check-in/", {**WEEKLY, "step": "weekly"}).content.decode()


# ------------------------------------------------------------------ citations


def test_every_source_has_a_reference_without_internal_names() -> None:
    assert set(REFERENCES) == set(SOURCES)
    for ref in REFERENCES.values():
        text = ref.full_text()
        assert "seeds/" not in text and ".txt" not in text, text
        assert ref.title and ref.container and ref.year
        if ref.doi:
            assert ref.link == f"https://doi.org/{ref.doi}"
    seeds = [r for r in REFERENCES.values() if SOURCES[r.key].is_seed]
    assert seeds and all(r.is_seed and "advice" in r.text() for r in seeds)


# ------------------------------------------------------------------ history


def test_edit_keeps_the_original_and_applies_the_same_rules(ann: tuple[Client, Walker]) -> None:
    c, w = ann
    day = services.local_today(w.tz)
    walk = services.log_walk(w, local_date=day, minutes=10, pain_before=2, pain_max=3).walk
    assert "<td>3</td>" in c.get("/progress/").content.decode()  # cached under a fingerprint
    form = {"date": day.isoformat(), "start_time": "09:00", "minutes": "20", "terrain": "flat"}
    r = c.post(f"/walks/{walk.pk}/edit/", {**form, "pain_max": "6"})
    assert r["Location"] == f"/walks/{walk.pk}/"
    walk.refresh_from_db()
    assert walk.minutes == 20 and walk.pain_max == 6
    rev = WalkRevision.objects.get(walk_id=walk.pk, kind="edit")
    assert rev.data["minutes"] == 10 and rev.data["pain_max"] == 3
    page = c.get(r["Location"]).content.decode()
    assert "above your limit" in page and "The original" in page
    assert "<td>6</td>" in c.get("/progress/").content.decode()  # the edit shows at once
    export = c.get("/data/export.zip")
    import io
    import json
    import zipfile

    tables = json.loads(zipfile.ZipFile(io.BytesIO(export.getvalue())).read("walkrx.json"))
    assert tables["walk_revisions"][0]["before"]["minutes"] == 10
    future = (day + dt.timedelta(days=3)).isoformat()
    r = c.post(f"/walks/{walk.pk}/edit/", {**form, "date": future})
    assert "in the future" in r.content.decode()
    walk.refresh_from_db()
    assert walk.local_date == day
    # another walker's walk cannot be edited
    _, other = make_walker("olga")
    theirs = services.log_walk(other, local_date=day, minutes=5).walk
    assert c.post(f"/walks/{theirs.pk}/edit/", form).status_code == 404


def test_delete_asks_first_and_undo_only_within_ten_seconds(ann: tuple[Client, Walker]) -> None:
    c, w = ann
    day = services.local_today(w.tz)
    walk = services.log_walk(w, local_date=day, minutes=12).walk
    assert c.get(f"/walks/{walk.pk}/delete/").status_code == 200  # the question
    assert Walk.objects.filter(pk=walk.pk).exists()
    r = c.post(f"/walks/{walk.pk}/delete/")
    assert not Walk.objects.filter(pk=walk.pk).exists()
    rev = WalkRevision.objects.get(walk_id=walk.pk, kind="delete")
    assert "Undo" in c.get(r["Location"]).content.decode()
    c.post(f"/walks/deleted/{rev.pk}/undo/")
    assert Walk.objects.get(pk=walk.pk).minutes == 12
    # too late: refused, the walk stays deleted
    rev2 = history.delete_walk(w, Walk.objects.get(pk=walk.pk))
    WalkRevision.objects.filter(pk=rev2.pk).update(at=timezone.now() - dt.timedelta(seconds=30))
    with pytest.raises(services.ServiceError):
        history.undo_delete(w, rev2.pk)
    assert not Walk.objects.filter(pk=walk.pk).exists()


def test_history_is_paginated_by_week(ann: tuple[Client, Walker]) -> None:
    c, w = ann
    Walker.objects.filter(pk=w.pk).update(start_date=dt.date(2025, 1, 1))
    day = services.local_today(w.tz)
    for i in range(25):
        services.log_walk(w, local_date=day - dt.timedelta(days=2 * i), minutes=10)
    first = c.get("/walks/").content.decode()
    second = c.get("/walks/?page=2").content.decode()
    assert "Week of" in first and "Older walks" in first and "Newer walks" in second
    assert first.count('href="/walks/') + second.count('href="/walks/') >= 25


# ------------------------------------------------------------------ settings


def test_settings_go_through_change_settings_and_explain_the_plan(
    ann: tuple[Client, Walker],
) -> None:
    c, w = ann
    c.get("/today/")
    r = c.post(
        "/settings/",
        {
            "form": "plan",
            "goal": "prevent-recurrence",
            "walking_weekdays": ["1", "3", "5"],
            "preferred_time": "18:15",
            "reminder_minutes": "60",
            "tz": "Europe/Oslo",
        },
    )
    assert r["Location"] == "/settings/"
    w.refresh_from_db()
    assert w.goal == "prevent-recurrence"
    assert w.preferences["walking_weekdays"] == [1, 3, 5]
    assert w.preferences["preferred_time"] == "18:15" and w.preferences["reminder_minutes"] == 60
    from walkrx.web.walking.models import SettingChange

    assert {e.field for e in SettingChange.objects.filter(walker=w)} >= {
        "goal",
        "walking_weekdays",
        "preferred_time",
        "reminder_minutes",
    }
    page = c.get("/settings/").content.decode()
    assert "Saved:" in page and ("stays the same" in page or "What changes in your plan" in page)
    assert 'href="/accounts/password_change/"' in page


# ------------------------------------------------------------------ uploads


def test_upload_is_recognised_without_choosing_a_kind(
    ann: tuple[Client, Walker], settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    c, _ = ann
    r = c.post("/data/upload/", {"file": SimpleUploadedFile("x.bin", b"hello there")})
    assert r.status_code == 400
    assert "could not tell what kind of file" in r.content.decode()
    r = c.post("/data/upload/", {"file": SimpleUploadedFile("x.bin", b"")})
    assert r.status_code == 400


# ------------------------------------------------------------------ the scan


def test_no_page_shows_internal_file_names_or_raw_errors(
    upload_worker: Path, ann: tuple[Client, Walker]
) -> None:
    c, w = ann
    day = services.local_today(w.tz)
    walk = services.log_walk(
        w, local_date=day, minutes=10, pain_before=2, pain_max=5, pain_after=5
    ).walk
    ci = services.record_checkin(w, date=day, avg_pain=3)["checkin_id"]
    r = c.post(
        "/data/upload/", {"file": SimpleUploadedFile("broken.gpx", b"<gpx><trk><trkseg><trkpt")}
    )
    job = r["Location"]
    for _ in range(1200):
        if c.get(job + "?format=json").json()["state"] not in ("queued", "running"):
            break
        import time

        time.sleep(0.1)
    pages = [
        "/",
        "/today/",
        "/check-in/",
        f"/check-in/{ci}/",
        "/progress/",
        "/walks/",
        f"/walks/{walk.pk}/",
        f"/walks/{walk.pk}/edit/",
        f"/walks/{walk.pk}/delete/",
        "/settings/",
        "/data/",
        job,
        "/safety/",
        "/safety/new-symptom/",
        "/learn/",
        "/offline/",
    ]
    from walkrx.web.learn.content import PAGES

    pages += [f"/learn/{p.slug}/" for p in PAGES]
    for url in pages:
        r = c.get(url, follow=True)
        assert r.status_code == 200, url
        text = re.sub(
            r"<details class=\"technical\">.*?</details>", "", r.content.decode(), flags=re.S
        )
        found = RAW.search(text)
        assert not found, f"{url}: {found.group(0)!r}"
    # the failed upload's technical text exists, but only inside its details box
    status = jobs.read_status(w, job.rstrip("/").split("/")[-1])
    assert status is not None and status["state"] == "failed", status
    assert "malformed" in c.get(job).content.decode()


def _upload_and_wait(c: Client, name: str, data: bytes) -> str:
    import time

    r = c.post("/data/upload/", {"file": SimpleUploadedFile(name, data)})
    assert r.status_code == 302, r.content.decode()[:500]
    for _ in range(1200):
        if c.get(r["Location"] + "?format=json").json()["state"] not in ("queued", "running"):
            break
        time.sleep(0.1)
    return str(r["Location"])


GPX = b"""<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
<trkpt lat="63.4300" lon="10.3950"><time>2026-01-05T08:00:00Z</time></trkpt>
<trkpt lat="63.4310" lon="10.3960"><time>2026-01-05T08:05:00Z</time></trkpt>
%s</trkseg></trk></gpx>"""


def test_upload_result_names_the_days_added_and_updated(
    upload_worker: Path, ann: tuple[Client, Walker]
) -> None:
    c, _ = ann
    first = c.get(_upload_and_wait(c, "walk.gpx", GPX % b"")).content.decode()
    assert "Imported 1 new day of walking from a GPX track" in first
    assert "Mon 5 January 2026" in first
    more = b'<trkpt lat="63.4330" lon="10.3990"><time>2026-01-05T08:25:00Z</time></trkpt>'
    second = c.get(_upload_and_wait(c, "walk-longer.gpx", GPX % more)).content.decode()
    assert "1 day updated" in second and "Mon 5 January 2026" in second, second[-3000:]
    again = c.get(_upload_and_wait(c, "walk-longer.gpx", GPX % more)).content.decode()
    assert "Nothing new" in again or "already" in again


def test_a_big_imports_result_page_lists_the_latest_days_and_counts_the_rest(
    ann: tuple[Client, Walker],
) -> None:
    """A 6-year export adds 2,200 days: the result page lists two months and counts the rest."""
    from walkrx.web.walking import upload_words
    from walkrx.web.walking.models import DailyActivity, UploadJob

    c, w = ann
    job = UploadJob.objects.create(
        id="c" * 32,
        walker=w,
        file_name="export.zip",
        kind="consumer",
        state="done",
        counts={"days_added": 300, "days_updated": 0, "days_unchanged": 0},
    )
    first = dt.date(2020, 1, 1)
    DailyActivity.objects.bulk_create(
        DailyActivity(
            walker=w,
            date=first + dt.timedelta(days=i),
            origin="imported",
            steps=1000 + i,
            source_file="export.zip",
        )
        for i in range(300)
    )
    page = c.get(f"/data/uploads/{job.pk}/").content.decode()
    shown = upload_words.DAYS_SHOWN
    assert page.count("<tr><td>") == shown  # old code: all 300
    last = first + dt.timedelta(days=299)
    assert last.strftime("%-d %B %Y") in page  # the latest days are the ones listed
    assert f"And {300 - shown} earlier days" in page
