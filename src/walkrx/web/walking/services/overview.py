"""Day one: the first weeks of the plan as the plan engine would make them."""

from __future__ import annotations

from walkrx import program
from walkrx.program.simulate import simulate

from ..models import Walker
from .state import build_history, build_profile


def plan_overview(walker: Walker, weeks: int = 4) -> list[program.WeekPlan]:
    """Program weeks 1..``weeks`` if every planned walk is done with steady pain.

    The engine's own what-if (``walkrx.program.simulate``) on the walker's real profile
    and history; the real plan still adapts each week to the walks actually done.
    """
    plans, _ = simulate(build_profile(walker), weeks, history=build_history(walker))
    return plans
