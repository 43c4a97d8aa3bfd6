"""The clinic story through the web pages (Django test client, real database)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from walkrx import safety
from walkrx.safety.alerts import ALERT_RANK
from walkrx.web.clinic import services as clinic
from walkrx.web.clinic.models import AuditEntry, ClinicSession
from walkrx.web.walking import services

from .conftest import make_walker, signed_in

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def _paused(walker: Any) -> None:
    services.record_checkin(
        walker, date=services.local_today(walker.tz), red_flags=["cauda-equina-bladder"]
    )


def test_caseload_puts_the_paused_walker_first_with_an_emergency_alert(kari: Any) -> None:
    names = ["ann", "bob", "cat"]
    walkers = {}
    for n in names:
        _, walkers[n] = make_walker(n)
        clinic.link_walker(walkers[n], "kari", by="cli")
        services.record_checkin(walkers[n], date=services.local_today("Europe/Oslo"), avg_pain=2)
    _paused(walkers["cat"])
    c = signed_in(kari.user)
    page = c.get("/clinic/").content.decode()
    assert page.index('data-walker="cat"') < page.index('data-walker="ann"')
    assert "Paused by a red flag (emergency)" in page
    rows = clinic.caseload(kari)
    assert [r.name for r in rows][0] == "cat"
    # filters
    page = c.get("/clinic/?alert=red-flag").content.decode()
    assert 'data-walker="cat"' in page and 'data-walker="ann"' not in page
    page = c.get("/clinic/?q=bob").content.decode()
    assert 'data-walker="bob"' in page and 'data-walker="cat"' not in page


def test_clinician_clears_a_pause_and_self_review_is_refused(kari: Any) -> None:
    user, ann = make_walker("ann")
    clinic.link_walker(ann, "kari", by="cli")
    _paused(ann)
    walker_client = signed_in(user)
    walker_client.post("/safety/review/", {"reviewed": "yes", "note": "saw my GP"})
    assert services.current_state(ann).status == "paused"
    with pytest.raises(services.ServiceError, match="only the clinician"):
        services.record_self_review(
            ann,
            assessed_on=services.local_today(ann.tz),
            assessed_by="my GP",
            note="all fine",
            rescreen=dict.fromkeys(safety.RESCREEN_CODES, False),
        )
    assert services.current_state(ann).status == "paused"
    # the banner tells the walker their clinician was alerted
    assert "Kari Nordmann, has been alerted" in walker_client.get("/progress/").content.decode()
    c = signed_in(kari.user)
    page = c.get("/clinic/walkers/ann/").content.decode()
    assert "Clear the pause" in page
    r = c.post("/clinic/walkers/ann/clear/", {"note": ""})
    assert r.status_code == 200 and services.current_state(ann).status == "paused"
    r = c.post("/clinic/walkers/ann/clear/", {"note": "Assessed today: no cauda equina signs"})
    assert r.status_code == 302
    assert services.current_state(ann).status == "active"
    event = ann.safety_events.order_by("-at_utc").first()
    assert (event.kind, event.by) == ("clinician-clearance", "kari")
    actions = list(AuditEntry.objects.filter(walker=ann).values_list("action", flat=True))
    assert actions == ["link", "view", "clear"]


def test_settings_and_session_reach_the_walker(kari: Any) -> None:
    user, ann = make_walker("ann")
    clinic.link_walker(ann, "kari", by="cli")
    c = signed_in(kari.user)
    assert c.get("/clinic/walkers/ann/settings/").status_code == 200
    r = c.post(
        "/clinic/walkers/ann/settings/",
        {"pain_limit": "4", "walking_weekdays": ["0", "2", "4"], "target_days": "3"},
    )
    assert r.status_code == 302, r.content.decode()
    ann.refresh_from_db()
    assert ann.pain_limit == 4 and ann.preferences["walking_weekdays"] == [0, 2, 4]
    assert ann.setting_changes.filter(by="kari", field="pain_limit").exists()
    today = services.local_today(ann.tz)
    r = c.post(
        "/clinic/walkers/ann/session/",
        {
            "date": today.isoformat(),
            "kind": "first-assessment",
            "goals": "walk to work",
            "agreed": "Three walks a week, stop at pain 4",
            "next_date": (today + dt.timedelta(days=30)).isoformat(),
        },
    )
    assert r.status_code == 302
    assert ClinicSession.objects.get(walker=ann).agreed.startswith("Three walks")
    mine = signed_in(user).get("/my-clinician/").content.decode()
    assert "Three walks a week, stop at pain 4" in mine
    assert (
        "Kari Nordmann" in mine
        and "changed your settings" in mine
        and "pain_limit: default → 4" in mine
    )
    row = clinic.row_for(ann)
    assert row["sessions_held"] == 1 and row["next_session"]["agreed"]


def test_session_next_date_must_follow(kari: Any) -> None:
    _, ann = make_walker("ann")
    clinic.link_walker(ann, "kari", by="cli")
    today = services.local_today(ann.tz)
    r = signed_in(kari.user).post(
        "/clinic/walkers/ann/session/",
        {"date": today.isoformat(), "kind": "phone", "next_date": today.isoformat()},
    )
    assert r.status_code == 200 and "must be after" in r.content.decode()


def test_acknowledge_an_alert_with_a_note(kari: Any) -> None:
    _, ann = make_walker("ann")  # started 14 days ago, no check-in: no-checkin alert
    clinic.link_walker(ann, "kari", by="cli")
    row = clinic.row_for(ann)
    (alert,) = [a for a in row["alerts"] if a["code"] == "no-checkin"]
    c = signed_in(kari.user)
    r = c.post("/clinic/walkers/ann/acknowledge/", {"key": alert["key"], "note": "phoned her"})
    assert r.status_code == 302
    (r0,) = clinic.caseload(kari)
    assert r0.acks[alert["key"]]["note"] == "phoned her"
    # acknowledged: no-checkin (rank 4) no longer lifts the row; what is left open does
    open_codes = [a.code for a in r0.alerts if a.key() not in r0.acks]
    assert "no-checkin" not in open_codes
    expected = min((ALERT_RANK.index(c) for c in open_codes), default=len(ALERT_RANK))
    assert r0.key[0] == expected and expected > ALERT_RANK.index("no-checkin")


def test_red_flag_cannot_be_acknowledged(kari: Any) -> None:
    _, ann = make_walker("ann")
    clinic.link_walker(ann, "kari", by="cli")
    _paused(ann)
    (flag,) = [a for a in clinic.row_for(ann)["alerts"] if a["code"] == "red-flag"]
    with pytest.raises(clinic.ServiceError, match="only with a clearance"):
        clinic.acknowledge(ann, kari, flag["key"], "seen")


def test_invite_join_with_consent_and_end_the_link(kari: Any) -> None:
    user, ann = make_walker("ann")
    c = signed_in(kari.user)
    r = c.post("/clinic/invite/", {"note": "Ann"}, follow=True)
    code = r.context["invites"][0].code
    w = signed_in(user)
    page = w.get(f"/my-clinician/join/?code={code}").content.decode()
    assert "Invitation from Kari Nordmann" in page and "lose access at once" in page
    r = w.post("/my-clinician/join/", {"code": code})  # consent not ticked
    assert r.status_code == 200 and clinic.linked_clinician(ann) is None
    r = w.post("/my-clinician/join/", {"code": code, "consent": "on"})
    assert r.status_code == 302 and clinic.linked_clinician(ann) == kari
    assert c.get("/clinic/walkers/ann/").status_code == 200
    r = w.post("/my-clinician/end/")
    assert r.status_code == 302 and clinic.linked_clinician(ann) is None
    assert c.get("/clinic/walkers/ann/").status_code == 404  # access ends at once


def test_admin_creates_a_clinician_and_reads_the_audit_log(db: None) -> None:
    from django.contrib.auth.models import User

    admin = clinic.add_clinician("boss", full_name="Clinic Boss", is_clinic_admin=True)
    c = signed_in(admin.user)
    r = c.post(
        "/clinic/admin/clinicians/",
        {
            "username": "kari",
            "full_name": "Kari Nordmann",
            "profession": "Physiotherapist",
            "password": "kari-first-pw-2026",
        },
    )
    assert r.status_code == 302
    assert User.objects.get(username="kari").check_password("kari-first-pw-2026")
    _, ann = make_walker("ann")
    clinic.link_walker(ann, "kari", by="cli")
    page = c.get("/clinic/admin/audit/").content.decode()
    assert "Linked to clinician" in page and "ann" in page


def test_walker_report_page_gives_a_pdf(kari: Any) -> None:
    user, ann = make_walker("ann")
    w = signed_in(user)
    assert w.get("/my-clinician/report/").status_code == 200
    today = services.local_today(ann.tz)
    r = w.get(f"/my-clinician/report/?start={ann.start_date}&end={today}")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")


def test_the_cached_caseload_follows_every_change(kari: Any) -> None:
    from django.utils import timezone

    from walkrx.web.clinic.models import CaseloadRow

    _, ann = make_walker("ann")
    _, bob = make_walker("bob")
    for w in (ann, bob):
        clinic.link_walker(w, "kari", by="cli")
        services.record_checkin(w, date=services.local_today(w.tz), avg_pain=2)
    c = signed_in(kari.user)

    def order() -> list[str]:
        import re

        return re.findall(r'<tr data-walker="([^"]+)"', c.get("/clinic/").content.decode())

    assert order() == order() == ["ann", "bob"]  # second load from the page cache
    _paused(bob)  # a new safety event drops bob's row
    assert order() == ["bob", "ann"]
    clinic.unlink_walker(ann, by="walker")
    assert order() == ["bob"]
    # an expired row is recomputed, not served
    CaseloadRow.objects.filter(walker=bob).update(valid_until=timezone.now(), data={"stale": True})
    assert order() == ["bob"]
    assert "stale" not in CaseloadRow.objects.get(walker=bob).data


def test_clearances_and_settings_are_audited_from_any_caller(kari: Any) -> None:
    _, ann = make_walker("ann")
    clinic.link_walker(ann, "kari", by="cli")
    _paused(ann)
    services.clear_by_clinician(ann, clinician_username="kari", note="seen at the clinic")
    services.change_settings(ann, by="walker", walking_weekdays=[1, 3])  # the walker's own
    services.change_settings(ann, by="cli", pain_limit=5)
    entries = list(AuditEntry.objects.filter(walker=ann).order_by("at", "id"))
    assert [(e.action, e.actor, e.actor_name) for e in entries] == [
        ("link", "cli", ""),
        ("clear", "kari", "Kari Nordmann"),
        ("settings", "cli", ""),
    ]
    assert entries[1].detail.startswith("seen at the clinic")
    assert entries[2].detail == "pain_limit: default → 5"


def test_an_escalation_found_by_the_engine_is_an_alert_before_it_is_recorded(kari: Any) -> None:
    from walkrx import program
    from walkrx.timeutil import monday_of
    from walkrx.web.walking.models import CheckIn

    today = services.local_today("Europe/Oslo")
    _, ann = make_walker("ann", start_date=today - dt.timedelta(days=56), baseline_minutes=20)
    clinic.link_walker(ann, "kari", by="cli")
    for d in range(56, 0, -1):  # walking every day for eight weeks
        services.log_walk(
            ann, local_date=today - dt.timedelta(days=d), minutes=25, pain_before=3, pain_after=3
        )
    # a check-in stored without the service (so no escalation event is recorded)
    CheckIn.objects.create(
        walker=ann, date=today, avg_pain=6, rest_pain=6, night_pain=True, leg_symptoms=True
    )
    assert not ann.safety_events.filter(kind="escalation").exists()
    records = program.replay_weeks(
        services.build_profile(ann), services.build_history(ann), monday_of(today)
    )
    assert any(r.escalation is not None for r in records)  # the engine escalates
    codes = [a["code"] for a in clinic.row_for(ann)["alerts"]]
    assert "escalation" in codes
