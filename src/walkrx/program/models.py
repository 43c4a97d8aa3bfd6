"""Inputs and outputs of the plan engine: plain, frozen, typed dataclasses.

The web layer maps its rows to :class:`Profile` and :class:`History` and calls
:func:`walkrx.program.plan_week`. Dates in ``History`` are the walker's *local*
dates, already computed (see :func:`walkrx.timeutil.local_date`).
Field names are a stable contract.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal, get_args

from walkrx.evidence.types import Urgency
from walkrx.safety.events import SafetyEvent
from walkrx.timeutil import to_zone

__all__ = [
    "Aid",
    "CheckIn",
    "ClinicianLimits",
    "Condition",
    "DailyMeasure",
    "Goal",
    "History",
    "Mode",
    "Preferences",
    "Profile",
    "Reason",
    "RoutineItem",
    "Session",
    "Status",
    "Terrain",
    "Walk",
    "WeekPlan",
]

Goal = Literal["prevent-recurrence", "relieve-pain", "lower-risk"]
Condition = Literal["spinal-stenosis", "disc-herniation", "spondylolisthesis", "microdiscectomy"]
Mode = Literal["outdoor", "track", "treadmill", "pool"]
Aid = Literal["poles", "forward-leaning-support", "rollator"]
Terrain = Literal["flat", "hills", "stairs", "treadmill", "pool", "track", "mixed"]
Status = Literal["active", "paused", "unscreened", "flare", "escalated"]
Setting = Literal["outdoor", "indoor", "either"]


def _pain(value: int | None, what: str) -> None:
    if value is not None and not 0 <= value <= 10:
        raise ValueError(f"{what} must be 0-10 on the numeric rating scale, got {value!r}")


def _minutes(value: float, what: str) -> None:
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{what} must be a finite number of minutes >= 0, got {value!r}")


@dataclass(frozen=True)
class Preferences:
    """The walker's wishes. ``walking_weekdays`` uses 0 = Monday … 6 = Sunday; empty = any."""

    walking_weekdays: tuple[int, ...] = ()
    split_sessions: bool = False
    setting: Setting = "outdoor"

    def __post_init__(self) -> None:
        """Refuse impossible weekdays and unknown settings."""
        if any(not 0 <= d <= 6 for d in self.walking_weekdays):
            raise ValueError(
                f"walking_weekdays must be 0 (Monday) to 6, got {self.walking_weekdays}"
            )
        if self.setting not in get_args(Setting):
            raise ValueError(f"setting must be one of {get_args(Setting)}, got {self.setting!r}")


@dataclass(frozen=True)
class ClinicianLimits:
    """Targets and limits a clinician may set; ``None`` means "use the default".

    These override the defaults (which are seed advice) but never a safety rule.
    """

    pain_limit: int | None = None  # stop a walk above this (0–10); default 3 (advice)
    target_minutes: int | None = None  # minutes per session to build up to
    target_days: int | None = None  # walking days per week to build up to
    max_weekly_increase_pct: float | None = None  # cap on week-over-week jumps; default 30
    bout_cap_min: int | None = None  # longest single bout
    daily_volume_target_min: int | None = None  # total daily walking target (lower-risk)
    microdiscectomy_cleared_on: date | None = None  # clinician clearance to start after surgery

    def __post_init__(self) -> None:
        """Refuse limits that cannot be meant."""
        _pain(self.pain_limit, "pain_limit")
        if self.target_days is not None and not 1 <= self.target_days <= 7:
            raise ValueError(f"target_days must be 1-7, got {self.target_days}")
        for name in ("target_minutes", "bout_cap_min", "daily_volume_target_min"):
            v = getattr(self, name)
            if v is not None and v <= 0:
                raise ValueError(f"{name} must be > 0 minutes, got {v}")
        pct = self.max_weekly_increase_pct
        if pct is not None and (not math.isfinite(pct) or pct < 0):
            raise ValueError(f"max_weekly_increase_pct must be >= 0, got {pct}")


@dataclass(frozen=True)
class Profile:
    """Who the walker is and what the plan should aim at.

    ``baseline_session_min``/``baseline_days_per_week`` are the reported
    purposeful walking before the program (``None`` = not reported).
    ``baseline_daily_min`` is a reported *total* of walking minutes per day (what
    the onboarding asks): it is read as a daily amount, never as seven walks.
    ``max_heart_rate_bpm`` enables the 50–70 % heart-rate band of the talk test.
    ``tz`` is the walker's IANA zone (``Europe/Oslo``): it places recorded safety
    events (UTC instants) on the walker's local days and weeks.
    """

    age: int
    goal: Goal
    program_start: date
    conditions: frozenset[Condition] = frozenset()
    surgery_date: date | None = None
    preferences: Preferences = field(default_factory=Preferences)
    limits: ClinicianLimits = field(default_factory=ClinicianLimits)
    baseline_session_min: int | None = None
    baseline_days_per_week: int | None = None
    max_heart_rate_bpm: int | None = None
    tz: str = "UTC"
    baseline_daily_min: int | None = None

    def __post_init__(self) -> None:
        """Refuse unknown goals, conditions and zones, and impossible numbers."""
        to_zone(self.tz)
        if self.goal not in get_args(Goal):
            raise ValueError(f"goal must be one of {get_args(Goal)}, got {self.goal!r}")
        unknown = set(self.conditions) - set(get_args(Condition))
        if unknown:
            raise ValueError(
                f"unknown condition(s) {sorted(unknown)}; known: {get_args(Condition)}"
            )
        if not 0 <= self.age <= 130:
            raise ValueError(f"age must be 0-130, got {self.age}")
        if self.baseline_daily_min is not None and not 0 <= self.baseline_daily_min <= 24 * 60:
            raise ValueError(f"baseline_daily_min must be 0-1440, got {self.baseline_daily_min}")
        if self.baseline_session_min is not None and self.baseline_session_min < 0:
            raise ValueError(f"baseline_session_min must be >= 0, got {self.baseline_session_min}")
        if self.baseline_days_per_week is not None and not 0 <= self.baseline_days_per_week <= 7:
            raise ValueError(
                f"baseline_days_per_week must be 0-7, got {self.baseline_days_per_week}"
            )


@dataclass(frozen=True)
class Walk:
    """A walk that was done, on the walker's local ``date``.

    Pains are 0–10 NRS. ``stopped_for_pain`` is the walker saying they stopped
    because pain passed their limit.
    """

    date: date
    minutes: float
    steps: int | None = None
    pain_before: int | None = None
    pain_max: int | None = None
    pain_after: int | None = None
    terrain: Terrain | None = None
    stopped_for_pain: bool = False

    def __post_init__(self) -> None:
        """Refuse negative minutes and pain outside 0-10."""
        _minutes(self.minutes, "Walk.minutes")
        _pain(self.pain_before, "pain_before")
        _pain(self.pain_max, "pain_max")
        _pain(self.pain_after, "pain_after")


@dataclass(frozen=True)
class CheckIn:
    """A (weekly) check-in on the walker's local ``date``.

    ``night_pain`` means night pain that disrupts sleep; ``leg_symptoms`` means
    symptoms spreading down the legs. ``flare`` is the walker saying the back is
    flared up; ``highly_flared`` that it is *highly* flared. ``recurrence`` is the
    answer "a new episode of activity-limiting pain". ``red_flags`` are catalogue codes.
    ``at_utc`` (optional) is the instant it was recorded; give it so that
    derived events order exactly against clearances on the same day.
    """

    date: date
    avg_pain: int | None = None
    worst_pain: int | None = None
    rest_pain: int | None = None
    night_pain: bool = False
    leg_symptoms: bool = False
    flare: bool = False
    red_flags: tuple[str, ...] = ()
    at_utc: datetime | None = None
    highly_flared: bool = False
    recurrence: bool = False

    def __post_init__(self) -> None:
        """Refuse pain outside 0-10 and a naive ``at_utc``."""
        _pain(self.avg_pain, "avg_pain")
        _pain(self.worst_pain, "worst_pain")
        _pain(self.rest_pain, "rest_pain")
        if self.at_utc is not None and self.at_utc.utcoffset() is None:
            raise ValueError("CheckIn.at_utc must be time-zone aware")


@dataclass(frozen=True)
class DailyMeasure:
    """Measured or imported walking for one local day (device or consumer data)."""

    date: date
    walk_min: float | None = None
    steps: int | None = None


@dataclass(frozen=True)
class History:
    """Everything recorded so far. Order does not matter; the engine sorts."""

    walks: tuple[Walk, ...] = ()
    checkins: tuple[CheckIn, ...] = ()
    daily: tuple[DailyMeasure, ...] = ()
    safety_events: tuple[SafetyEvent, ...] = ()


@dataclass(frozen=True)
class Reason:
    """Why the plan is what it is. ``source`` is an evidence key or ``"advice: <seed>"``."""

    text: str
    source: str

    def to_dict(self) -> dict[str, str]:
        """JSON-able form."""
        return {"text": self.text, "source": self.source}


@dataclass(frozen=True)
class RoutineItem:
    """One item of the routine around a walk (activation, form, talk test, strength)."""

    kind: Literal["pre-walk", "form", "intensity", "post-walk", "terrain"]
    text: str
    source: str

    def to_dict(self) -> dict[str, str]:
        """JSON-able form."""
        return {"kind": self.kind, "text": self.text, "source": self.source}


@dataclass(frozen=True)
class Session:
    """One planned walk on ``date``: ``minutes`` split into ``bouts`` (``bout_minutes`` each)."""

    date: date
    minutes: int
    bouts: int
    bout_minutes: tuple[int, ...]
    mode: Mode
    aids: tuple[Aid, ...]
    terrain: Terrain
    routine: tuple[RoutineItem, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        return {
            "date": self.date.isoformat(),
            "minutes": self.minutes,
            "bouts": self.bouts,
            "bout_minutes": list(self.bout_minutes),
            "mode": self.mode,
            "aids": list(self.aids),
            "terrain": self.terrain,
            "routine": [r.to_dict() for r in self.routine],
        }


@dataclass(frozen=True)
class WeekPlan:
    """The plan for one program week (Monday ``week_start``; ``week_index`` is 1-based)."""

    week_start: date
    week_index: int
    status: Status
    sessions: tuple[Session, ...]
    daily_volume_target_min: int | None
    daily_steps_target: int | None
    reasons: tuple[Reason, ...]
    notices: tuple[str, ...]
    urgency: Urgency | None = None
    pain_limit: int = 3
    sitting_break_min: tuple[int, int] = (30, 40)
    flare_level: Literal["high", "moderate"] | None = None
    open_reviews: tuple[str, ...] = ()

    @property
    def total_minutes(self) -> int:
        """Planned walking minutes in the week (sum of sessions)."""
        return sum(s.minutes for s in self.sessions)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form (dates as ISO strings)."""
        return {
            "week_start": self.week_start.isoformat(),
            "week_index": self.week_index,
            "status": self.status,
            "urgency": self.urgency,
            "flare_level": self.flare_level,
            "open_reviews": list(self.open_reviews),
            "sessions": [s.to_dict() for s in self.sessions],
            "total_minutes": self.total_minutes,
            "daily_volume_target_min": self.daily_volume_target_min,
            "daily_steps_target": self.daily_steps_target,
            "pain_limit": self.pain_limit,
            "sitting_break_min": list(self.sitting_break_min),
            "reasons": [r.to_dict() for r in self.reasons],
            "notices": list(self.notices),
        }
