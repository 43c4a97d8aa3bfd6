"""The FHIR bundle of stored walkers: valid R4, counts equal to the database, download on My data."""

from __future__ import annotations

import collections
import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from walkrx.interop.fhir_check import validate_bundle
from walkrx.interop.fhir_read import read_bundle
from walkrx.web.interop.services import fhir_bundle
from walkrx.web.walking import services
from walkrx.web.walking.demo import ensure_demo
from walkrx.web.walking.models import Walker

from .conftest import make_walker

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def _code(r: dict[str, Any]) -> str:
    return str(r["code"]["coding"][0]["code"])


def test_demo_walkers_bundle_matches_the_database() -> None:
    ensure_demo()
    walker = Walker.objects.get(name="demo")
    bundle = fhir_bundle(walker)
    assert validate_bundle(bundle) == len(bundle["entry"])
    kinds = collections.Counter(e["resource"]["resourceType"] for e in bundle["entry"])
    obs = collections.Counter(_code(r) for r in _resources(bundle, "Observation"))
    walks = list(walker.walks.all())
    assert walks, "the demo walker has walks"
    assert kinds["Patient"] == 1
    assert obs["55411-3"] == len(walks)
    pains = sum(p is not None for w in walks for p in (w.pain_before, w.pain_max, w.pain_after))
    weekly = walker.checkins.exclude(avg_pain=None).count()
    assert weekly > 0
    assert obs["72514-3"] == pains + weekly
    assert obs["walking-minutes-per-day"] == len({w.local_date for w in walks})
    assert obs["41950-7"] == walker.days.exclude(origin="manual").values("date").distinct().count()
    (plan,) = _resources(bundle, "CarePlan")
    week = services.plan_for(walker, services.local_today(walker.tz))
    assert len(plan.get("activity", [])) == len(week.sessions)
    assert plan["period"]["start"].startswith(week.week_start.isoformat())
    assert kinds["Flag"] == 0
    minutes = sum(
        r["valueQuantity"]["value"]
        for r in _resources(bundle, "Observation")
        if _code(r) == "walking-minutes-per-day"
    )
    assert minutes == pytest.approx(sum(w.minutes for w in walks), abs=0.05)
    # round trip: the walks and their pain read back from the bundle equal the stored ones
    back = read_bundle(bundle)
    stored = sorted(
        (w.start_utc, w.minutes, w.pain_before, w.pain_max, w.pain_after) for w in walks
    )
    read = sorted(
        (w.start_utc, w.minutes, w.pain_before, w.pain_max, w.pain_after) for w in back.walks
    )
    assert read == stored
    assert len(back.weekly_pain) == weekly


def test_paused_walker_gets_flags_and_no_planned_walks() -> None:
    _, walker = make_walker("pia")
    today = services.local_today(walker.tz)
    services.record_checkin(walker, date=today, red_flags=["saddle-numbness", "fever-unwell"])
    bundle = fhir_bundle(walker)
    validate_bundle(bundle)
    flags = _resources(bundle, "Flag")
    assert len(flags) == 2 and all(f["status"] == "active" for f in flags)
    assert all(f["category"][0]["coding"][0]["code"] == "safety" for f in flags)
    texts = sorted(f["code"]["text"] for f in flags)
    assert texts[0].startswith("Walking paused for safety: the walker answered yes to")
    assert any("saddle" in t for t in texts) and any("fever" in t for t in texts)
    (plan,) = _resources(bundle, "CarePlan")
    assert plan["status"] == "on-hold" and "activity" not in plan
    from walkrx.web.clinic.services import add_clinician, link_walker

    add_clinician("dr-gp", full_name="Dr G P")
    link_walker(walker, "dr-gp", by="admin")
    services.clear_by_clinician(walker, clinician_username="dr-gp", note="seen by my GP")
    assert _resources(fhir_bundle(walker), "Flag") == []


def test_download_on_my_data(db: None) -> None:
    user, walker = make_walker("dan", display_name="Dan D")
    services.log_walk(walker, local_date=services.local_today(walker.tz), minutes=12, pain_after=1)
    c = Client()
    assert c.get("/data/fhir.json").status_code == 302  # signed out: sign in first
    c.force_login(user)
    page = c.get("/data/").content.decode()
    assert 'href="/data/fhir.json"' in page
    r = c.get("/data/fhir.json")
    assert r.status_code == 200 and r["Content-Type"] == "application/fhir+json"
    assert "attachment" in r["Content-Disposition"]
    bundle = json.loads(r.content)
    validate_bundle(bundle)
    (patient,) = _resources(bundle, "Patient")
    assert patient["name"] == [{"text": "Dan D"}]
    assert patient["identifier"][0]["value"] == "dan"
    assert dt.date.fromisoformat(bundle["timestamp"][:10]) <= services.local_today(walker.tz)


def test_linked_clinician_downloads_the_bundle_others_get_404() -> None:
    from walkrx.web.clinic import services as clinic
    from walkrx.web.clinic.models import AuditEntry

    ann_user, walker = make_walker("ann")
    bob_user, _ = make_walker("bob")
    doc = clinic.add_clinician("dr-lee", full_name="Dr Lee", password="pw-dr-lee-123")
    other = clinic.add_clinician("dr-kim", full_name="Dr Kim", password="pw-dr-kim-123")
    clinic.link_walker(walker, "dr-lee", by="ann")
    c = Client()
    c.force_login(doc.user)
    assert 'href="/clinic/walkers/ann/fhir.json"' in c.get("/clinic/walkers/ann/").content.decode()
    r = c.get("/clinic/walkers/ann/fhir.json")
    assert r.status_code == 200 and r["Content-Type"] == "application/fhir+json"
    validate_bundle(json.loads(r.content))
    assert AuditEntry.objects.filter(walker=walker, actor="dr-lee", action="view").exists()
    for user in (other.user, bob_user, ann_user):  # the walker's own copy is /data/fhir.json
        c.force_login(user)
        assert c.get("/clinic/walkers/ann/fhir.json").status_code == 404
    assert Client().get("/clinic/walkers/ann/fhir.json").status_code == 302
