"""Property tests over random 26-week histories: walks, pain, check-ins, flags and clearances.

Each property restates a rule independently of the engine and checks every week:

* a paused, escalated or unscreened walker never gets a walk (nor a highly flared one);
* no emergency or same-day pause is lifted without a clinician identity or a self-review
  on a later day with a clean re-screen;
* escalation fires at the first check-in whose condition is true (4 weeks in the program
  since the start or the last clearance with rest pain > 4, night pain or leg symptoms; or
  leg symptoms newly reported), whatever the adherence;
* no reason cites a rule that did not change the plan (cap, scale-back, progression);
* weekly minutes never rise more than the template allows in weeks 1-5, nor above the
  cap over last week's achieved minutes after that.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from walkrx.evidence.red_flags import RED_FLAGS, RESCREEN_CODES, SCREEN_CODES
from walkrx.program import (
    CheckIn,
    ClinicianLimits,
    History,
    Profile,
    Walk,
    achieved_minutes,
    replay_weeks,
    weekly_cap,
)
from walkrx.program.engine import plan_week
from walkrx.program.goals import target_level
from walkrx.program.levels import TEMPLATE, next_level
from walkrx.safety import SafetyEvent, safety_state
from walkrx.safety.escalation import REST_PAIN_ABOVE
from walkrx.timeutil import local_date

START = date(2026, 1, 5)  # a Monday
WEEKS = 26
LAST = START + timedelta(weeks=WEEKS) - timedelta(days=1)
PROPS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SCREEN = SafetyEvent(
    "screening",
    datetime(2026, 1, 4, 8, tzinfo=UTC),
    answers=tuple((c, False) for c in SCREEN_CODES),
)
CLEAN = tuple((c, False) for c in RESCREEN_CODES)
PAUSING = sorted(c for c, f in RED_FLAGS.items() if f.urgency != "review-keep-walking")


def pain_of(draw: st.DrawFn, base: int) -> int | None:
    """A pain score as a walker reports it: near their usual level, now and then a spike."""
    roll = draw(st.integers(0, 59))
    if roll == 0:
        return None
    if roll == 1:
        return draw(st.integers(7, 10))  # a spike: a flare
    return max(0, min(10, base + draw(st.integers(-1, 1))))


@st.composite
def walkers(draw: st.DrawFn) -> Profile:
    return Profile(
        age=draw(st.integers(20, 90)),
        goal=draw(st.sampled_from(["prevent-recurrence", "relieve-pain", "lower-risk"])),
        program_start=START,
        limits=ClinicianLimits(
            pain_limit=draw(st.one_of(st.none(), st.integers(2, 6))),
            target_minutes=draw(st.one_of(st.none(), st.integers(20, 60))),
            target_days=draw(st.one_of(st.none(), st.integers(3, 7))),
        ),
        baseline_daily_min=draw(st.one_of(st.none(), st.integers(0, 90))),
        tz=draw(st.sampled_from(["UTC", "Europe/Oslo", "America/New_York"])),
    )


@st.composite
def histories(draw: st.DrawFn) -> History:
    """A weekly check-in (mostly), walks at a random adherence, some flags and clearances."""
    adherence = draw(st.floats(0, 1))
    symptomatic = draw(st.booleans())  # half the walkers report escalation symptoms at times
    base = draw(st.integers(0, 6))  # the walker's usual pain

    def pain() -> int | None:
        return pain_of(draw, base)

    walks: list[Walk] = []
    checkins: list[CheckIn] = []
    for w in range(WEEKS):
        monday = START + timedelta(weeks=w)
        for d in range(7):
            if draw(st.floats(0, 1)) < adherence * 0.6:
                walks.append(
                    Walk(monday + timedelta(days=d), draw(st.integers(3, 40)), None,
                         pain(), pain(), pain())
                )  # fmt: skip
        if draw(st.floats(0, 1)) < 0.85:
            d = monday + timedelta(days=draw(st.integers(0, 6)))
            checkins.append(
                CheckIn(
                    d,
                    avg_pain=pain(),
                    worst_pain=pain(),
                    rest_pain=pain() if symptomatic else min(4, base),
                    night_pain=symptomatic and draw(st.integers(0, 9)) == 0,
                    leg_symptoms=symptomatic and draw(st.integers(0, 19)) == 0,
                    flare=draw(st.integers(0, 14)) == 0,
                    highly_flared=draw(st.integers(0, 29)) == 0,
                    at_utc=datetime.combine(d, time(18), tzinfo=UTC),
                )
            )
    events: list[SafetyEvent] = [SCREEN]
    for _ in range(draw(st.integers(0, 4))):
        at = datetime.combine(
            START + timedelta(days=draw(st.integers(0, 7 * WEEKS - 1))),
            time(draw(st.integers(0, 23))),
            tzinfo=UTC,
        )
        kind = draw(st.sampled_from(["red-flag", "clinician-clearance", "self-reported-review"]))
        answers = draw(st.sampled_from([CLEAN, CLEAN[:2], ()])) if kind != "red-flag" else ()
        code = draw(st.sampled_from(PAUSING)) if kind == "red-flag" else None
        events.append(SafetyEvent(kind, at, code=code, by="dr-x", answers=answers))  # type: ignore[arg-type]
    return History(tuple(walks), tuple(checkins), (), tuple(events))


@PROPS
@given(walkers(), histories())
def test_26_weeks_safety_and_progression(profile: Profile, history: History) -> None:
    records = replay_weeks(profile, history, LAST)
    assert len(records) == WEEKS
    target = target_level(profile)
    prev = None
    for rec in records:
        # 1. no walk while paused, escalated or unscreened, nor in a high flare
        if rec.status in ("paused", "escalated", "unscreened"):
            assert rec.sessions == ()
        if rec.status == "flare" and rec.state.flare_level == "high":
            assert rec.sessions == ()
        if rec.status == "flare":
            assert all(2 <= s.minutes <= 5 for s in rec.sessions)
        # 5. weeks 1-5: at most the template's (or a day-or-minutes) step; after: the cap
        if prev is not None and rec.change == "progress":
            allowed = next_level(prev.level, target, rec.index <= len(TEMPLATE))
            assert rec.level.weekly_minutes <= allowed.weekly_minutes
            if rec.index > len(TEMPLATE):
                more_days = rec.level.days > prev.level.days
                more_minutes = rec.level.minutes > prev.level.minutes
                assert not (more_days and more_minutes)
        if rec.index > len(TEMPLATE):
            achieved = achieved_minutes(history, rec.week_start - timedelta(days=7))
            total = sum(s.minutes for s in rec.sessions)
            assert total <= weekly_cap(achieved, profile.limits.max_weekly_increase_pct)
        prev = rec


@PROPS
@given(walkers(), histories())
def test_reasons_cite_only_rules_that_changed_the_plan(profile: Profile, history: History) -> None:
    records = replay_weeks(profile, history, LAST)
    for rec in records[::3] + records[-1:]:
        plan = plan_week(profile, history, rec.week_start)
        sources = [r.source for r in plan.reasons]
        if "large-jumps-injury" in sources:  # the cap: only when it cut this week
            assert rec.capped and rec.index > len(TEMPLATE)
        if any("adds one more walking day" in r.text for r in plan.reasons):
            assert rec.previous_level is not None and rec.level.days > rec.previous_level.days
        if any("adds longer walks" in r.text for r in plan.reasons):
            assert rec.previous_level is not None
            assert rec.level.minutes > rec.previous_level.minutes
            assert rec.level.days == rec.previous_level.days
        if any("walks are shorter" in r.text for r in plan.reasons):
            assert rec.change == "scale-back" or rec.scaled_back_on is not None
        if rec.change == "scale-back":
            assert rec.previous_level is not None
            assert rec.level.minutes <= rec.previous_level.minutes
        if any("repeats" in r.text for r in plan.reasons):
            assert rec.level == rec.previous_level


def _cleared_before(history: History, when: datetime, tz: str) -> datetime | None:
    """Last clearance before ``when`` that the rule accepts (clinician, or clean review)."""
    state = safety_state([e for e in history.safety_events if e.at_utc < when], tz)
    return state.last_clearance.at_utc if state.last_clearance else None


@PROPS
@given(walkers(), histories())
def test_escalation_fires_at_the_first_qualifying_checkin(
    profile: Profile, history: History
) -> None:
    """Whatever the adherence: the check-in whose condition is true escalates its week."""
    records = {r.week_start: r for r in replay_weeks(profile, history, LAST)}
    previous_leg = False
    for c in sorted(history.checkins, key=lambda c: c.at_utc or datetime.max.replace(tzinfo=UTC)):
        assert c.at_utc is not None
        since = profile.program_start
        cleared = _cleared_before(history, c.at_utc, profile.tz)
        if cleared is not None:
            since = max(since, local_date(cleared, profile.tz))
        days = (c.date - since).days
        symptoms = (
            (c.rest_pain is not None and c.rest_pain > REST_PAIN_ABOVE)
            or c.night_pain
            or c.leg_symptoms
        )
        due = (days >= 28 and symptoms) or (c.leg_symptoms and not previous_leg)
        previous_leg = c.leg_symptoms
        if not due:
            continue
        monday = c.date - timedelta(days=c.date.weekday())
        rec = records[monday]
        later_clear = any(
            e.kind in ("clinician-clearance", "self-reported-review")
            and c.at_utc < e.at_utc
            and local_date(e.at_utc, profile.tz) <= monday + timedelta(days=6)  # walker's day
            for e in history.safety_events
        )
        if not later_clear:
            assert rec.status in ("escalated", "paused"), (c, rec.status)
            assert rec.sessions == ()
