"""The routine around each walk and the goal reasons."""

from datetime import UTC, date, datetime, timedelta

from walkrx.evidence.red_flags import SCREEN_CODES
from walkrx.program import History, Profile, plan_week
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


def test_routine_items_and_strength_three_times_a_week() -> None:
    p = Profile(age=45, goal="relieve-pain", program_start=START, max_heart_rate_bpm=175)
    plans, _ = simulate(p, 4)
    for plan in plans:
        kinds = [[i.kind for i in s.routine] for s in plan.sessions]
        assert all("pre-walk" in k and "form" in k and "intensity" in k for k in kinds)
        assert sum("post-walk" in k for k in kinds) == min(3, len(plan.sessions))
        assert all(i.source.startswith("advice: ") for s in plan.sessions for i in s.routine)
    talk = next(i.text for i in plans[0].sessions[0].routine if i.kind == "intensity")
    assert "talk but not sing" in talk and "88-122 bpm" in talk
    warm_up = plans[0].sessions[0].routine[0].text
    for move in ("march in place", "cat-camel", "ankle circles", "glute squeezes"):
        assert move in warm_up


def test_every_plan_labels_sitting_advice_and_not_a_diagnosis() -> None:
    plan = plan_week(Profile(age=30, goal="lower-risk", program_start=START), SH(), START)
    sitting = [r for r in plan.reasons if "sitting" in r.text]
    assert sitting and all(r.source.startswith("advice: ") for r in sitting)
    assert plan.sitting_break_min == (30, 40)
    assert any("not a diagnosis" in n for n in plan.notices)


def test_program_starting_midweek_plans_only_from_the_start_day() -> None:
    thursday = START + timedelta(days=3)
    plan = plan_week(Profile(age=30, goal="relieve-pain", program_start=thursday), SH(), START)
    assert plan.week_index == 1
    assert plan.sessions and all(s.date >= thursday for s in plan.sessions)
