"""Helpers for the plan-engine tests: simulate walkers week by week."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from walkrx.program import History, Profile, Walk, WeekPlan, plan_week

START = date(2026, 1, 5)  # a Monday


def week(n: int, start: date = START) -> date:
    """Monday of program week ``n`` (1-based)."""
    return start + timedelta(weeks=n - 1)


def do_all(plan: WeekPlan, before: int = 2, after: int = 2) -> tuple[Walk, ...]:
    """Walk every planned session fully, with the given pain before/after."""
    return tuple(
        Walk(s.date, s.minutes, pain_before=before, pain_max=max(before, after), pain_after=after)
        for s in plan.sessions
    )


def simulate(
    profile: Profile,
    weeks: int,
    history: History | None = None,
    walker: Callable[[WeekPlan], tuple[Walk, ...]] = do_all,
) -> tuple[list[WeekPlan], History]:
    """Plan each week, feed the walker's walks back, return the plans and final history."""
    h = history or History()
    plans = []
    for n in range(1, weeks + 1):
        plan = plan_week(profile, h, week(n, profile.program_start))
        plans.append(plan)
        h = History(h.walks + walker(plan), h.checkins, h.daily, h.safety_events)
    return plans, h
