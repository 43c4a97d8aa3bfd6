"""Safety outranks the plan: red flags pause, escalation stops, flare shortens."""

from datetime import UTC, date, datetime, timedelta

import pytest

from walkrx.evidence import RED_FLAGS
from walkrx.evidence.red_flags import RESCREEN_CODES, SCREEN_CODES
from walkrx.program import CheckIn, History, Profile, Walk, plan_week, safety_timeline
from walkrx.program.simulate import do_every_walk as do_all
from walkrx.program.simulate import simulate
from walkrx.safety import SafetyEvent, safety_state

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


def walker() -> Profile:
    return Profile(age=50, goal="relieve-pain", program_start=START)


def at(d: date, hour: int = 10) -> datetime:
    return datetime(d.year, d.month, d.day, hour, tzinfo=UTC)


@pytest.mark.parametrize(
    "code", sorted(c for c, f in RED_FLAGS.items() if f.urgency != "review-keep-walking")
)
def test_each_red_flag_pauses_then_clearance_restarts_safely(code: str) -> None:
    p = walker()
    _, h = simulate(p, 4)  # weeks 1-4 walked fully: 30, 60, 100, 125 min
    before = plan_week(p, h, week(4))
    flag = SafetyEvent("red-flag", at(week(5) + timedelta(days=1)), code=code)
    h = SH(h.walks, h.checkins, h.daily, (flag,))
    for n in (5, 6):
        plan = plan_week(p, h, week(n))
        assert plan.status == "paused"
        assert plan.sessions == () and plan.total_minutes == 0
        assert plan.urgency == RED_FLAGS[code].urgency
        assert any(RED_FLAGS[code].what_to_do in r.text for r in plan.reasons)
        assert any("not a diagnosis" in n_ for n_ in plan.notices)
    cleared = SafetyEvent("clinician-clearance", at(week(7)), by="Dr A", note="examined")
    h = SH(h.walks, h.checkins, h.daily, (flag, cleared))
    plan = plan_week(p, h, week(7))
    assert plan.status == "active"
    assert 0 < plan.total_minutes <= 30 < before.total_minutes
    assert max(s.minutes for s in plan.sessions) <= 10
    assert any("not where it stopped" in r.text for r in plan.reasons)


def test_red_flag_in_a_checkin_pauses_too() -> None:
    p = walker()
    h = SH(checkins=(CheckIn(week(2) + timedelta(days=2), red_flags=("fever-unwell",)),))
    plan = plan_week(p, h, week(2))
    assert (plan.status, plan.urgency, plan.sessions) == ("paused", "same-day", ())
    # the walker's own confirmation of a medical review resumes (no clinician)
    clean = tuple((c, False) for c in RESCREEN_CODES)
    ok = SafetyEvent(
        "self-reported-review", at(week(3) + timedelta(days=1)), by="walker", answers=clean
    )
    h = SH(checkins=h.checkins, safety_events=(ok,))
    assert plan_week(p, h, week(3)).status == "active"


def test_clearance_the_same_day_as_a_recorded_flag_works() -> None:
    p = walker()
    d = week(2) + timedelta(days=2)
    h = SH(
        checkins=(CheckIn(d, red_flags=("trauma",)),),
        safety_events=(
            SafetyEvent("red-flag", at(d, 9), code="trauma"),
            SafetyEvent("clinician-clearance", at(d, 15), by="Dr B"),
        ),
    )
    assert plan_week(p, h, week(3)).status == "active"


def test_flare_gives_2_to_5_minute_walks_and_no_progression() -> None:
    p = walker()
    _, h = simulate(p, 3)  # walked weeks 1-3 (10, 15, 20 min)
    level_before = max(s.minutes for s in plan_week(p, h, week(3)).sessions)
    flare = CheckIn(week(4), worst_pain=5, flare=True)  # a moderate flare
    h = SH(h.walks, (flare,))
    for n in (4, 5):
        plan = plan_week(p, h, week(n))
        assert plan.status == "flare"
        assert plan.sessions and all(2 <= s.minutes <= 5 for s in plan.sessions)
        assert all(s.bouts == 1 for s in plan.sessions)
        unscored = tuple(Walk(x.date, x.minutes) for x in plan.sessions)  # no pain scores
        h = SH(h.walks + unscored, h.checkins)
    # back to the pre-flare level (2/10 on the walks before) on two days -> settled
    settled = (CheckIn(week(6), avg_pain=2), CheckIn(week(6) + timedelta(days=1), avg_pain=2))
    h = SH(h.walks, h.checkins + settled)
    plan = plan_week(p, h, week(6))
    assert plan.status == "active"
    assert max(s.minutes for s in plan.sessions) < level_before + 1


def test_walk_pain_of_7_starts_a_flare_and_two_later_calm_walks_settle_it() -> None:
    p = walker()
    h = SH(walks=(Walk(week(2) + timedelta(days=1), 10, pain_before=3, pain_max=7, pain_after=7),))
    assert plan_week(p, h, week(2)).status == "flare"
    assert plan_week(p, h, week(3)).status == "flare"  # nothing new reported
    calm = Walk(week(3) + timedelta(days=2), 5, pain_before=3, pain_max=3, pain_after=3)
    h = SH(walks=h.walks + (calm,))
    assert plan_week(p, h, week(3)).status == "flare"  # one calm report is not enough
    calm2 = Walk(week(3) + timedelta(days=3), 5, pain_before=3, pain_max=3, pain_after=2)
    h = SH(walks=h.walks + (calm2,))
    assert plan_week(p, h, week(3)).status == "active"


def _weekly_checkins(weeks: range, rest: int) -> tuple[CheckIn, ...]:
    return tuple(
        CheckIn(week(n) + timedelta(days=6), avg_pain=4, worst_pain=5, rest_pain=rest)
        for n in weeks
    )


def _simulate_with_checkins(p: Profile, weeks: int, rest: int) -> History:
    h = SH(checkins=_weekly_checkins(range(1, weeks + 1), rest))
    for n in range(1, weeks + 1):
        plan = plan_week(p, h, week(n))
        h = SH(h.walks + do_all(plan), h.checkins)
    return h


def test_four_weeks_in_the_program_with_rest_pain_above_4_escalates() -> None:
    p = walker()
    h = _simulate_with_checkins(p, 5, rest=5)
    assert plan_week(p, h, week(4)).status == "active"  # day 27 of the program
    for n in (5, 6):
        plan = plan_week(p, h, week(n))
        assert plan.status == "escalated"
        assert plan.sessions == ()
        assert any("physiotherapist or doctor" in r.text for r in plan.reasons)
    assert safety_state(safety_timeline(p, h, week(5))).status == "escalated"
    # cleared -> resumes from a safe level
    ok = SafetyEvent("clinician-clearance", at(week(6)), by="Physio C", note="specific exercises")
    h2 = SH(h.walks, h.checkins, h.daily, (ok,))
    plan = plan_week(p, h2, week(6))
    assert plan.status == "active" and plan.total_minutes <= 30


def test_rest_pain_of_4_does_not_escalate() -> None:
    p = walker()
    h = _simulate_with_checkins(p, 6, rest=4)
    assert plan_week(p, h, week(6)).status == "active"


def test_night_pain_after_weeks_escalates_whatever_the_walking() -> None:
    p = walker()
    checkins = tuple(CheckIn(week(n) + timedelta(days=6), night_pain=True) for n in range(1, 7))
    none_walked = SH(checkins=checkins)  # no walks at all: walking less must not delay it
    assert plan_week(p, none_walked, week(4)).status == "active"
    assert plan_week(p, none_walked, week(5)).status == "escalated"
