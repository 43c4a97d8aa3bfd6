"""Replay the program week by week from its start: a pure function of the inputs.

For each program week, in order:

1. **Safety first.** Fold the safety log (recorded events and the events derived
   from check-ins and walks: red flags, flare changes, escalations) dated up to the
   week's last local day. Paused, unscreened or escalated → no sessions at all.
2. **Level.** Start from the baseline in week 1 (or in the week the walker is
   first screened). After a pause or escalation has been cleared → restart level.
   A week with a flare → hold (no progression); the week after it → one step back.
   Otherwise last week's outcome decides: pain rise > 2 → scale back; a walk over
   the limit or a rise of 2 → repeat; a good week → progress (the template's next
   step in weeks 1–5; a day *or* minutes after); else repeat.
3. **Sessions** at that level (moderate flare: 2–5 min walks; high flare: none),
   shaped by conditions, on allowed dates; from week 6 on, cut to the weekly cap
   over last week's achieved minutes (weeks 1–5 follow the template as written).
4. **This week's pain.** After a walk whose pain rose more than 2 points, the
   week's later sessions are scaled back at once, not next week.

Screening is a precondition of the program, not a step in its history: once the
walker has answered the red-flag screen, every week is read as screened (the
"yes" answers are red flags dated when they were given). Until then, every week
is unscreened.
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
    dated_events,
    pain_observations,
    screened_marker,
    walks_between,
)
from walkrx.program.levels import (
    TEMPLATE_WEEKS,
    Level,
    next_level,
    restart_level,
    scale_back,
    start_level,
)
from walkrx.program.models import History, Profile, Session, Status
from walkrx.program.outcome import WeekOutcome, judge_week
from walkrx.program.sessions import build_sessions, shorten_after
from walkrx.safety.events import CLEARANCE_KINDS, SafetyEvent
from walkrx.safety.flare import flare_changes
from walkrx.safety.pain import DEFAULT_PAIN_LIMIT, pain_verdict
from walkrx.safety.state import SafetyState, safety_state
from walkrx.timeutil import monday_of

__all__ = ["LevelChange", "WeekRecord", "pain_limit_of", "replay"]

#: How this week's level was reached from last week's.
LevelChange = Literal[
    "start",
    "progress",
    "at-target",
    "repeat",
    "scale-back",
    "restart",
    "after-flare",
    "after-flare-hold",
    "hold",
    "flare-hold",
]

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
    cap_applies: bool = False
    scaled_back_on: date | None = None
    scaled_minutes: int | None = None
    pre_flare_level: int | None = None
    template_week: bool = False
    previous_level: Level | None = None

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


def _first_rise(history: History, first: date, last: date, limit: int) -> date | None:
    for w in walks_between(history, first, last):
        if w.minutes > 0 and pain_verdict(w.pain_before, w.pain_after, w.pain_max, limit) == (
            "scale-back"
        ):
            return w.date
    return None


def replay(profile: Profile, history: History, week_start: date) -> list[WeekRecord]:
    """Replay every program week up to and including the week of ``week_start``."""
    first = monday_of(profile.program_start)
    target_week = monday_of(week_start)
    if target_week < first:
        raise ValueError(f"week {target_week} is before the program start {profile.program_start}")
    target = target_level(profile)
    limit = pain_limit_of(profile)
    tz = profile.tz
    events: list[DatedEvent] = list(dated_events(history, tz, profile))
    screened = screened_marker(profile, events)
    changes = flare_changes(pain_observations(history))
    level = start_level(baseline_level(profile, history), target)
    achieved_prev = baseline_weekly_minutes(profile, history)
    prev_status: Status = "active"
    prev_outcome: WeekOutcome | None = None
    prev_had_flare = False
    stepped_back = False
    consistent_weeks = 0
    records: list[WeekRecord] = []
    ws = first
    index = 1
    while ws <= target_week:
        last_day = ws + timedelta(days=6)
        state = safety_state([*screened, *_until(events, last_day)], tz)
        in_window = [e for d, e in events if ws <= d <= last_day]
        if any(e.kind in CLEARANCE_KINDS for e in in_window):
            consistent_weeks = 0
        had_flare = state.status == "flare" or any(
            e.kind in ("flare-start", "flare-settled") for e in in_window
        )
        if any(e.kind == "flare-start" for e in in_window):
            stepped_back = False
        template_week = index <= TEMPLATE_WEEKS
        change: LevelChange = "start" if index == 1 else "hold"
        level_before = level
        if index > 1 and state.walking_allowed:
            was_stopped = prev_status in ("paused", "escalated") or any(
                e.kind in _PAUSING for e in in_window
            )
            if prev_status == "unscreened":
                level, change = start_level(baseline_level(profile, history), target), "start"
            elif was_stopped:
                level, change = restart_level(target), "restart"
            elif state.status == "flare":
                change = "flare-hold"
            elif (prev_status == "flare" or had_flare) and not stepped_back:
                level, change = scale_back(level), "after-flare"
                stepped_back = True
            elif prev_had_flare:
                change = "after-flare-hold"  # last week was part flare: not judged
            elif prev_outcome is not None and prev_outcome.planned_sessions > 0:
                if prev_outcome.pain_rise:
                    level, change = scale_back(level), "scale-back"
                elif prev_outcome.good:
                    nxt = next_level(level, target, template_week)
                    change = "progress" if nxt != level else "at-target"
                    level = nxt
                else:
                    change = "repeat"
        cap_applies = not template_week
        cap = weekly_cap(achieved_prev, profile.limits.max_weekly_increase_pct)
        sessions: tuple[Session, ...] = ()
        capped = False
        scaled_on: date | None = None
        scaled_minutes: int | None = None
        if state.walking_allowed:
            sessions, capped = build_sessions(
                profile,
                ws,
                level,
                flare=state.flare_level,
                cap=cap if cap_applies else None,
            )
            if state.status == "active":
                rise_on = _first_rise(history, ws, last_day, limit)
                if rise_on is not None:
                    shorter = shorten_after(profile, sessions, rise_on, scale_back(level).minutes)
                    if shorter != sessions:  # only a rule that changed the plan is reported
                        sessions, scaled_on = shorter, rise_on
                        scaled_minutes = scale_back(level).minutes
        week_walks = walks_between(history, ws, last_day)
        outcome = judge_week(len(sessions), sum(s.minutes for s in sessions), week_walks, limit)
        if state.walking_allowed:
            consistent_weeks += 1 if outcome.consistent else 0
        pre = None
        for ch in changes:
            if ch.day <= last_day:
                pre = ch.pre_flare_level
        escalation = next(
            (e for e in in_window if e.kind == "escalation" and e.origin == "derived"), None
        )
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
                cap_applies=cap_applies,
                scaled_back_on=scaled_on,
                scaled_minutes=scaled_minutes,
                pre_flare_level=pre,
                template_week=template_week,
                previous_level=level_before if index > 1 else None,
            )
        )
        achieved_prev = achieved_minutes(history, ws)
        prev_status = state.status
        prev_outcome = outcome if state.walking_allowed else None
        prev_had_flare = had_flare
        ws += timedelta(days=7)
        index += 1
    return records
