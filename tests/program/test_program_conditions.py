"""Condition rules: stenosis, disc herniation, spondylolisthesis, microdiscectomy."""

from datetime import UTC, date, datetime, timedelta

from walkrx.evidence.red_flags import SCREEN_CODES
from walkrx.program import ClinicianLimits, History, Preferences, Profile, plan_week
from walkrx.program.simulate import simulate
from walkrx.safety import SafetyEvent

_SCREEN_AT = datetime(2000, 1, 1, tzinfo=UTC)


def SH(walks=(), checkins=(), daily=(), safety_events=()) -> History:  # type: ignore[no-untyped-def]
    """A history whose walker answered the red-flag screen (all "no") before anything else."""
    events = tuple(safety_events)
    if not any(e.kind == "screening" for e in events):
        answers = tuple((code, False) for code in SCREEN_CODES)
        events = (SafetyEvent("screening", _SCREEN_AT, answers=answers),) + events
    return History(tuple(walks), tuple(checkins), tuple(daily), events)


START = date(2026, 1, 5)  # a Monday


def week(n: int) -> date:
    """Monday of program week n for a program starting on START."""
    return START + timedelta(weeks=n - 1)


def profile(*conditions: str, **kw: object) -> Profile:
    return Profile(
        age=60, goal="relieve-pain", program_start=START, conditions=frozenset(conditions), **kw
    )  # type: ignore[arg-type]


def test_spinal_stenosis_no_bout_over_10_minutes() -> None:
    plans, _ = simulate(profile("spinal-stenosis"), 8)
    assert plans[-1].total_minutes >= 100
    for plan in plans:
        for s in plan.sessions:
            assert max(s.bout_minutes) <= 10
            assert sum(s.bout_minutes) == s.minutes and s.bouts == len(s.bout_minutes)
            assert "forward-leaning-support" in s.aids
    assert any(s.bouts > 1 for s in plans[-1].sessions)


def test_clinician_bout_cap_replaces_the_stenosis_default() -> None:
    p = profile("spinal-stenosis", limits=ClinicianLimits(bout_cap_min=15))
    plans, _ = simulate(p, 5)
    assert max(b for s in plans[-1].sessions for b in s.bout_minutes) == 15


def test_disc_herniation_walks_in_a_pool() -> None:
    plan = plan_week(profile("disc-herniation"), SH(), week(1))
    assert plan.sessions and all(s.mode == "pool" for s in plan.sessions)
    assert any(r.source == "disc-herniation-water" for r in plan.reasons)


def test_spondylolisthesis_poles_and_flat() -> None:
    plans, _ = simulate(profile("spondylolisthesis"), 3)
    for plan in plans:
        assert all("poles" in s.aids and s.terrain == "flat" for s in plan.sessions)
    assert any("avoid hills and stairs" in r.text for r in plans[0].reasons)


def test_microdiscectomy_10_days_ago_no_sessions_before_day_14_and_needs_clearance() -> None:
    start = date(2026, 1, 5)
    surgery = start - timedelta(days=10)
    uncleared = profile("microdiscectomy", surgery_date=surgery)
    plan = plan_week(uncleared, SH(), start)
    assert plan.sessions == ()
    assert any("clearance" in r.text for r in plan.reasons)
    cleared = profile(
        "microdiscectomy",
        surgery_date=surgery,
        limits=ClinicianLimits(microdiscectomy_cleared_on=start),
    )
    plan = plan_week(cleared, SH(), start)
    assert plan.sessions
    assert all(s.date >= surgery + timedelta(days=14) for s in plan.sessions)
    assert all(s.mode == "treadmill" for s in plan.sessions)
    assert any(r.source == "microdiscectomy-start" for r in plan.reasons)


def test_microdiscectomy_clearance_date_is_respected() -> None:
    p = profile(
        "microdiscectomy",
        surgery_date=date(2025, 11, 1),
        limits=ClinicianLimits(microdiscectomy_cleared_on=date(2026, 1, 8)),
    )
    plan = plan_week(p, SH(), START)
    assert plan.sessions and all(s.date >= date(2026, 1, 8) for s in plan.sessions)


def test_preferences_and_clinician_targets() -> None:
    p = profile(
        preferences=Preferences(walking_weekdays=(1, 3, 5), split_sessions=True, setting="indoor"),
        limits=ClinicianLimits(target_minutes=20, pain_limit=5),
    )
    plans, _ = simulate(p, 6)
    for plan in plans:
        assert all(s.date.weekday() in (1, 3, 5) for s in plan.sessions)
        assert all(s.mode == "treadmill" and s.minutes <= 20 for s in plan.sessions)
        assert plan.pain_limit == 5
    assert all(s.bouts == 2 for s in plans[-1].sessions)
    assert any(r.source.startswith("clinician") for r in plans[-1].reasons)


def test_lower_risk_daily_volume_target_towards_100() -> None:
    from walkrx.program import DailyMeasure

    p = Profile(age=70, goal="lower-risk", program_start=START)
    daily = tuple(
        DailyMeasure(START - timedelta(days=i), walk_min=60, steps=4000) for i in range(1, 8)
    )
    plan = plan_week(p, SH(daily=daily), week(1))
    assert plan.daily_volume_target_min == 65
    assert plan.daily_steps_target == 4500
    high = tuple(
        DailyMeasure(START - timedelta(days=i), walk_min=140, steps=9000) for i in range(1, 8)
    )
    plan = plan_week(p, SH(daily=high), week(1))
    assert plan.daily_volume_target_min == 100
    assert plan.daily_steps_target == 9000
    assert plan_week(p, SH(), week(1)).daily_volume_target_min is None
