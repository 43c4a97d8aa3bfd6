"""Consumer walking data: typed records from phones, watches and apps, and their merging.

Pure Python: no Django, no I/O beyond what a caller passes in.
"""

from .merge import DayTotals, MergePolicy, merge_days
from .records import (
    DISTANCE,
    STEPS,
    WORKOUT,
    ImportFileError,
    Interval,
    ParseReport,
    Record,
    RoutePoint,
    Workout,
)

__all__ = [
    "DISTANCE",
    "STEPS",
    "WORKOUT",
    "DayTotals",
    "ImportFileError",
    "Interval",
    "MergePolicy",
    "ParseReport",
    "Record",
    "RoutePoint",
    "Workout",
    "merge_days",
]
