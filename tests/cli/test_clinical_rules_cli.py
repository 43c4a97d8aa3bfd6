"""The clinical-review findings through the CLI: clearance, conditions, screening, recurrence."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from walkrx.evidence.red_flags import RESCREEN_CODES, SCREEN_CODES
from walkrx.timeutil import monday_of
from walkrx.web.walking.models import SafetyEvent

pytestmark = [pytest.mark.db]

TODAY = dt.datetime.now(ZoneInfo("Europe/Oslo")).date()
START = monday_of(TODAY) - dt.timedelta(weeks=3)


def add(cli: Any, name: str, *extra: str) -> Any:
    r = cli(
        "walker", "add", name, "--age", "55", "--goal", "relieve-pain", "--tz", "Europe/Oslo",
        "--start", START.isoformat(), *extra,
    )  # fmt: skip
    assert r.code == 0, r.err
    return r


def answers_file(tmp_path: Any, codes: tuple[str, ...], yes: tuple[str, ...] = ()) -> str:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({c: c in yes for c in codes}))
    return str(path)


# finding 2: a clearance names the linked clinician; a self-review is not a box and "me"


@pytest.mark.parametrize(
    ("by", "linked", "note", "ok"),
    [
        ("anyone at all", None, "assessed today, fine to walk", False),  # not a clinician
        ("kari", None, "assessed today, fine to walk", False),  # registered, not linked
        ("ola", "kari", "assessed today, fine to walk", False),  # another clinician
        ("kari", "kari", ".", False),  # no real note
        ("kari", "kari", "assessed today, fine to walk", True),
    ],
)
def test_finding_2_clear_needs_the_linked_clinician(
    cli: Any, by: str, linked: str | None, note: str, ok: bool
) -> None:
    add(cli, "ann", "--all-no")
    cli("clinician", "add", "kari", "--name", "Kari Nordmann")
    cli("clinician", "add", "ola", "--name", "Ola Nordmann")
    if linked:
        assert cli("link", "ann", linked).code == 0
    cli("checkin", "ann", "--date", TODAY.isoformat(), "--red-flag", "saddle-numbness")
    r = cli("clear", "ann", "--by", by, "--note", note, "--json")
    assert (r.code == 0) is ok, r.err
    status = cli("status", "ann", "--json").json()["status"]
    assert status == ("active" if ok else "paused")
    if ok:
        ev = SafetyEvent.objects.get(kind="clinician-clearance")
        assert ev.by == "kari" and "Kari Nordmann" in ev.note


@pytest.mark.parametrize(
    ("flag", "yes", "ok"),
    [
        ("cauda-equina-bladder", (), False),  # emergency flag today: not the same day
        ("fever-unwell", (), False),  # same-day flag today
        ("trauma", ("fever-unwell",), False),  # a "yes" in the re-screen
        ("trauma", (), True),  # within-days flag, clean re-screen
    ],
)
def test_finding_2_own_review_rules(
    cli: Any, tmp_path: Any, flag: str, yes: tuple[str, ...], ok: bool
) -> None:
    add(cli, "bea", "--all-no")
    cli("checkin", "bea", "--date", TODAY.isoformat(), "--red-flag", flag)
    path = answers_file(tmp_path, RESCREEN_CODES, yes)
    r = cli(
        "review", "bea", "--assessed-on", TODAY.isoformat(), "--by", "Dr Lee, GP",
        "--answers", path, "--json",
    )  # fmt: skip
    assert (r.code == 0) is ok, r.err
    assert cli("status", "bea", "--json").json()["status"] == ("active" if ok else "paused")
    if yes:  # the "yes" itself is kept as a red flag
        assert SafetyEvent.objects.filter(kind="red-flag", code=yes[0]).exists()


def test_finding_2_own_review_refused_with_a_clinician(cli: Any, tmp_path: Any) -> None:
    add(cli, "cat", "--all-no")
    cli("clinician", "add", "kari", "--name", "Kari Nordmann")
    cli("link", "cat", "kari")
    cli("checkin", "cat", "--date", TODAY.isoformat(), "--red-flag", "trauma")
    r = cli(
        "review", "cat", "--assessed-on", TODAY.isoformat(), "--by", "Dr Lee",
        "--answers", answers_file(tmp_path, RESCREEN_CODES),
    )  # fmt: skip
    assert r.code == 1 and "clinician" in r.err


# finding 7: the clearance date after microdiscectomy can be set, and walks then start


def test_finding_7_surgery_clearance_date_can_be_set(cli: Any) -> None:
    surgery = START - dt.timedelta(days=5)
    add(cli, "dan", "--all-no", "--condition", "microdiscectomy", "--surgery-date", str(surgery))
    plan = cli("plan", "dan", "--json").json()
    assert plan["sessions"] == []
    cleared = monday_of(TODAY)
    r = cli("walker", "set", "dan", "--by", "kari", "--surgery-cleared-on", cleared.isoformat())
    assert r.code == 0, r.err
    plan = cli("plan", "dan", "--json").json()
    assert plan["sessions"] and all(s["mode"] == "treadmill" for s in plan["sessions"])
    assert all(s["date"] >= cleared.isoformat() for s in plan["sessions"])


# finding 8: no plan before the red-flag screen; the three ways to answer it


def test_finding_8_unscreened_until_screened(cli: Any, monkeypatch: Any, tmp_path: Any) -> None:
    r = add(cli, "eve")
    assert "walkrx screen eve" in r.out
    plan = cli("plan", "eve", "--json").json()
    assert plan["status"] == "unscreened" and plan["sessions"] == []
    assert cli("log", "eve", "--date", TODAY.isoformat(), "--minutes", "10").code == 3
    # interactive: one answer per line
    monkeypatch.setattr("sys.stdin", io.StringIO("maybe\n" + "n\n" * len(SCREEN_CODES)))
    r = cli("screen", "eve")
    assert r.code == 0, r.err
    assert cli("plan", "eve", "--json").json()["sessions"]
    # from a file, with a "yes": pauses at once
    add(cli, "fay", "--answers", answers_file(tmp_path, SCREEN_CODES, ("bilateral-sciatica",)))
    assert cli("status", "fay", "--json").json()["urgency"] == "emergency"
    # incomplete answers are refused and nothing is recorded
    add(cli, "gus")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"fever-unwell": False}))
    r = cli("screen", "gus", "--answers", str(bad))
    assert r.code == 1 and "every question" in r.err
    assert cli("plan", "gus", "--json").json()["status"] == "unscreened"


# finding 9: a recurrence starts a record; status reports days free of recurrence


def test_finding_9_recurrence_in_status(cli: Any) -> None:
    add(cli, "hal", "--all-no")
    s = cli("status", "hal", "--json").json()
    assert s["days_free_of_recurrence"] == (TODAY - START).days
    day = START + dt.timedelta(days=10)
    assert cli("checkin", "hal", "--date", day.isoformat(), "--pain", "6", "--recurrence").code == 0
    s = cli("status", "hal", "--json").json()
    assert s["days_free_of_recurrence"] == 10
    assert s["recurrence"]["recurrences"] == [{"date": day.isoformat(), "days_since_start": 10}]


def test_walker_set_logs_who_and_when(cli: Any) -> None:
    add(cli, "ida", "--all-no")
    r = cli("walker", "set", "ida", "--by", "kari", "--pain-limit", "5", "--walking-days", "0,3")
    assert r.code == 0, r.err
    assert "pain_limit: None -> 5 (by kari)" in r.out
    plan = cli("plan", "ida", "--json").json()
    assert plan["pain_limit"] == 5
    assert {dt.date.fromisoformat(s["date"]).weekday() for s in plan["sessions"]} <= {0, 3}
    assert cli("walker", "set", "ida", "--by", "kari", "--pain-limit", "12").code == 2
