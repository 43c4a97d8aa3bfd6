"""``plan_week``: the public entry point of the plan engine (pure, deterministic)."""

from __future__ import annotations

from datetime import date, timedelta

from walkrx.program.goals import daily_steps_target, daily_volume_target
from walkrx.program.history_view import dated_events, median_daily, screened_marker
from walkrx.program.models import History, Profile, Reason, WeekPlan
from walkrx.program.reasons import goal_reasons, level_reasons, notices_for, safety_reasons
from walkrx.program.replay import WeekRecord, pain_limit_of, replay
from walkrx.program.shaping import condition_reasons, earliest_session_date, session_shape
from walkrx.program.sources import adv
from walkrx.safety.events import SafetyEvent
from walkrx.timeutil import monday_of

__all__ = ["plan_week", "replay_weeks", "safety_timeline"]


def replay_weeks(profile: Profile, history: History, week_start: date) -> list[WeekRecord]:
    """Every program week's decisions up to ``week_start`` (for reports and tests)."""
    return replay(profile, history, week_start)


def plan_week(profile: Profile, history: History, week_start: date) -> WeekPlan:
    """Plan the program week that contains ``week_start`` (normalised to its Monday).

    Pure: replays the history from the program start; no clock, no randomness,
    no I/O. Safety outranks everything: paused or escalated weeks have no sessions.
    Raises ``ValueError`` for a week before the program start.
    """
    records = replay(profile, history, week_start)
    rec = records[-1]
    ws = rec.week_start
    limit = pain_limit_of(profile)
    walking = rec.state.walking_allowed
    volume = steps = None
    if walking and rec.status == "active":
        prev_first, prev_last = ws - timedelta(days=7), ws - timedelta(days=1)
        volume = daily_volume_target(
            profile, median_daily(history.daily, prev_first, prev_last, "walk_min")
        )
        steps = daily_steps_target(
            profile.age, median_daily(history.daily, prev_first, prev_last, "steps")
        )
    reasons = list(safety_reasons(rec))
    if walking:
        if rec.status == "active":
            reasons.extend(level_reasons(rec, profile, limit))
        reasons.extend(condition_reasons(profile, session_shape(profile)))
        earliest = earliest_session_date(profile)
        if not rec.sessions and earliest is not None and date.max > earliest > ws:
            reasons.append(
                Reason(
                    f"No walks before {earliest.isoformat()}: after your operation, walks start "
                    "14 days after it and once your surgeon or clinician has cleared you.",
                    adv("microdiscectomy-treadmill"),
                )
            )
        reasons.extend(goal_reasons(rec, profile, volume))
    return WeekPlan(
        week_start=ws,
        week_index=rec.index,
        status=rec.status,
        sessions=rec.sessions,
        daily_volume_target_min=volume,
        daily_steps_target=steps,
        reasons=tuple(reasons),
        notices=notices_for(rec),
        urgency=rec.urgency,
        pain_limit=limit,
        flare_level=rec.state.flare_level if rec.status == "flare" else None,
        open_reviews=rec.state.open_reviews,
    )


def safety_timeline(
    profile: Profile, history: History, week_start: date
) -> tuple[SafetyEvent, ...]:
    """The safety log the engine folds for a week: recorded, derived and escalation events.

    Events dated (walker-local) up to the end of the week of ``week_start``, and the
    screening marker when the walker has answered the screen (see
    :func:`~walkrx.program.history_view.screened_marker`). Fold it with
    :func:`walkrx.safety.safety_state` (and the walker's zone) to get the same status
    as :func:`plan_week` for that week.
    """
    last_day = monday_of(week_start) + timedelta(days=6)
    events = dated_events(history, profile.tz, profile)
    return screened_marker(profile, events) + tuple(e for d, e in events if d <= last_day)
