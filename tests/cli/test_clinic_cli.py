"""walkrx clinician add/list, link, unlink."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.db]


def _walker(cli: Any, name: str = "ann") -> None:
    r = cli(
        "walker",
        "add",
        name,
        "--age",
        "50",
        "--goal",
        "relieve-pain",
        "--tz",
        "Europe/Oslo",
        "--all-no",
    )
    assert r.code == 0, r.err


def test_clinician_add_list_link_unlink(cli: Any) -> None:
    _walker(cli)
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


def test_clinic_cli_errors_are_clear(cli: Any) -> None:
    _walker(cli)
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
