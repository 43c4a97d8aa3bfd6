"""Build one week's sessions from a level: dates, minutes, bouts, mode, routine, cap."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Literal

from walkrx.program.levels import Level
from walkrx.program.models import Profile, Session
from walkrx.program.routine import routine_for, strength_indices
from walkrx.program.schedule import available_weekdays, pick_weekdays
from walkrx.program.shaping import earliest_session_date, session_shape, split_bouts
from walkrx.safety.flare import FLARE_MAX_MIN

__all__ = ["FLARE_MAX_DAYS", "allowed_dates", "build_sessions", "fit_to_cap", "shorten_after"]

#: At most this many flare walks a week (5 × 5 min stays under the 30-min floor cap).
FLARE_MAX_DAYS = 5
_MIN_CAPPED_SESSION = 10


def allowed_dates(profile: Profile, week_start: date) -> tuple[date, ...]:
    """Preferred dates of the week on or after the program start and any surgical limit."""
    earliest = profile.program_start
    surgical = earliest_session_date(profile)
    if surgical is not None:
        earliest = max(earliest, surgical)
    days = available_weekdays(profile.preferences.walking_weekdays)
    return tuple(
        week_start + timedelta(days=d) for d in days if week_start + timedelta(days=d) >= earliest
    )


def fit_to_cap(minutes: int, days: int, cap: int) -> tuple[int, int]:
    """Shrink (minutes, days) so that minutes × days <= cap.

    Shorter sessions first; below 10 min per session, fewer days instead.
    """
    if minutes * days <= cap or days == 0:
        return minutes, days
    per = cap // days
    if per >= min(_MIN_CAPPED_SESSION, minutes):
        return min(minutes, per), days
    days = max(1, min(days, cap // min(_MIN_CAPPED_SESSION, minutes)))
    return min(minutes, cap // days), days


def build_sessions(
    profile: Profile,
    week_start: date,
    level: Level,
    *,
    flare: Literal["high", "moderate"] | None,
    cap: int | None,
) -> tuple[tuple[Session, ...], bool]:
    """Sessions for the week, and whether the cap cut them (``cap=None``: no cap).

    A high flare plans no walks; a moderate one walks of 2-5 minutes (5 planned).
    """
    if flare == "high":
        return (), False
    dates = allowed_dates(profile, week_start)
    if flare == "moderate":
        minutes, days = FLARE_MAX_MIN, min(level.days, FLARE_MAX_DAYS)
    else:
        minutes, days = level.minutes, level.days
    days = min(days, len(dates))
    fitted_minutes, fitted_days = (minutes, days) if cap is None else fit_to_cap(minutes, days, cap)
    capped = (fitted_minutes, fitted_days) != (minutes, days)
    if fitted_minutes <= 0 or fitted_days <= 0:
        return (), capped
    weekdays = tuple(sorted({d.weekday() for d in dates}))
    chosen = pick_weekdays(fitted_days, weekdays)
    session_days = [week_start + timedelta(days=d) for d in chosen]
    shape = session_shape(profile)
    strength = strength_indices(len(session_days))
    out = tuple(
        Session(
            date=d,
            minutes=fitted_minutes,
            bouts=len(bouts),
            bout_minutes=bouts,
            mode=shape.mode,
            aids=shape.aids,
            terrain=shape.terrain,
            routine=routine_for(profile, i in strength, flare is not None, week_start),
        )
        for i, d in enumerate(session_days)
        for bouts in (split_bouts(fitted_minutes, shape.bout_cap_min, shape.split),)
    )
    return out, capped


def shorten_after(
    profile: Profile, sessions: tuple[Session, ...], day: date, minutes: int
) -> tuple[Session, ...]:
    """Sessions dated after ``day`` shortened to at most ``minutes`` (bouts re-split)."""
    shape = session_shape(profile)
    out: list[Session] = []
    for s in sessions:
        if s.date > day and s.minutes > minutes:
            bouts = split_bouts(minutes, shape.bout_cap_min, shape.split)
            s = replace(s, minutes=minutes, bouts=len(bouts), bout_minutes=bouts)
        out.append(s)
    return tuple(out)
