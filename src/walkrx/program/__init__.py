"""The plan engine: pure, typed, deterministic. No Django, no I/O, no clocks.

Call :func:`plan_week` with a :class:`Profile`, a :class:`History` and a week.
"""

from walkrx.program.cap import weekly_cap
from walkrx.program.engine import plan_week, replay_weeks, safety_timeline
from walkrx.program.history_view import achieved_minutes
from walkrx.program.models import (
    CheckIn,
    ClinicianLimits,
    DailyMeasure,
    History,
    Preferences,
    Profile,
    Reason,
    RoutineItem,
    Session,
    Walk,
    WeekPlan,
)
from walkrx.program.recurrence import recurrence_summary

__all__ = [
    "CheckIn",
    "ClinicianLimits",
    "DailyMeasure",
    "History",
    "Preferences",
    "Profile",
    "Reason",
    "RoutineItem",
    "Session",
    "Walk",
    "WeekPlan",
    "achieved_minutes",
    "plan_week",
    "recurrence_summary",
    "replay_weeks",
    "safety_timeline",
    "weekly_cap",
]
