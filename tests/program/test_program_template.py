"""The 5-week shape for someone starting from nothing, and the pain scale-back."""

from datetime import UTC, date, datetime, timedelta

from walkrx.evidence.red_flags import SCREEN_CODES
from walkrx.program import History, Profile, Walk, plan_week
from walkrx.program.simulate import do_every_walk as do_all
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


# (minutes, allowed days) per week of the seed template; week 5 onwards 30-45 × 5-7.
TEMPLATE = [(10, (3, 4)), (15, (4, 5)), (20, (5, 5)), (25, (5, 6))]


def walker50() -> Profile:
    return Profile(
        age=50,
        goal="relieve-pain",
        program_start=START,
        baseline_session_min=0,
        baseline_days_per_week=0,
    )


def test_five_week_shape_and_never_more() -> None:
    plans, _ = simulate(walker50(), 12)
    for n, plan in enumerate(plans, start=1):
        assert plan.status == "active"
        minutes = {s.minutes for s in plan.sessions}
        assert len(minutes) == 1, plan.sessions
        (m,) = minutes
        days = len(plan.sessions)
        if n <= 4:
            want_m, want_days = TEMPLATE[n - 1]
            assert m == want_m, (n, m)
            assert want_days[0] <= days <= want_days[1], (n, days)
        else:
            assert 30 <= m <= 45 and 5 <= days <= 7, (n, m, days)
        assert len({s.date for s in plan.sessions}) == days  # one session a day
        assert all(week(n) <= s.date < week(n + 1) for s in plan.sessions)


def test_no_walks_means_no_progression() -> None:
    plans, _ = simulate(walker50(), 4, walker=lambda plan: ())
    assert all(p.total_minutes <= plans[0].total_minutes for p in plans)


def test_pain_three_points_up_shortens_next_week() -> None:
    profile = walker50()
    # two good weeks, then a week where pain after is 3 points above pain before
    plans, h = simulate(profile, 2)
    wk3 = plan_week(profile, h, week(3))
    hurt = tuple(
        Walk(s.date, s.minutes, pain_before=1, pain_max=3, pain_after=4) for s in wk3.sessions
    )
    h = SH(h.walks + hurt)
    wk4 = plan_week(profile, h, week(4))
    assert max(s.minutes for s in wk4.sessions) < min(s.minutes for s in wk3.sessions)
    assert any("more than 2 points" in r.text for r in wk4.reasons)


def test_pain_rise_in_week_one_also_shortens() -> None:
    profile = walker50()
    wk1 = plan_week(profile, SH(), week(1))
    h = SH(tuple(Walk(s.date, s.minutes, pain_before=2, pain_after=5) for s in wk1.sessions))
    wk2 = plan_week(profile, h, week(2))
    assert max(s.minutes for s in wk2.sessions) < min(s.minutes for s in wk1.sessions)


def test_pain_eased_is_on_track() -> None:
    profile = walker50()
    wk1 = plan_week(profile, SH(), week(1))
    h = SH(do_all(wk1, pain_before=3, pain_after=1))
    assert any("on track" in r.text for r in plan_week(profile, h, week(2)).reasons)


def test_baseline_walker_starts_higher() -> None:
    p = Profile(
        age=40,
        goal="relieve-pain",
        program_start=START,
        baseline_session_min=22,
        baseline_days_per_week=5,
    )
    plan = plan_week(p, SH(), week(1))
    assert {s.minutes for s in plan.sessions} == {20} and len(plan.sessions) == 5


def test_prevent_recurrence_goal_reaches_walkback_target_by_week_26() -> None:
    p = Profile(age=54, goal="prevent-recurrence", program_start=START)
    plans, _ = simulate(p, 26)
    assert plans[-1].total_minutes >= 150 and len(plans[-1].sessions) >= 5
    assert any(r.source == "walkback-goal" for r in plans[-1].reasons)


def test_walk_above_the_pain_limit_means_no_progression() -> None:
    profile = walker50()
    wk1 = plan_week(profile, SH(), week(1))
    over = tuple(
        Walk(s.date, s.minutes, pain_before=2, pain_max=4, pain_after=3) for s in wk1.sessions
    )
    wk2 = plan_week(profile, SH(over), week(2))
    assert [s.minutes for s in wk2.sessions] == [s.minutes for s in wk1.sessions]
    stopped = tuple(Walk(s.date, s.minutes, stopped_for_pain=True) for s in wk1.sessions)
    assert plan_week(profile, SH(stopped), week(2)).total_minutes == wk1.total_minutes
    # a clinician's higher limit (pain-monitoring model: up to 5/10) lets the same week count
    from walkrx.program import ClinicianLimits

    relaxed = Profile(
        age=50, goal="relieve-pain", program_start=START, limits=ClinicianLimits(pain_limit=5)
    )
    assert plan_week(relaxed, SH(over), week(2)).total_minutes > wk1.total_minutes
