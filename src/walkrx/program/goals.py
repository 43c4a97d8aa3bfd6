"""Goal targets and the daily-volume and step targets.

* prevent-recurrence: 30 min × 5 days/week by week 26 (WalkBack goal).
* relieve-pain: the 5-week shape, then 30–45 min on 5–7 days (seed advice);
  walkrx holds at the lower end (30 × 5) unless a clinician sets more.
* lower-risk: sessions as above, plus total daily walking (all walking, as a
  device measures it) towards ~100 min/day, the level where the HUNT risk curve
  levelled off: each week's daily target is last week's measured median + 5
  min, never above the goal (seed step ``progress-step``).
* steps (any goal, when steps are measured): last week's median + 500/day,
  up to the lower end of the age-specific Paluch range (seed advice
  ``steps-plus-500``); above it, keep the current level.

A clinician's ``target_minutes``/``target_days``/``daily_volume_target_min``
override these defaults.
"""

from __future__ import annotations

import math

from walkrx.evidence.hunt import PLATEAU_MIN_PER_DAY
from walkrx.evidence.steps import step_range_for_age
from walkrx.program.levels import Level
from walkrx.program.models import Profile
from walkrx.program.schedule import available_weekdays

__all__ = [
    "DEFAULT_TARGET",
    "VOLUME_STEP_MIN",
    "WALKBACK_GOAL_WEEK",
    "daily_steps_target",
    "daily_volume_target",
    "target_level",
]

DEFAULT_TARGET = Level(30, 5)
WALKBACK_GOAL_WEEK = 26
VOLUME_STEP_MIN = 5
STEPS_STEP = 500


def target_level(profile: Profile) -> Level:
    """The session level to build up to (clinician's target, else 30 × 5)."""
    lim = profile.limits
    minutes = (
        lim.target_minutes
        if lim.target_minutes and lim.target_minutes > 0
        else DEFAULT_TARGET.minutes
    )
    days = lim.target_days if lim.target_days and lim.target_days > 0 else DEFAULT_TARGET.days
    days = min(days, 7, len(available_weekdays(profile.preferences.walking_weekdays)))
    return Level(minutes, max(1, days))


def daily_volume_target(profile: Profile, last_week_median_min: float | None) -> int | None:
    """Daily total walking target (min/day) for lower-risk or a clinician-set target."""
    goal = profile.limits.daily_volume_target_min
    if goal is None and profile.goal == "lower-risk":
        goal = PLATEAU_MIN_PER_DAY
    if goal is None or last_week_median_min is None:
        return None
    return min(goal, max(0, math.floor(last_week_median_min)) + VOLUME_STEP_MIN)


def daily_steps_target(age: int, last_week_median_steps: float | None) -> int | None:
    """Steps/day target: last week's median + 500 up to the age range's lower end."""
    if last_week_median_steps is None:
        return None
    low = step_range_for_age(age).low
    base = max(0, round(last_week_median_steps))
    if base >= low:
        return int(round(base, -2))
    return int(min(low, round(base + STEPS_STEP, -2)))
