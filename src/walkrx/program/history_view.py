"""Read-only views over :class:`History`: weeks, baselines, and derived safety events.

Derived events turn check-ins and walks into :class:`SafetyEvent` entries so the
single fold in :mod:`walkrx.safety.state` decides the status:

* a red-flag code in a check-in → a ``red-flag`` event, unless a recorded
  ``red-flag`` event with the same code lies within a day of it (the web layer
  usually records both);
* each local day with a pain report → ``flare-start`` (flare flagged or any
  score >= 7) or ``flare-settled`` (see :mod:`walkrx.safety.flare`).

A derived event is placed at the check-in's ``at_utc`` when given, otherwise at
23:59:59 local time of its date in the walker's zone (late, so that an ambiguous
same-day clearance does not lift it: the safer error).

Every event is also given a *local date* (:func:`dated_events`): derived events
take the date of the check-in or walk they come from; recorded events the local
date of their instant in the walker's zone. Program weeks are assigned by that
date, so a red flag reported on a Sunday evening west of UTC (already Monday in
UTC) still pauses that Sunday's week.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from walkrx.program.levels import Level
from walkrx.program.models import CheckIn, DailyMeasure, History, Profile, Walk
from walkrx.safety.events import EventKind, SafetyEvent
from walkrx.safety.flare import PainObservation, flare_by_day
from walkrx.timeutil import local_date, to_zone

__all__ = [
    "achieved_minutes",
    "baseline_level",
    "baseline_weekly_minutes",
    "DatedEvent",
    "checkin_instant",
    "dated_events",
    "day_instant",
    "derived_events",
    "median_daily",
    "pain_observations",
    "walks_between",
]

#: A safety event with the walker-local date it belongs to.
DatedEvent = tuple[date, SafetyEvent]


def day_instant(d: date, tz: str = "UTC") -> datetime:
    """The instant used for a derived event on local date ``d``: 23:59:59 local time."""
    return datetime.combine(d, time(23, 59, 59), tzinfo=to_zone(tz))


def checkin_instant(c: CheckIn, tz: str = "UTC") -> datetime:
    """When a check-in happened (its ``at_utc``, else late on its local date)."""
    return c.at_utc if c.at_utc is not None else day_instant(c.date, tz)


def walks_between(history: History, first: date, last: date) -> tuple[Walk, ...]:
    """Walks dated ``first``..``last`` inclusive, in date order."""
    return tuple(
        sorted(
            (w for w in history.walks if first <= w.date <= last),
            key=lambda w: (w.date, w.minutes),
        )
    )


def achieved_minutes(history: History, week_start: date) -> float:
    """Minutes walked (logged walks) in the week starting ``week_start``."""
    return float(
        sum(w.minutes for w in walks_between(history, week_start, week_start + timedelta(days=6)))
    )


def baseline_level(profile: Profile, history: History) -> Level | None:
    """The walker's baseline: reported, else logged walks in the 14 days before the start.

    ``None`` means "not walking regularly" (nothing reported, no walks logged).
    """
    if profile.baseline_session_min is not None and profile.baseline_days_per_week is not None:
        if profile.baseline_session_min <= 0 or profile.baseline_days_per_week <= 0:
            return None
        return Level(profile.baseline_session_min, min(7, profile.baseline_days_per_week))
    start = profile.program_start
    before = walks_between(history, start - timedelta(days=14), start - timedelta(days=1))
    if not before:
        return None
    minutes = int(statistics.median(w.minutes for w in before))
    days = len({w.date for w in before}) // 2
    return Level(minutes, days) if minutes > 0 and days > 0 else None


def baseline_weekly_minutes(profile: Profile, history: History) -> float:
    """Minutes per week before the program (the "achieved" week before week 1)."""
    if profile.baseline_session_min is not None and profile.baseline_days_per_week is not None:
        return float(
            max(0, profile.baseline_session_min) * max(0, min(7, profile.baseline_days_per_week))
        )
    start = profile.program_start
    return float(
        sum(
            w.minutes
            for w in walks_between(history, start - timedelta(days=7), start - timedelta(days=1))
        )
    )


def median_daily(
    daily: Iterable[DailyMeasure], first: date, last: date, field: str
) -> float | None:
    """Median of ``walk_min`` or ``steps`` over days ``first``..``last`` (``None`` if no data)."""
    values: list[float] = []
    for m in daily:
        if first <= m.date <= last:
            v = m.walk_min if field == "walk_min" else m.steps
            if v is not None:
                values.append(float(v))
    return statistics.median(values) if values else None


def pain_observations(history: History) -> tuple[PainObservation, ...]:
    """Every pain report (check-ins and walks) as a :class:`PainObservation`."""
    obs = [
        PainObservation(c.date, (c.avg_pain, c.worst_pain, c.rest_pain), c.flare)
        for c in history.checkins
    ]
    obs.extend(
        PainObservation(w.date, (w.pain_before, w.pain_max, w.pain_after)) for w in history.walks
    )
    return tuple(obs)


def dated_events(history: History, tz: str = "UTC") -> tuple[DatedEvent, ...]:
    """Recorded and derived safety events, each with its walker-local date (module doc)."""
    out: list[DatedEvent] = [(local_date(e.at_utc, tz), e) for e in history.safety_events]
    recorded = [(e.code, d) for d, e in out if e.kind == "red-flag"]
    for c in history.checkins:
        for code in dict.fromkeys(c.red_flags):
            covered = any(rc == code and abs((rd - c.date).days) <= 1 for rc, rd in recorded)
            if not covered:
                event = SafetyEvent(
                    "red-flag",
                    checkin_instant(c, tz),
                    code=code,
                    note="from check-in",
                    origin="derived",
                )
                out.append((c.date, event))
    for d, flare in sorted(flare_by_day(pain_observations(history)).items()):
        kind: EventKind = "flare-start" if flare else "flare-settled"
        out.append((d, SafetyEvent(kind, day_instant(d, tz), origin="derived")))
    return tuple(out)


def derived_events(history: History, tz: str = "UTC") -> tuple[SafetyEvent, ...]:
    """Only the events derived from check-ins and walks (see module doc)."""
    recorded = len(history.safety_events)  # dated_events lists the recorded ones first
    return tuple(e for _, e in dated_events(history, tz)[recorded:])
