"""What-if simulation: plan week after week, feeding back the walks a walker would do.

Useful to show a clinician the plan's trajectory ("if every walk is done with
stable pain…") and to test the engine. Pure: no clock, no randomness.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from walkrx.program.engine import plan_week
from walkrx.program.models import History, Profile, Walk, WeekPlan
from walkrx.timeutil import monday_of

__all__ = ["WalkerModel", "do_every_walk", "program_week_start", "simulate"]

#: Given a week's plan, the walks the walker does that week.
WalkerModel = Callable[[WeekPlan], tuple[Walk, ...]]


def program_week_start(profile: Profile, n: int) -> date:
    """Monday of program week ``n`` (1-based)."""
    return monday_of(profile.program_start) + timedelta(weeks=n - 1)


def do_every_walk(plan: WeekPlan, pain_before: int = 2, pain_after: int = 2) -> tuple[Walk, ...]:
    """Walk every planned session in full, with the given pain before and after."""
    return tuple(
        Walk(
            s.date,
            s.minutes,
            pain_before=pain_before,
            pain_max=max(pain_before, pain_after),
            pain_after=pain_after,
        )
        for s in plan.sessions
    )


def simulate(
    profile: Profile,
    weeks: int,
    history: History | None = None,
    walker: WalkerModel = do_every_walk,
) -> tuple[list[WeekPlan], History]:
    """Plan weeks 1..``weeks``, adding the walker's walks after each; return plans and history."""
    h = history or History()
    plans: list[WeekPlan] = []
    for n in range(1, weeks + 1):
        plan = plan_week(profile, h, program_week_start(profile, n))
        plans.append(plan)
        h = History(h.walks + walker(plan), h.checkins, h.daily, h.safety_events)
    return plans, h
