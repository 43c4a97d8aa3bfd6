"""The plan engine: pure, typed, deterministic. No Django, no I/O, no clocks."""

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
]
