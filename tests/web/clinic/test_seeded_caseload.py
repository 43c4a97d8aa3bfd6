"""A seeded caseload of 200 walkers: the page and ``walkrx caseload --json`` agree."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import pytest

from walkrx.cli import _django, main
from walkrx.safety.alerts import ALERT_RANK

from .conftest import signed_in

pytestmark = [pytest.mark.db, pytest.mark.django_db]
SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "seed_caseload.py"


def _seeder() -> Any:
    spec = importlib.util.spec_from_file_location("seed_caseload", SCRIPT)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_page_and_cli_agree_on_order_and_alerts(capsys: pytest.CaptureFixture[str]) -> None:
    counts = _seeder().seed_caseload(200, 42, "physio", password="physio-pw-2026-long")
    assert counts["walkers"] == 200
    _django._done = True
    capsys.readouterr()
    assert main(["caseload", "physio", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 200
    from walkrx.web.clinic.models import Clinician

    client = signed_in(Clinician.objects.get(user__username="physio").user)
    page = client.get("/clinic/").content.decode()
    page_order = re.findall(r'<tr data-walker="([^"]+)"', page)
    assert page_order == [r["name"] for r in rows]
    # the same alerts, row by row, in the same order
    bodies = re.split(r'<tr data-walker="[^"]+"', page)[1:]
    for row, body in zip(rows, bodies, strict=True):
        labels = re.findall(r'<span class="badge [^"]*">([^<(]+)', body)
        assert [x.strip() for x in labels] == [a["label"] for a in row["alerts"]], row["name"]
    # every kind of alert occurs, and they are ordered by rank down the page
    codes = {a["code"] for r in rows for a in r["alerts"]}
    assert codes == set(ALERT_RANK)
    tops = [min((ALERT_RANK.index(a["code"]) for a in r["alerts"]), default=99) for r in rows]
    assert tops == sorted(tops)
    assert rows[0]["alerts"][0]["urgency"] == "emergency"
