"""What-if simulation: plan week after week, feeding back the walks a walker would do.

Useful to show a clinician the plan's trajectory ("if every walk is done with
stable pain…") and to test the engine. Pure: no clock, no randomness. Without a
history, the walker is taken as screened at the program start with every red-flag
answer "no" (:func:`screened_history`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from walkrx.evidence.red_flags import SCREEN_CODES
from walkrx.program.engine import plan_week
from walkrx.program.history_view import day_instant
from walkrx.program.models import History, Profile, Walk, WeekPlan
from walkrx.safety.events import SafetyEvent
from walkrx.timeutil import monday_of

__all__ = ["WalkerModel", "do_every_walk", "program_week_start", "screened_history", "simulate"]

#: Given a week's plan, the walks the walker does that week.
WalkerModel = Callable[[WeekPlan], tuple[Walk, ...]]


def program_week_start(profile: Profile, n: int) -> date:
    """Monday of program week ``n`` (1-based)."""
    return monday_of(profile.program_start) + timedelta(weeks=n - 1)


def screened_history(profile: Profile) -> History:
    """An empty history with one screening at the program start, every answer "no"."""
    start = day_instant(profile.program_start, profile.tz).replace(hour=0, minute=0, second=0)
    answers = tuple((code, False) for code in SCREEN_CODES)
    return History(safety_events=(SafetyEvent("screening", start, answers=answers, by="walker"),))


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
    h = history if history is not None else screened_history(profile)
    plans: list[WeekPlan] = []
    for n in range(1, weeks + 1):
        plan = plan_week(profile, h, program_week_start(profile, n))
        plans.append(plan)
        h = History(h.walks + walker(plan), h.checkins, h.daily, h.safety_events)
    return plans, h
