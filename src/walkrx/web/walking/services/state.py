"""The walker's safety state and plan: stored rows in, engine results out (no rules here)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from walkrx import program, safety
from walkrx.timeutil import monday_of

from ..models import PlanSnapshot, Walker
from ._common import ServiceError, local_today


def build_profile(walker: Walker) -> program.Profile:
    """The engine's view of the walker."""
    prefs = walker.preferences or {}
    baseline = walker.baseline_minutes  # reported minutes of walking per day
    return program.Profile(
        age=walker.age,
        goal=walker.goal,  # type: ignore[arg-type]
        program_start=walker.start_date,
        conditions=frozenset(walker.conditions or ()),
        surgery_date=walker.surgery_date,
        preferences=program.Preferences(
            walking_weekdays=tuple(int(d) for d in prefs.get("walking_weekdays", ())),
            split_sessions=bool(prefs.get("split_sessions", False)),
            setting=prefs.get("setting", "outdoor"),
        ),
        limits=program.ClinicianLimits(
            pain_limit=walker.pain_limit,
            target_minutes=walker.target_minutes,
            target_days=walker.target_days,
            max_weekly_increase_pct=(
                float(walker.max_weekly_increase_pct)
                if walker.max_weekly_increase_pct is not None
                else None
            ),
            bout_cap_min=walker.bout_cap_min,
            microdiscectomy_cleared_on=walker.surgery_cleared_on,
        ),
        max_heart_rate_bpm=walker.max_hr,
        tz=walker.tz,
        baseline_daily_min=baseline,
    )


def safety_log(walker: Walker) -> tuple[safety.SafetyEvent, ...]:
    """The walker's stored safety events as the engine's :class:`walkrx.safety.SafetyEvent`."""
    return _safety_events(walker)


def _safety_events(walker: Walker) -> tuple[safety.SafetyEvent, ...]:
    return tuple(
        safety.SafetyEvent(
            kind=e.kind,  # type: ignore[arg-type]
            at_utc=e.at_utc,
            code=e.code or None,
            urgency=(e.urgency or None),  # type: ignore[arg-type]
            by=e.by,
            note=e.note,
            answers=tuple(sorted((str(k), bool(v)) for k, v in (e.answers or {}).items())),
            assessed_on=e.assessed_on,
            assessed_by=e.assessed_by,
        )
        for e in walker.safety_events.all()
    )


def build_history(walker: Walker, until: dt.date | None = None) -> program.History:
    """Everything stored for the walker, as engine inputs (local dates)."""
    walks = walker.walks.all()
    checkins = walker.checkins.all()
    days = walker.days.exclude(origin="manual")
    if until is not None:
        walks = walks.filter(local_date__lte=until)
        checkins = checkins.filter(date__lte=until)
        days = days.filter(date__lte=until)
    daily: dict[dt.date, program.DailyMeasure] = {}
    # A measured day (research sensor) is preferred over an imported one for the same date.
    for d in sorted(days, key=lambda d: (d.date, d.origin != "measured")):
        if d.date not in daily and (d.valid_day is not False):
            daily[d.date] = program.DailyMeasure(date=d.date, walk_min=d.walk_min, steps=d.steps)
    return program.History(
        walks=tuple(
            program.Walk(
                date=w.local_date,
                minutes=w.minutes,
                steps=w.steps,
                pain_before=w.pain_before,
                pain_max=w.pain_max,
                pain_after=w.pain_after,
                terrain=w.terrain,  # type: ignore[arg-type]
            )
            for w in walks
        ),
        checkins=tuple(
            program.CheckIn(
                date=c.date,
                avg_pain=c.avg_pain,
                worst_pain=c.worst_pain,
                rest_pain=c.rest_pain,
                night_pain=c.night_pain,
                leg_symptoms=c.leg_symptoms,
                flare=c.flare,
                highly_flared=c.highly_flared,
                recurrence=c.recurrence,
                red_flags=tuple(c.red_flags or ()),
                at_utc=c.created_at,
            )
            for c in checkins
        ),
        daily=tuple(daily.values()),
        safety_events=_safety_events(walker),
    )


@dataclass(frozen=True)
class WalkerState:
    """The walker's safety status now, as decided by the engines."""

    status: str
    urgency: str | None
    advice: tuple[str, ...]
    plan: program.WeekPlan


def current_state(walker: Walker, today: dt.date | None = None) -> WalkerState:
    """The walker's status for the week of ``today`` (default: the walker's today).

    The plan engine replays the whole history (red flags, clearances, flares,
    escalation) so its status is the single source of truth.
    """
    day = max(today or local_today(walker.tz), walker.start_date)
    plan = program.plan_week(build_profile(walker), build_history(walker), monday_of(day))
    recorded = safety.safety_state(_safety_events(walker), walker.tz)
    # The recorded log outranks: a pause recorded now holds even for a past week.
    if recorded.status == "paused":
        return WalkerState("paused", recorded.urgency, recorded.advice, plan)
    if recorded.status == "escalated" and plan.status != "paused":
        return WalkerState("escalated", None, recorded.advice, plan)
    advice = plan.notices if plan.notices else (safety.NOT_A_DIAGNOSIS,)
    return WalkerState(plan.status, plan.urgency, tuple(advice), plan)


def plan_for(walker: Walker, day: dt.date) -> program.WeekPlan:
    """The plan for the week that contains ``day``; the snapshot is kept (SEQUENCE grows on change)."""
    week_start = monday_of(day)
    if week_start < monday_of(walker.start_date):
        raise ServiceError(
            f"the week of {day.isoformat()} is before {walker.name}'s program start "
            f"({walker.start_date.isoformat()})"
        )
    plan = program.plan_week(build_profile(walker), build_history(walker), week_start)
    _snapshot(walker, plan)
    return plan


def _snapshot(walker: Walker, plan: program.WeekPlan) -> None:
    data = plan.to_dict()
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    snap = PlanSnapshot.objects.filter(walker=walker, week_start=plan.week_start).first()
    if snap is None:
        try:
            with transaction.atomic():
                PlanSnapshot.objects.create(
                    walker=walker, week_start=plan.week_start, plan=data, digest=digest
                )
            return
        except IntegrityError:  # another request (thread or process) stored it just now
            snap = PlanSnapshot.objects.get(walker=walker, week_start=plan.week_start)
    if snap.digest != digest:
        snap.plan, snap.digest, snap.sequence = data, digest, snap.sequence + 1
        snap.save(update_fields=["plan", "digest", "sequence", "updated_at"])


def state_with_plan(walker: Walker, day: dt.date) -> WalkerState:
    """The safety state and the week's plan from one engine run; the plan snapshot is kept."""
    state = current_state(walker, day)
    _snapshot(walker, state.plan)
    return state


def _state_dict(state: WalkerState) -> dict[str, Any]:
    return {"status": state.status, "urgency": state.urgency, "advice": list(state.advice)}


def status_of(walker: Walker, today: dt.date | None = None) -> dict[str, Any]:
    """Safety status, this week's plan in brief, and the safety log."""
    state = current_state(walker, today)
    week = state.plan
    done = walker.walks.filter(
        local_date__gte=week.week_start, local_date__lt=week.week_start + dt.timedelta(days=7)
    )
    recurrence = program.recurrence_summary(
        build_profile(walker),
        build_history(walker),
        max(today or local_today(walker.tz), walker.start_date),
    )
    return _state_dict(state) | {
        "name": walker.name,
        "flare_level": week.flare_level,
        "open_reviews": list(week.open_reviews),
        "reasons": [r.to_dict() for r in week.reasons],
        "recurrence": recurrence,
        "days_free_of_recurrence": recurrence["days_free_of_recurrence"],
        "week_start": week.week_start.isoformat(),
        "week_index": week.week_index,
        "planned_sessions": len(week.sessions),
        "planned_minutes": week.total_minutes,
        "walks_this_week": done.count(),
        "minutes_this_week": round(sum(w.minutes for w in done), 1),
        "safety_log": [
            {
                "kind": e.kind,
                "code": e.code,
                "urgency": e.urgency,
                "at_utc": e.at_utc.isoformat(),
                "by": e.by,
                "note": e.note,
            }
            for e in walker.safety_events.all()
        ],
    }


def recorded_safety(walker: Walker) -> dict[str, Any]:
    """The safety state folded over the recorded log only (cheap: shown on every page)."""
    state = safety.safety_state(_safety_events(walker), walker.tz)
    return {
        "status": state.status,
        "urgency": state.urgency,
        "advice": list(state.advice),
        "open_red_flags": list(state.open_red_flags),
    }
