"""walkrx fhir, walkrx calendar and walkrx api-token."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from walkrx.interop.fhir_check import validate_bundle
from walkrx.web.walking import services

pytestmark = [pytest.mark.db]


def _walker(cli: Any, add_walker: Any) -> None:
    add_walker()
    today = services.local_today("Europe/Oslo").isoformat()
    assert cli("log", "ann", "--date", today, "--minutes", "12", "--pain-before", "2").code == 0


def test_fhir_writes_a_valid_bundle(cli: Any, add_walker: Any, tmp_path: Path) -> None:
    _walker(cli, add_walker)
    out = tmp_path / "bundle.json"
    r = cli("fhir", "ann", "--out", str(out))
    assert r.code == 0 and "valid FHIR R4" in r.err
    bundle = json.loads(out.read_text())
    assert validate_bundle(bundle) == len(bundle["entry"]) >= 4
    r = cli("fhir", "ann")
    assert json.loads(r.out)["type"] == "collection"
    assert cli("fhir", "nobody").code == 1
    r = cli("fhir", "ann", "--out", str(tmp_path / "missing" / "b.json"))
    assert r.code == 1 and "cannot write" in r.err and "missing" in r.err


def test_calendar_feed_and_links(cli: Any, add_walker: Any, tmp_path: Path) -> None:
    from django.test import Client

    _walker(cli, add_walker)
    out = tmp_path / "walks.ics"
    assert cli("calendar", "ann", "--out", str(out)).code == 0
    cal = Calendar.from_ical(out.read_bytes())
    assert cal.walk("VEVENT") and cal.walk("VTIMEZONE")
    assert cli("calendar", "ann").out.startswith("BEGIN:VCALENDAR")
    r = cli("calendar", "ann", "--new-link")
    path = r.out.strip()
    assert r.code == 0 and path.startswith("/cal/") and path.endswith(".ics")
    assert Client().get(path).status_code == 200
    assert cli("calendar", "ann", "--revoke-link").code == 0
    assert Client().get(path).status_code == 404


def test_api_token(cli: Any) -> None:
    from django.contrib.auth.models import User
    from django.test import Client

    User.objects.create_user("ann-user", password="pw-ann-user-123")
    r = cli("api-token", "ann-user", "--name", "script", "--json")
    token = r.json()["token"]
    got = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert got.status_code == 200 and got.json()["username"] == "ann-user"
    assert cli("api-token", "nobody").code == 1
