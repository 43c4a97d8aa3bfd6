"""Replay the program week by week from its start: a pure function of the inputs.

For each program week, in order:

1. **Safety first.** Fold the safety log (recorded events, events derived from
   check-ins and walks, and escalations found in earlier weeks) dated up to the
   week's last local day. Paused or escalated → no sessions at all.
2. **Level.** Start from the baseline in week 1. After a pause or escalation
   has been cleared → restart level. Leaving a flare → one step back. Otherwise
   the previous week's outcome decides: pain rise → scale back; good week →
   progress; else repeat.
3. **Sessions** at that level (flare: 2–5 min walks), shaped by conditions, on
   allowed dates, then cut to the weekly cap over last week's achieved minutes.
4. **Escalation check.** With 4+ consistent weeks since the last clearance, a
   check-in in this week reporting rest pain > 4, night pain or spreading leg
   symptoms adds an ``escalation`` event; the week becomes escalated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from walkrx.evidence.types import Urgency
from walkrx.program.cap import weekly_cap
from walkrx.program.goals import target_level
from walkrx.program.history_view import (
    DatedEvent,
    achieved_minutes,
    baseline_level,
    baseline_weekly_minutes,
    checkin_instant,
    dated_events,
    walks_between,
)
from walkrx.program.levels import Level, next_level, restart_level, scale_back, start_level
from walkrx.program.models import History, Profile, Session, Status
from walkrx.program.outcome import WeekOutcome, judge_week
from walkrx.program.sessions import build_sessions
from walkrx.safety.escalation import escalation_reasons, should_escalate
from walkrx.safety.events import CLEARANCE_KINDS, SafetyEvent
from walkrx.safety.pain import DEFAULT_PAIN_LIMIT
from walkrx.safety.state import SafetyState, safety_state
from walkrx.timeutil import monday_of

__all__ = ["LevelChange", "WeekRecord", "pain_limit_of", "replay"]

#: How this week's level was reached from last week's.
LevelChange = Literal["start", "progress", "repeat", "scale-back", "restart", "after-flare", "hold"]

_PAUSING = frozenset({"red-flag", "clinician-pause", "escalation"})


@dataclass(frozen=True)
class WeekRecord:
    """Everything the engine decided about one program week."""

    index: int
    week_start: date
    state: SafetyState
    level: Level
    change: LevelChange
    cap: int
    achieved_before: float
    sessions: tuple[Session, ...]
    capped: bool
    outcome: WeekOutcome | None = None
    previous: WeekOutcome | None = None
    escalation: SafetyEvent | None = None
    consistent_weeks: int = 0

    @property
    def status(self) -> Status:
        """The week's status (safety state)."""
        return self.state.status

    @property
    def urgency(self) -> Urgency | None:
        """Urgency of the open red flags, when paused."""
        return self.state.urgency


def pain_limit_of(profile: Profile) -> int:
    """The walker's pain limit: the clinician's, else the default 3/10 (advice)."""
    lim = profile.limits.pain_limit
    return lim if lim is not None and 0 <= lim <= 10 else DEFAULT_PAIN_LIMIT


def _until(events: list[DatedEvent], last_day: date) -> list[SafetyEvent]:
    return [e for d, e in events if d <= last_day]


def replay(profile: Profile, history: History, week_start: date) -> list[WeekRecord]:
    """Replay every program week up to and including the week of ``week_start``."""
    first = monday_of(profile.program_start)
    target_week = monday_of(week_start)
    if target_week < first:
        raise ValueError(f"week {target_week} is before the program start {profile.program_start}")
    target = target_level(profile)
    limit = pain_limit_of(profile)
    tz = profile.tz
    events: list[DatedEvent] = list(dated_events(history, tz))
    level = start_level(baseline_level(profile, history), target)
    achieved_prev = baseline_weekly_minutes(profile, history)
    prev_status: Status = "active"
    prev_outcome: WeekOutcome | None = None
    consistent_weeks = 0
    records: list[WeekRecord] = []
    ws = first
    index = 1
    while ws <= target_week:
        last_day = ws + timedelta(days=6)
        state = safety_state(_until(events, last_day))
        in_window = [e for d, e in events if ws <= d <= last_day]
        cleared_now = any(e.kind in CLEARANCE_KINDS for e in in_window)
        if cleared_now:
            consistent_weeks = 0
        change: LevelChange = "start" if index == 1 else "hold"
        if index > 1 and state.walking_allowed:
            was_stopped = prev_status in ("paused", "escalated") or any(
                e.kind in _PAUSING for e in in_window
            )
            if was_stopped:
                level, change = restart_level(target), "restart"
            elif prev_status == "flare" and state.status == "active":
                level, change = scale_back(level), "after-flare"
            elif prev_status == "active" and state.status == "active" and prev_outcome is not None:
                if prev_outcome.pain_rise:
                    level, change = scale_back(level), "scale-back"
                elif prev_outcome.good:
                    level, change = next_level(level, target), "progress"
                else:
                    change = "repeat"
        cap = weekly_cap(achieved_prev, profile.limits.max_weekly_increase_pct)
        sessions: tuple[Session, ...] = ()
        capped = False
        if state.walking_allowed:
            sessions, capped = build_sessions(
                profile, ws, level, flare=state.status == "flare", cap=cap
            )
        week_walks = walks_between(history, ws, ws + timedelta(days=6))
        outcome = judge_week(len(sessions), sum(s.minutes for s in sessions), week_walks, limit)
        escalation: SafetyEvent | None = None
        if state.walking_allowed:
            count = consistent_weeks + (1 if outcome.consistent else 0)
            since = state.last_clearance.at_utc if state.last_clearance else None
            for c in sorted(history.checkins, key=lambda c: (checkin_instant(c, tz), c.date)):
                if not ws <= c.date <= last_day:
                    continue
                if since is not None and checkin_instant(c, tz) <= since:
                    continue
                if should_escalate(count, c.rest_pain, c.night_pain, c.leg_symptoms):
                    why = ", ".join(escalation_reasons(c.rest_pain, c.night_pain, c.leg_symptoms))
                    escalation = SafetyEvent(
                        "escalation",
                        checkin_instant(c, tz),
                        note=f"after {count} consistent weeks: {why}",
                        origin="derived",
                    )
                    events.append((c.date, escalation))
                    break
            if escalation is not None:
                state = safety_state(_until(events, last_day))
                if not state.walking_allowed:
                    sessions, capped = (), False
        if state.walking_allowed or escalation is not None:
            consistent_weeks += 1 if outcome.consistent else 0
        records.append(
            WeekRecord(
                index=index,
                week_start=ws,
                state=state,
                level=level,
                change=change,
                cap=cap,
                achieved_before=achieved_prev,
                sessions=sessions,
                capped=capped,
                outcome=outcome,
                previous=prev_outcome,
                escalation=escalation,
                consistent_weeks=consistent_weeks,
            )
        )
        achieved_prev = achieved_minutes(history, ws)
        prev_status = state.status
        prev_outcome = outcome
        ws += timedelta(days=7)
        index += 1
    return records
