"""Read-only views over :class:`History`: weeks, baselines, and derived safety events.

Derived events turn check-ins and walks into :class:`SafetyEvent` entries so the
single fold in :mod:`walkrx.safety.state` decides the status:

* a red-flag code in a check-in → a ``red-flag`` event, unless a recorded
  ``red-flag`` event with the same code lies within a day of it (the web layer
  usually records both);
* each start, level change and settling of flare mode → ``flare-start`` (code
  ``high``/``moderate``) or ``flare-settled`` (see :mod:`walkrx.safety.flare`);
* each check-in that escalates (see :mod:`walkrx.safety.escalation`: 4 weeks in the
  program since the start or the last clearance, whatever the adherence; or symptoms
  newly spreading down the legs at any time) → an ``escalation`` event whose code
  names the reasons.

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

from walkrx.program.levels import TEMPLATE, Level
from walkrx.program.models import CheckIn, DailyMeasure, History, Profile, Walk
from walkrx.safety.escalation import escalation_due
from walkrx.safety.events import SafetyEvent
from walkrx.safety.flare import PainObservation, flare_changes
from walkrx.safety.state import safety_state
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
    "escalation_events",
    "median_daily",
    "pain_observations",
    "screened_marker",
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
    A reported daily total (``baseline_daily_min``) is read as a daily amount: the
    highest template level whose walk length fits in it (at 30 min/day or more,
    walks of up to 45 min on 5 days, the template's end), never as seven walks.
    """
    if profile.baseline_daily_min is not None:
        per_day = profile.baseline_daily_min
        fitting = [lv for lv in TEMPLATE if lv.minutes <= per_day]
        if not fitting:
            return None
        if fitting[-1] == TEMPLATE[-1]:
            return Level(min(per_day, 45), TEMPLATE[-1].days)
        return fitting[-1]
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
    if profile.baseline_daily_min is not None:
        return float(profile.baseline_daily_min * 7)
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
        PainObservation(
            c.date,
            (c.avg_pain, c.worst_pain, c.rest_pain),
            c.flare or c.highly_flared,
            c.highly_flared,
        )
        for c in history.checkins
    ]
    obs.extend(
        PainObservation(w.date, (w.pain_before, w.pain_max, w.pain_after)) for w in history.walks
    )
    return tuple(obs)


def dated_events(
    history: History, tz: str = "UTC", profile: Profile | None = None
) -> tuple[DatedEvent, ...]:
    """Recorded and derived safety events, each with its walker-local date (module doc).

    Escalations are derived only when ``profile`` is given (they need the program start).
    """
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
    for ch in flare_changes(pain_observations(history)):
        note = f"pre-flare level {ch.pre_flare_level}/10" if ch.pre_flare_level is not None else ""
        flare_event = SafetyEvent(
            ch.kind, day_instant(ch.day, tz), code=ch.level, note=note, origin="derived"
        )
        out.append((ch.day, flare_event))
    if profile is not None:
        out.extend(escalation_events(profile, history, out))
    return tuple(out)


def screened_marker(profile: Profile, events: Iterable[DatedEvent]) -> tuple[SafetyEvent, ...]:
    """A clean screening before the program start, when the walker has answered the screen.

    Screening is a precondition of the program, not a step in its history: once answered,
    every week is read as screened. The real screening events (and their "yes" answers,
    which are red flags) stay where they are in the log.
    """
    if not any(e.kind == "screening" for _, e in events):
        return ()
    monday = profile.program_start - timedelta(days=profile.program_start.weekday())
    at = datetime.combine(monday, time(0), tzinfo=to_zone("UTC")) - timedelta(days=1)
    return (SafetyEvent("screening", at, answers=(("screened", False),), origin="derived"),)


def escalation_events(
    profile: Profile, history: History, events: Iterable[DatedEvent]
) -> tuple[DatedEvent, ...]:
    """The ``escalation`` events the check-ins call for (module doc; pure)."""
    tz = profile.tz
    log = [e for _, e in events]
    out: list[DatedEvent] = []
    previous_leg = False
    for c in sorted(history.checkins, key=lambda c: (checkin_instant(c, tz), c.date)):
        when = checkin_instant(c, tz)
        state = safety_state([e for e in log if e.at_utc <= when], tz)
        since = profile.program_start
        if state.last_clearance is not None:
            since = max(since, local_date(state.last_clearance.at_utc, tz))
        why = escalation_due(
            (c.date - since).days, c.rest_pain, c.night_pain, c.leg_symptoms, previous_leg
        )
        previous_leg = c.leg_symptoms
        if not why or state.escalated_since is not None:
            continue
        event = SafetyEvent(
            "escalation",
            when,
            code=",".join(why),
            note=f"check-in of {c.date.isoformat()}",
            origin="derived",
        )
        log.append(event)
        out.append((c.date, event))
    return tuple(out)


def derived_events(
    history: History, tz: str = "UTC", profile: Profile | None = None
) -> tuple[SafetyEvent, ...]:
    """Only the events derived from check-ins and walks (see module doc)."""
    recorded = len(history.safety_events)  # dated_events lists the recorded ones first
    return tuple(e for _, e in dated_events(history, tz, profile)[recorded:])
