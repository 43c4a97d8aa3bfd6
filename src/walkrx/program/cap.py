"""The cap on week-over-week jumps relative to what was actually achieved.

Rule: a planned week may total at most ::

    cap = max(FLOOR_MIN, achieved × (1 + p) + STEP_ALLOWANCE_MIN)

where ``achieved`` is the walking minutes logged in the previous program week
(for week 1: the baseline week), ``p`` is the maximum weekly increase (default
30 %: jumps above 30 %/week were associated with injury in novice runners,
Nielsen 2012/2014; the "10 % rule" is not evidence-based, Buist 2008; a
clinician may set another), ``STEP_ALLOWANCE_MIN`` = 25 min is one template
step (+5 min on each of 5 days), and ``FLOOR_MIN`` = 30 min is the week-1 level
(3 × 10 min) so that someone who achieved nothing can always restart.

Why the allowance: the seed's template takes the weekly total from 30 to 60 min early on
(3×10 = 30 → 4×15 = 60), which a pure 30 % cap would forbid; with the allowance
every template week is reachable after a fully achieved week (30→64 ≥ 60,
60→103 ≥ 100, 100→155 ≥ 125, 125→187 ≥ 150) while a missed week pulls the next
plan down to what the walker can actually do ("no weekend-warrior bursts").
"""

from __future__ import annotations

import math

__all__ = ["DEFAULT_MAX_WEEKLY_INCREASE_PCT", "FLOOR_MIN", "STEP_ALLOWANCE_MIN", "weekly_cap"]

DEFAULT_MAX_WEEKLY_INCREASE_PCT = 30.0
FLOOR_MIN = 30
STEP_ALLOWANCE_MIN = 25


def weekly_cap(achieved_min: float, max_weekly_increase_pct: float | None = None) -> int:
    """Return the most minutes a week may be planned after ``achieved_min`` were walked."""
    pct = (
        DEFAULT_MAX_WEEKLY_INCREASE_PCT
        if max_weekly_increase_pct is None
        else max_weekly_increase_pct
    )
    if not math.isfinite(achieved_min) or achieved_min < 0:
        raise ValueError(f"achieved minutes must be a finite number >= 0, got {achieved_min!r}")
    if not math.isfinite(pct) or pct < 0:
        raise ValueError(f"max weekly increase must be a finite percentage >= 0, got {pct!r}")
    return max(FLOOR_MIN, math.floor(achieved_min * (1 + pct / 100) + STEP_ALLOWANCE_MIN))
