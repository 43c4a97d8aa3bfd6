"""walkrx clinician add/list, link, unlink."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.db]


def test_clinician_add_list_link_unlink(cli: Any, add_walker: Any) -> None:
    add_walker()
    r = cli("clinician", "add", "kari", "--name", "Kari Nordmann", "--email", "kari@example.org")
    assert r.code == 0, r.err
    assert "added clinician kari" in r.out
    r = cli("clinician", "list", "--json")
    rows = r.json()
    assert [(x["username"], x["full_name"], x["email"]) for x in rows] == [
        ("kari", "Kari Nordmann", "kari@example.org")
    ]
    assert rows[0]["walkers"] == 0
    r = cli("link", "ann", "kari", "--json")
    assert r.code == 0, r.err
    assert r.json()["clinician"] == "kari" and r.json()["ended_at"] is None
    assert cli("clinician", "list", "--json").json()[0]["walkers"] == 1
    r = cli("unlink", "ann", "--json")
    assert r.code == 0 and r.json()["ended_at"] is not None
    assert cli("clinician", "list", "--json").json()[0]["walkers"] == 0


def test_clinic_cli_errors_are_clear(cli: Any, add_walker: Any) -> None:
    add_walker()
    r = cli("link", "ann", "nobody")
    assert r.code == 1 and "no clinician called 'nobody'" in r.err
    r = cli("link", "zed", "nobody")
    assert r.code == 1 and "no walker called 'zed'" in r.err
    r = cli("unlink", "ann")
    assert r.code == 1 and "no clinician to unlink" in r.err
    assert cli("clinician", "add", "kari", "--name", "Kari").code == 0
    r = cli("clinician", "add", "kari", "--name", "Kari")
    assert r.code == 1 and "already a clinician" in r.err
    assert cli("clinician", "add", "x").code == 2  # --name is required


def test_caseload_and_report(cli: Any, add_walker: Any, tmp_path: Any) -> None:
    from pypdf import PdfReader

    add_walker("ann")
    add_walker("bob")
    assert cli("clinician", "add", "kari", "--name", "Kari Nordmann").code == 0
    assert cli("link", "ann", "kari").code == 0
    assert cli("link", "bob", "kari").code == 0
    r = cli("checkin", "bob", "--date", "2026-01-01", "--red-flag", "saddle-numbness")
    assert r.code == 0, r.err
    r = cli("caseload", "kari", "--json")
    assert r.code == 0, r.err
    rows = r.json()
    assert [x["name"] for x in rows] == ["bob", "ann"]
    assert rows[0]["alerts"][0]["code"] == "red-flag"
    assert rows[0]["alerts"][0]["urgency"] == "emergency"
    text = cli("caseload", "kari")
    assert text.out.splitlines()[0].startswith("bob\tpaused")
    assert cli("caseload", "nobody").code == 1
    out = tmp_path / "ann.pdf"
    r = cli(
        "log",
        "ann",
        "--date",
        "2026-01-02",
        "--minutes",
        "20",
        "--pain-before",
        "3",
        "--pain-after",
        "2",
    )
    assert r.code == 0, r.err
    r = cli("report", "ann", "--from", "2025-12-01", "--to", "2026-01-31", "--out", str(out))
    assert r.code == 0, r.err
    text = " ".join(p.extract_text() for p in PdfReader(str(out)).pages)
    assert "Mean pain before walks: 3" in text and "Mean pain after walks: 2" in text
    r = cli("report", "ann", "--from", "2026-02-01", "--to", "2026-01-01", "--out", str(out))
    assert r.code == 1 and "end on or after" in r.err
    r = cli("report", "ann", "--from", "2026-13-01", "--to", "2026-01-01", "--out", str(out))
    assert r.code == 2
