"""The scriptable CLI: walkers, logging, check-ins, red flags, clearance, plans."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from walkrx.timeutil import monday_of
from walkrx.web.walking.models import SafetyEvent, Walk

pytestmark = [pytest.mark.db]

TODAY = dt.datetime.now(ZoneInfo("Europe/Oslo")).date()
THIS_MONDAY = monday_of(TODAY)
MONDAY = THIS_MONDAY - dt.timedelta(weeks=6)  # program start: six weeks ago


@pytest.fixture
def add(add_walker):
    """Add a walker whose program started six weeks ago (``--all-no`` unless EXTRA is given)."""

    def go(name="ann", *extra):
        return add_walker(name, "--start", MONDAY.isoformat(), *(extra or ("--all-no",)))

    return go


def link_clinician(cli, walker: str, username: str = "dr-lee") -> None:
    """Register the clinician (once) and link them to the walker."""
    cli("clinician", "add", username, "--name", "Dr Lee")
    r = cli("link", walker, username)
    assert r.code == 0, r.err


def test_plan_json_has_the_documented_keys(cli, add):
    add()
    r = cli("plan", "ann", "--week-of", MONDAY.isoformat(), "--json")
    assert r.code == 0, r.err
    plan = r.json()
    assert plan["week_start"] == MONDAY.isoformat()
    for key in (
        "week_start",
        "sessions",
        "total_minutes",
        "daily_volume_target_min",
        "status",
        "reasons",
    ):
        assert key in plan
    assert plan["status"] == "active"
    assert plan["sessions"], "a new walker gets walks in week 1"
    for s in plan["sessions"]:
        assert {"date", "minutes", "bouts", "mode", "aids"} <= set(s)
        assert 5 <= s["minutes"] <= 10
    assert all(r["text"] and r["source"] for r in plan["reasons"])
    assert plan["total_minutes"] == sum(s["minutes"] for s in plan["sessions"])


def test_unknown_walker_is_an_error_not_a_crash(cli):
    r = cli("plan", "nobody", "--json")
    assert r.code == 1
    assert "nobody" in r.err


def test_usage_errors_exit_2(cli):
    assert cli("walker", "add", "bob", "--age", "50").code == 2
    r = cli("log", "ann", "--date", "2026-13-40", "--minutes", "5")
    assert r.code == 2 and "YYYY-MM-DD" in r.err
    r = cli("walker", "add", "bob", "--age", "50", "--goal", "relieve-pain", "--tz", "CET")
    assert r.code == 2 and "IANA" in r.err
    assert (
        cli("log", "ann", "--date", "2026-11-02", "--minutes", "5", "--pain-after", "11").code == 2
    )


def test_redflags_json_lists_code_question_urgency(cli):
    r = cli("redflags", "--json")
    assert r.code == 0
    flags = r.json()
    assert len(flags) >= 10
    assert {f["urgency"] for f in flags} == {
        "emergency",
        "same-day",
        "within-days",
        "review",
        "review-keep-walking",
    }
    for f in flags:
        assert set(f) >= {"code", "question", "urgency"}
        assert f["question"].strip()


def _codes(cli):
    """Every red flag that pauses (a new episode not improving is a review without a pause)."""
    flags = cli("redflags", "--json").json()
    return [(f["code"], f["urgency"]) for f in flags if f["urgency"] != "review-keep-walking"]


def test_every_red_flag_pauses_refuses_logging_and_clearance_resumes(cli, add):
    for i, (code, urgency) in enumerate(_codes(cli)):
        name = f"w{i}"
        add(name)
        day = TODAY
        assert cli("log", name, "--date", day.isoformat(), "--minutes", "10").code == 0
        r = cli("checkin", name, "--date", day.isoformat(), "--red-flag", code, "--json")
        assert r.code == 0, r.err
        assert r.json()["status"] == "paused"
        assert r.json()["urgency"] == urgency, code
        status = cli("status", name, "--json").json()
        assert status["status"] == "paused" and status["urgency"] == urgency
        for week_of in (day, day + dt.timedelta(weeks=1)):
            plan = cli("plan", name, "--week-of", week_of.isoformat(), "--json").json()
            assert plan["status"] == "paused" and plan["sessions"] == [], (code, week_of)
        r = cli("log", name, "--date", day.isoformat(), "--minutes", "10")
        assert r.code == 3, (code, r.err)
        assert "paused" in r.err
        assert Walk.objects.filter(walker__name=name).count() == 1
        link_clinician(cli, name)
        r = cli("clear", name, "--by", "dr-lee", "--note", "assessed, no serious cause", "--json")
        assert r.code == 0, r.err
        assert r.json()["status"] == "active"
        assert cli("log", name, "--date", day.isoformat(), "--minutes", "10").code == 0
    # The log keeps every red flag and clearance.
    kinds = list(SafetyEvent.objects.exclude(kind="screening").values_list("kind", flat=True))
    assert kinds.count("red-flag") == len(_codes(cli))
    assert kinds.count("clinician-clearance") == len(_codes(cli))


def test_unknown_red_flag_code_is_refused_clearly(cli, add):
    add()
    r = cli("checkin", "ann", "--date", "2026-11-03", "--red-flag", "not-a-flag")
    assert r.code == 1
    assert "not-a-flag" in r.err and "walkrx redflags" in r.err
    assert SafetyEvent.objects.exclude(kind="screening").count() == 0


def test_resume_after_clearance_starts_from_a_safe_level(cli, add):
    add()
    # Six good weeks, then a red flag, then clearance.
    for week in range(6):
        ws = MONDAY + dt.timedelta(weeks=week)
        plan = cli("plan", "ann", "--week-of", ws.isoformat(), "--json").json()
        for s in plan["sessions"]:
            assert (
                cli(
                    "log",
                    "ann",
                    "--date",
                    s["date"],
                    "--minutes",
                    str(s["minutes"]),
                    "--pain-before",
                    "2",
                    "--pain-after",
                    "2",
                ).code
                == 0
            )
    # Six weeks were planned and done (the sixth is this week); plan for next week.
    before = cli("plan", "ann", "--week-of", THIS_MONDAY.isoformat(), "--json").json()
    assert before["status"] == "active"
    cli("checkin", "ann", "--date", TODAY.isoformat(), "--red-flag", "fever-unwell")
    assert cli("plan", "ann", "--json").json()["status"] == "paused"
    link_clinician(cli, "ann")
    assert cli("clear", "ann", "--by", "dr-lee", "--note", "infection ruled out").code == 0
    nxt = (THIS_MONDAY + dt.timedelta(weeks=1)).isoformat()
    after = cli("plan", "ann", "--week-of", nxt, "--json").json()
    assert after["status"] == "active"
    assert after["sessions"]
    assert max(s["minutes"] for s in after["sessions"]) < max(
        s["minutes"] for s in before["sessions"]
    )


def test_walk_at_2330_oslo_counts_on_its_local_date_also_on_dst_days(cli, add):
    add()
    for day in ("2026-03-29", "2026-10-25", "2026-11-03"):
        r = cli("log", "ann", "--date", day, "--start-time", "23:30", "--minutes", "20", "--json")
        assert r.code == 0, r.err
        assert r.json()["date"] == day
    w = Walk.objects.get(local_date=dt.date(2026, 10, 25))
    # 23:30 CET (UTC+1) on the day clocks went back = 22:30 UTC the same day.
    assert w.start_utc == dt.datetime(2026, 10, 25, 22, 30, tzinfo=dt.UTC)
    w = Walk.objects.get(local_date=dt.date(2026, 3, 29))
    assert w.start_utc == dt.datetime(2026, 3, 29, 21, 30, tzinfo=dt.UTC)


def test_pain_rise_feedback_and_stop_rule(cli, add):
    add()
    r = cli(
        "log",
        "ann",
        "--date",
        "2026-11-03",
        "--minutes",
        "10",
        "--pain-before",
        "2",
        "--pain-max",
        "5",
        "--pain-after",
        "5",
        "--json",
    )
    assert r.code == 0
    out = r.json()
    assert out["stop"] is True
    text = " ".join(out["feedback"]).lower()
    assert "3" in text  # names the limit
    assert "scale" in text or "shorter" in text


def test_future_walks_and_weeks_before_the_start_are_refused_clearly(cli, add):
    add()
    tomorrow = (TODAY + dt.timedelta(days=2)).isoformat()
    r = cli("log", "ann", "--date", tomorrow, "--minutes", "10")
    assert r.code == 1 and "future" in r.err
    r = cli("plan", "ann", "--week-of", (MONDAY - dt.timedelta(weeks=3)).isoformat())
    assert r.code == 1 and "before" in r.err and "start" in r.err
    assert Walk.objects.count() == 0


def test_safety_events_are_append_only(cli, add):
    add()
    cli("checkin", "ann", "--date", "2026-11-03", "--red-flag", "fever-unwell")
    ev = SafetyEvent.objects.get(kind="red-flag")
    original = ev.note
    ev.note = "changed"
    with pytest.raises(PermissionError):
        ev.save()
    with pytest.raises(PermissionError):
        ev.delete()
    with pytest.raises(PermissionError):
        SafetyEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        SafetyEvent.objects.update(note="x")
    assert SafetyEvent.objects.get(kind="red-flag").note == original
