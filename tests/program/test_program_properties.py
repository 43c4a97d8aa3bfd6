"""Property-based tests of the plan engine over random profiles and histories."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from walkrx.evidence import RED_FLAGS, forbidden_claims_in, is_known_key
from walkrx.evidence.red_flags import SCREEN_CODES
from walkrx.program import (
    CheckIn,
    ClinicianLimits,
    DailyMeasure,
    History,
    Preferences,
    Profile,
    Walk,
    plan_week,
    safety_timeline,
    weekly_cap,
)
from walkrx.safety import SafetyEvent, safety_state
from walkrx.timeutil import local_date

_SCREEN_AT = datetime(2000, 1, 1, tzinfo=UTC)


def SH(walks=(), checkins=(), daily=(), safety_events=()) -> History:  # type: ignore[no-untyped-def]
    """A history whose walker answered the red-flag screen (all "no") before anything else."""
    events = tuple(safety_events)
    if not any(e.kind == "screening" for e in events):
        answers = tuple((code, False) for code in SCREEN_CODES)
        events = (SafetyEvent("screening", _SCREEN_AT, answers=answers),) + events
    return History(tuple(walks), tuple(checkins), tuple(daily), events)


START = date(2026, 1, 5)
CONDITIONS = ["spinal-stenosis", "disc-herniation", "spondylolisthesis", "microdiscectomy"]
ZONES = ["UTC", "Europe/Oslo", "Pacific/Honolulu", "Pacific/Kiritimati", "America/New_York"]
PAUSING_CODES = sorted(c for c, f in RED_FLAGS.items() if f.urgency != "review-keep-walking")
PROPS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

pain = st.one_of(st.none(), st.integers(0, 10))


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    conds = frozenset(draw(st.lists(st.sampled_from(CONDITIONS), max_size=2)))
    baseline = draw(st.one_of(st.none(), st.tuples(st.integers(0, 60), st.integers(0, 7))))
    return Profile(
        age=draw(st.integers(18, 95)),
        goal=draw(st.sampled_from(["prevent-recurrence", "relieve-pain", "lower-risk"])),
        program_start=START + timedelta(days=draw(st.integers(0, 6))),
        conditions=conds,  # type: ignore[arg-type]
        surgery_date=START - timedelta(days=draw(st.integers(0, 60)))
        if "microdiscectomy" in conds
        else None,
        preferences=Preferences(
            walking_weekdays=tuple(draw(st.sets(st.integers(0, 6), max_size=7))),
            split_sessions=draw(st.booleans()),
            setting=draw(st.sampled_from(["outdoor", "indoor", "either"])),
        ),
        limits=ClinicianLimits(
            pain_limit=draw(st.one_of(st.none(), st.integers(0, 10))),
            target_minutes=draw(st.one_of(st.none(), st.integers(5, 90))),
            target_days=draw(st.one_of(st.none(), st.integers(1, 7))),
            max_weekly_increase_pct=draw(st.one_of(st.none(), st.floats(0, 100))),
            bout_cap_min=draw(st.one_of(st.none(), st.integers(1, 30))),
            microdiscectomy_cleared_on=draw(
                st.one_of(st.none(), st.just(START + timedelta(days=3)))
            ),
        ),
        baseline_session_min=baseline[0] if baseline else None,
        baseline_days_per_week=baseline[1] if baseline else None,
        max_heart_rate_bpm=draw(st.one_of(st.none(), st.integers(120, 200))),
        tz=draw(st.sampled_from(ZONES)),
    )


def day(draw: st.DrawFn, weeks: int) -> date:
    return START + timedelta(days=draw(st.integers(-14, 7 * weeks - 1)))


@st.composite
def histories(draw: st.DrawFn, weeks: int = 8, flags: bool = True) -> History:
    walks = tuple(
        Walk(
            day(draw, weeks),
            draw(st.integers(0, 90)),
            None,
            draw(pain),
            draw(pain),
            draw(pain),
            stopped_for_pain=draw(st.booleans()),
        )
        for _ in range(draw(st.integers(0, 30)))
    )
    checkins = tuple(
        CheckIn(
            day(draw, weeks),
            draw(pain),
            draw(pain),
            draw(pain),
            draw(st.booleans()),
            draw(st.booleans()),
            draw(st.booleans()),
            tuple(draw(st.lists(st.sampled_from(PAUSING_CODES), max_size=1))) if flags else (),
        )
        for _ in range(draw(st.integers(0, 8)))
    )
    daily = tuple(
        DailyMeasure(day(draw, weeks), draw(st.floats(0, 300)), draw(st.integers(0, 30000)))
        for _ in range(draw(st.integers(0, 10)))
    )
    events = []
    for _ in range(draw(st.integers(0, 4))):
        at = datetime.combine(day(draw, weeks), time(draw(st.integers(0, 23))), tzinfo=UTC)
        kind = draw(
            st.sampled_from(
                ["red-flag", "clinician-clearance", "medical-review-confirmed"]
                if flags
                else ["clinician-clearance", "medical-review-confirmed"]
            )
        )
        code = draw(st.sampled_from(PAUSING_CODES)) if kind == "red-flag" else None
        events.append(SafetyEvent(kind, at, code=code, by="Dr X"))  # type: ignore[arg-type]
    return SH(walks, checkins, daily, tuple(events))


def achieved_before(profile: Profile, history: History, ws: date) -> float:
    """Independent re-computation of the minutes walked in the week before ``ws``."""
    monday = profile.program_start - timedelta(days=profile.program_start.weekday())
    if ws == monday:  # week 1: the baseline week
        if profile.baseline_session_min is not None and profile.baseline_days_per_week is not None:
            return max(0, profile.baseline_session_min) * max(
                0, min(7, profile.baseline_days_per_week)
            )
        first, last = (
            profile.program_start - timedelta(days=7),
            profile.program_start - timedelta(days=1),
        )
    else:
        first, last = ws - timedelta(days=7), ws - timedelta(days=1)
    return sum(w.minutes for w in history.walks if first <= w.date <= last)


@PROPS
@given(profiles(), histories(), st.integers(1, 8))
def test_cap_minutes_and_determinism(profile: Profile, history: History, n: int) -> None:
    ws = START + timedelta(weeks=n - 1)
    plan = plan_week(profile, history, ws)
    # beyond the 5-week template, never above the cap over the last achieved week
    if n > 5:
        assert plan.total_minutes <= weekly_cap(
            achieved_before(profile, history, ws), profile.limits.max_weekly_increase_pct
        )
    # never negative, bouts add up, sessions inside the week and on distinct days
    for s in plan.sessions:
        assert s.minutes > 0 and all(b > 0 for b in s.bout_minutes)
        assert sum(s.bout_minutes) == s.minutes and s.bouts == len(s.bout_minutes)
        assert ws <= s.date < ws + timedelta(days=7) and s.date >= profile.program_start
    assert len({s.date for s in plan.sessions}) == len(plan.sessions)
    if plan.status == "flare":
        assert all(2 <= s.minutes <= 5 for s in plan.sessions)
    if plan.status in ("paused", "escalated", "unscreened"):
        assert plan.sessions == ()
        assert plan.daily_volume_target_min is None and plan.daily_steps_target is None
    bout_cap = profile.limits.bout_cap_min
    if bout_cap is None and "spinal-stenosis" in profile.conditions:
        bout_cap = 10  # seed default; a clinician's bout cap replaces it
    if bout_cap is not None:
        assert all(max(s.bout_minutes) <= bout_cap for s in plan.sessions)
    if "microdiscectomy" in profile.conditions:
        cleared = profile.limits.microdiscectomy_cleared_on
        assert cleared is not None or not plan.sessions
        assert all(s.date >= profile.surgery_date + timedelta(days=14) for s in plan.sessions)  # type: ignore[operator]
    # same inputs -> same plan, whatever the order of the history
    again = plan_week(profile, history, ws)
    assert again == plan
    shuffled = SH(
        *(
            tuple(random.Random(7).sample(list(x), len(x)))
            for x in (history.walks, history.checkins, history.daily, history.safety_events)
        )
    )
    assert plan_week(profile, shuffled, ws) == plan
    # serialises cleanly, every reason sourced, nothing forbidden shown
    data = json.loads(json.dumps(plan.to_dict()))
    assert {
        "week_start",
        "sessions",
        "total_minutes",
        "daily_volume_target_min",
        "status",
        "reasons",
    } <= set(data)
    assert all({"date", "minutes", "bouts", "mode", "aids"} <= set(s) for s in data["sessions"])
    assert all(r["text"] and r["source"] for r in data["reasons"])
    for r in plan.reasons:
        assert is_known_key(r.source) or r.source.startswith("clinician"), r.source
    for s in plan.sessions:
        assert all(is_known_key(i.source) for i in s.routine)
    texts = [r.text for r in plan.reasons] + list(plan.notices)
    texts += [i.text for s in plan.sessions for i in s.routine]
    assert not any(forbidden_claims_in(t) for t in texts)
    assert any("not a diagnosis" in t for t in plan.notices)


@PROPS
@given(
    profiles(),
    histories(flags=False),
    st.integers(1, 8),
    st.sampled_from(PAUSING_CODES),
    st.integers(0, 6),
    st.booleans(),
)
def test_safety_outranks_everything(
    profile: Profile, history: History, n: int, code: str, offset: int, via_checkin: bool
) -> None:
    """A red flag with no later clearance: never any session, whatever else is true."""
    ws = START + timedelta(weeks=n - 1)
    d = min(ws + timedelta(days=offset), START + timedelta(days=7 * n - 1))
    if via_checkin:
        history = SH(
            history.walks,
            history.checkins + (CheckIn(d, red_flags=(code,)),),
            history.daily,
            tuple(e for e in history.safety_events if e.at_utc.date() < d),
        )
    else:
        at = datetime.combine(d, time(12), tzinfo=ZoneInfo(profile.tz))  # noon, walker-local
        history = SH(
            history.walks,
            history.checkins,
            history.daily,
            tuple(e for e in history.safety_events if e.at_utc < at)
            + (SafetyEvent("red-flag", at, code=code),),
        )
    plan = plan_week(profile, history, ws)
    assert plan.status == "paused"
    assert plan.sessions == () and plan.total_minutes == 0
    assert plan.urgency is not None


@PROPS
@given(profiles(), histories())
def test_safety_timeline_folds_to_the_plan_status(profile: Profile, history: History) -> None:
    """For the last week (every event dated within it or before), both views agree."""
    last = START + timedelta(weeks=7)
    within = tuple(
        e
        for e in history.safety_events
        if local_date(e.at_utc, profile.tz) <= last + timedelta(days=6)
    )
    history = SH(history.walks, history.checkins, history.daily, within)
    plan = plan_week(profile, history, last)
    state = safety_state(safety_timeline(profile, history, last), profile.tz)
    assert state.status == plan.status
    assert state.urgency == plan.urgency
    # any earlier week too: the timeline of a week holds only what was dated by its end
    for n in (1, 3, 5):
        ws = START + timedelta(weeks=n - 1)
        earlier = safety_state(safety_timeline(profile, history, ws), profile.tz)
        assert earlier.status == plan_week(profile, history, ws).status
