"""Request and response schemas of the JSON API (pydantic, via django-ninja)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

Pain = Field(None, ge=0, le=10)


class Error(Schema):
    """An error: what went wrong, in words."""

    detail: str


class WalkerOut(Schema):
    """A walker's profile and safety status, and the caller's role for them."""

    name: str
    display_name: str
    role: Literal["walker", "clinician"]
    age: int
    goal: str
    conditions: list[str]
    tz: str
    start_date: dt.date
    baseline_minutes: int | None
    pain_limit: int | None
    status: str


class RoutineOut(Schema):
    """One item of the routine around a walk, with its source."""

    kind: str
    text: str
    source: str


class SessionOut(Schema):
    """One planned walk, with its routine."""

    date: dt.date
    minutes: int
    bouts: int
    bout_minutes: list[int]
    mode: str
    aids: list[str]
    terrain: str
    routine: list[RoutineOut]


class ReasonOut(Schema):
    """Why the plan is what it is, and its source."""

    text: str
    source: str


class PlanOut(Schema):
    """The plan for one program week."""

    week_start: dt.date
    week_index: int
    status: str
    urgency: str | None
    sessions: list[SessionOut]
    total_minutes: int
    daily_volume_target_min: int | None
    daily_steps_target: int | None
    pain_limit: int
    reasons: list[ReasonOut]
    notices: list[str]


class WalkOut(Schema):
    """A logged walk (``date`` is the walker's local date)."""

    id: int
    date: dt.date
    start_utc: dt.datetime
    minutes: float
    steps: int | None
    distance_m: float | None
    terrain: str
    pain_before: int | None
    pain_max: int | None
    pain_after: int | None
    talk_test: str
    source: str


class WalkIn(Schema):
    """A walk to log: its local date, length and (optionally) pain and steps."""

    date: dt.date
    minutes: float = Field(..., gt=0, le=24 * 60)
    start_time: dt.time | None = None
    steps: int | None = Field(None, ge=0)
    distance_m: float | None = Field(None, ge=0)
    pain_before: int | None = Pain
    pain_max: int | None = Pain
    pain_after: int | None = Pain
    terrain: Literal["flat", "hills", "stairs", "treadmill", "pool", "track"] = "flat"
    talk_test: Literal["", "can-sing", "can-talk", "cannot-talk"] = ""
    notes: str = Field("", max_length=2000)


class WalkLogged(Schema):
    """The stored walk and what the pain rules say about it."""

    walk: WalkOut
    feedback: list[str]
    stop: bool


class CheckInOut(Schema):
    """A weekly check-in."""

    id: int
    date: dt.date
    avg_pain: int | None
    worst_pain: int | None
    rest_pain: int | None
    night_pain: bool
    leg_symptoms: bool
    flare: bool
    recurrence: bool
    confidence: int | None
    red_flags: list[str]


class DayOut(Schema):
    """Walking on one local day: logged walks and device data (measured preferred to imported)."""

    date: dt.date
    walks: int
    walk_minutes: float
    walk_steps: int | None
    device_origin: str | None
    device_minutes: float | None
    device_steps: int | None


class SafetyOut(Schema):
    """The safety status now, as the engines decide it, with what to do."""

    status: str
    urgency: str | None
    advice: list[str]


class MeOut(Schema):
    """Who the token belongs to and which walkers it may read."""

    username: str
    role: Literal["walker", "clinician"]
    walkers: list[WalkerOut]
