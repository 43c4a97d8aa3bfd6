"""Service layer: maps stored rows to the pure engines and back. No clinical rules here.

Every function that changes data runs in one transaction. Safety decisions come
from :mod:`walkrx.safety`, plans from :mod:`walkrx.program`; this module only
collects the inputs, records the results, and refuses logging while paused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from walkrx import program, safety
from walkrx.safety.pain import PAIN_FEEDBACK, is_flare_pain
from walkrx.timeutil import local_date, monday_of

from .models import CheckIn, DailyActivity, PlanSnapshot, SafetyEvent, Walk, Walker


class ServiceError(Exception):
    """A request the service layer cannot carry out; the message says why."""


class WalkerPaused(ServiceError):
    """Refused because the walker's program is paused or escalated for safety."""


def local_today(tz: str) -> dt.date:
    """Today's date in the zone ``tz``."""
    return timezone.now().astimezone(ZoneInfo(tz)).date()


def get_walker(name: str) -> Walker:
    """The walker called ``name``."""
    try:
        return Walker.objects.get(name=name)
    except Walker.DoesNotExist:
        raise ServiceError(f"no walker called {name!r} (see 'walkrx walker list')") from None


def list_walkers() -> list[Walker]:
    """All walkers."""
    return list(Walker.objects.all())


@transaction.atomic
def create_walker(
    *,
    name: str,
    age: int,
    goal: str,
    tz: str,
    start_date: dt.date,
    conditions: Iterable[str] = (),
    surgery_date: dt.date | None = None,
    baseline_minutes: int | None = None,
    baseline_steps: int | None = None,
    pain_limit: int | None = None,
    target_minutes: int | None = None,
    target_days: int | None = None,
    display_name: str = "",
    user: AbstractBaseUser | None = None,
    preferences: Mapping[str, Any] | None = None,
) -> Walker:
    """Create a walker after validating every field."""
    if Walker.objects.filter(name=name).exists():
        raise ServiceError(f"a walker called {name!r} already exists")
    conds = sorted(set(conditions))
    if "microdiscectomy" in conds and surgery_date is None:
        raise ServiceError("microdiscectomy needs --surgery-date (the date of the operation)")
    walker = Walker(
        name=name,
        display_name=display_name,
        age=age,
        goal=goal,
        tz=tz,
        start_date=start_date,
        conditions=conds,
        surgery_date=surgery_date,
        baseline_minutes=baseline_minutes,
        baseline_steps=baseline_steps,
        pain_limit=pain_limit,
        target_minutes=target_minutes,
        target_days=target_days,
        preferences=dict(preferences or {}),
        user=user,
    )
    _validate(walker)
    walker.save()
    return walker


def _validate(obj: Any) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        parts = [f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()]
        raise ServiceError("; ".join(parts)) from None


# --------------------------------------------------------------------------- engines


def build_profile(walker: Walker) -> program.Profile:
    """The engine's view of the walker."""
    prefs = walker.preferences or {}
    baseline = walker.baseline_minutes
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
            microdiscectomy_cleared_on=walker.surgery_cleared_on,
        ),
        tz=walker.tz,
        baseline_session_min=baseline,
        baseline_days_per_week=(7 if baseline else 0) if baseline is not None else None,
    )


def _safety_events(walker: Walker) -> tuple[safety.SafetyEvent, ...]:
    return tuple(
        safety.SafetyEvent(
            kind=e.kind,  # type: ignore[arg-type]
            at_utc=e.at_utc,
            code=e.code or None,
            urgency=(e.urgency or None),  # type: ignore[arg-type]
            by=e.by,
            note=e.note,
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
    recorded = safety.safety_state(_safety_events(walker))
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
        PlanSnapshot.objects.create(
            walker=walker, week_start=plan.week_start, plan=data, digest=digest
        )
    elif snap.digest != digest:
        snap.plan, snap.digest, snap.sequence = data, digest, snap.sequence + 1
        snap.save(update_fields=["plan", "digest", "sequence", "updated_at"])


@dataclass
class WalkOutcome:
    """A logged walk and what the pain rules say about it."""

    walk: Walk
    feedback: list[str] = field(default_factory=list)
    stop: bool = False
    sources: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        w = self.walk
        return {
            "id": w.pk,
            "date": w.local_date.isoformat(),
            "start_utc": w.start_utc.isoformat(),
            "minutes": w.minutes,
            "steps": w.steps,
            "pain_before": w.pain_before,
            "pain_max": w.pain_max,
            "pain_after": w.pain_after,
            "terrain": w.terrain,
            "feedback": self.feedback,
            "stop": self.stop,
            "sources": self.sources,
        }


@transaction.atomic
def log_walk(
    walker: Walker,
    *,
    local_date: dt.date,
    minutes: float,
    start_time: dt.time | None = None,
    steps: int | None = None,
    distance_m: float | None = None,
    pain_before: int | None = None,
    pain_max: int | None = None,
    pain_after: int | None = None,
    terrain: str = "flat",
    talk_test: str = "",
    notes: str = "",
    source: str = "manual",
) -> WalkOutcome:
    """Record a walk. Refused while the walker is paused or escalated for safety."""
    walker = Walker.objects.select_for_update().get(pk=walker.pk)
    today = local_today(walker.tz)
    if local_date > today:
        raise ServiceError(
            f"walk date {local_date.isoformat()} is in the future (today is {today.isoformat()} "
            f"in {walker.tz}); log walks after they happen"
        )
    state = current_state(walker, today)
    if state.status in ("paused", "escalated"):
        raise WalkerPaused(
            f"{walker.name}'s walking program is {state.status} for safety"
            f"{' (' + state.urgency + ')' if state.urgency else ''}; "
            "a clinician's clearance (walkrx clear) is needed before walks are logged"
        )
    zone = ZoneInfo(walker.tz)
    start_local = dt.datetime.combine(local_date, start_time or dt.time(12, 0)).replace(tzinfo=zone)
    # A wall time that does not exist (spring-forward gap) is moved forward by zoneinfo's rules;
    # the instant is then normalised to UTC and its local date re-derived from it.
    start_utc = start_local.astimezone(dt.UTC)
    walk = Walk(
        walker=walker,
        start_utc=start_utc,
        tz=walker.tz,
        local_date=_local_date(start_utc, walker.tz),
        minutes=minutes,
        steps=steps,
        distance_m=distance_m,
        pain_before=pain_before,
        pain_max=pain_max,
        pain_after=pain_after,
        terrain=terrain,
        talk_test=talk_test,
        notes=notes,
        source=source,
    )
    _validate(walk)
    walk.save()
    feedback = _walk_feedback(walker, walk)
    return feedback


def _local_date(instant: dt.datetime, tz: str) -> dt.date:
    return local_date(instant, tz)


@transaction.atomic
def store_measured_days(
    walker_name: str, days: Iterable[Mapping[str, Any]], source_file: str = ""
) -> dict[str, int]:
    """Store per-day results of a sensor measurement as the walker's measured walking.

    ``days`` are rows with ``date`` (ISO string or date), ``walk_min``, ``steps``,
    ``mean_met``, ``wear_min``, ``valid_day``. A later measurement of the same day
    replaces the earlier one. Returns counts of days added, updated and unchanged.
    """
    walker = get_walker(walker_name)
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    for row in days:
        day = row["date"]
        if isinstance(day, str):
            try:
                day = dt.date.fromisoformat(day)
            except ValueError:
                raise ServiceError(f"{source_file or 'measurement'}: bad date {day!r}") from None
        values = {
            "steps": _opt_int(row.get("steps")),
            "walk_min": _opt_float(row.get("walk_min")),
            "mean_met": _opt_float(row.get("mean_met")),
            "wear_min": _opt_float(row.get("wear_min")),
            "valid_day": None if row.get("valid_day") is None else bool(row.get("valid_day")),
            "source_file": source_file[:255],
        }
        existing = DailyActivity.objects.filter(walker=walker, date=day, origin="measured").first()
        if existing is None:
            DailyActivity.objects.create(walker=walker, date=day, origin="measured", **values)
            counts["added"] += 1
        elif any(getattr(existing, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(existing, k, v)
            existing.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts


def _opt_float(v: Any) -> float | None:
    if v is None:
        return None
    f = float(v)
    return None if f != f else f  # NaN -> None


def _opt_int(v: Any) -> int | None:
    f = _opt_float(v)
    return None if f is None else int(round(f))


def walker_dict(walker: Walker) -> dict[str, Any]:
    """A walker's settings and current status, JSON-able."""
    state = current_state(walker)
    return {
        "name": walker.name,
        "age": walker.age,
        "goal": walker.goal,
        "conditions": list(walker.conditions or []),
        "surgery_date": walker.surgery_date.isoformat() if walker.surgery_date else None,
        "tz": walker.tz,
        "start_date": walker.start_date.isoformat(),
        "baseline_minutes": walker.baseline_minutes,
        "pain_limit": walker.pain_limit,
        "status": state.status,
    }


def _walk_feedback(walker: Walker, walk: Walk) -> WalkOutcome:
    """Apply the pain rules to a walk that was just logged."""
    limit = walker.pain_limit if walker.pain_limit is not None else safety.DEFAULT_PAIN_LIMIT
    verdict = safety.pain_verdict(walk.pain_before, walk.pain_after, walk.pain_max, limit)
    text, source = PAIN_FEEDBACK[verdict]
    if verdict in ("stop-limit", "scale-back"):
        text += f" (Your pain limit is {limit}/10.)"
    feedback = [text]
    stop = verdict in ("scale-back", "stop-limit")
    peak = max((p for p in (walk.pain_max, walk.pain_after) if p is not None), default=None)
    if verdict == "scale-back" and peak is not None and peak > limit:
        feedback.append(f"Pain also went above your limit of {limit}/10: stop a walk when it does.")
    if is_flare_pain(peak):
        feedback.append(
            "Pain of 7/10 or more means a flare-up: rest from long walks, use ice or heat for "
            "relief, and keep to short gentle walks of 2–5 minutes until it settles."
        )
    feedback.append(safety.NOT_A_DIAGNOSIS)
    return WalkOutcome(walk=walk, feedback=feedback, stop=stop, sources=[source])


@transaction.atomic
def record_checkin(
    walker: Walker,
    *,
    date: dt.date,
    avg_pain: int | None = None,
    worst_pain: int | None = None,
    rest_pain: int | None = None,
    night_pain: bool = False,
    leg_symptoms: bool = False,
    flare: bool = False,
    recurrence: bool = False,
    confidence: int | None = None,
    red_flags: Iterable[str] = (),
) -> dict[str, Any]:
    """Record a check-in. Each red flag is logged as a safety event and pauses at once."""
    walker = Walker.objects.select_for_update().get(pk=walker.pk)
    codes = list(dict.fromkeys(red_flags))
    unknown = [c for c in codes if c not in safety.RED_FLAGS]
    if unknown:
        raise ServiceError(
            f"unknown red-flag code(s) {', '.join(map(repr, unknown))}; "
            "see 'walkrx redflags' for the list"
        )
    checkin = CheckIn(
        walker=walker,
        date=date,
        avg_pain=avg_pain,
        worst_pain=worst_pain,
        rest_pain=rest_pain,
        night_pain=night_pain,
        leg_symptoms=leg_symptoms,
        flare=flare,
        recurrence=recurrence,
        confidence=confidence,
        red_flags=codes,
    )
    _validate(checkin)
    checkin.save()
    now = timezone.now()
    for code in codes:
        flag = safety.red_flag(code)
        SafetyEvent.objects.create(
            walker=walker,
            kind="red-flag",
            code=code,
            urgency=flag.urgency,
            at_utc=now,
            by="walker",
            note=f"check-in {date.isoformat()}",
        )
    state = current_state(walker)
    if state.status == "escalated" and not _open_escalation_logged(walker):
        SafetyEvent.objects.create(
            walker=walker,
            kind="escalation",
            at_utc=now,
            by="walkrx",
            note=f"derived from the check-in of {date.isoformat()}",
        )
    return _state_dict(state) | {"checkin_id": checkin.pk, "date": date.isoformat()}


def _open_escalation_logged(walker: Walker) -> bool:
    last_clear = (
        walker.safety_events.filter(kind__in=sorted(safety.CLEARANCE_KINDS))
        .order_by("-at_utc")
        .first()
    )
    esc = walker.safety_events.filter(kind="escalation")
    if last_clear is not None:
        esc = esc.filter(at_utc__gt=last_clear.at_utc)
    return esc.exists()


def _state_dict(state: WalkerState) -> dict[str, Any]:
    return {"status": state.status, "urgency": state.urgency, "advice": list(state.advice)}


@transaction.atomic
def clear_walker(walker: Walker, *, by: str, note: str) -> dict[str, Any]:
    """Record a clearance that resumes a paused or escalated walker.

    ``by="self"`` records the walker's own confirmation of a medical review (for a
    walker with no clinician); any other ``by`` is a clinician's clearance.
    """
    walker = Walker.objects.select_for_update().get(pk=walker.pk)
    if not by.strip() or not note.strip():
        raise ServiceError("a clearance needs who cleared (--by) and a note (--note)")
    state = current_state(walker)
    if state.status not in ("paused", "escalated"):
        raise ServiceError(f"nothing to clear: {walker.name} is {state.status}, not paused")
    kind = "medical-review-confirmed" if by.strip().lower() == "self" else "clinician-clearance"
    if kind == "medical-review-confirmed" and walker.clinician_id is not None:
        raise ServiceError(
            f"{walker.name} has a clinician: only the clinician's clearance resumes the program"
        )
    SafetyEvent.objects.create(walker=walker, kind=kind, at_utc=timezone.now(), by=by, note=note)
    return _state_dict(current_state(walker))


def status_of(walker: Walker, today: dt.date | None = None) -> dict[str, Any]:
    """Safety status, this week's plan in brief, and the safety log."""
    state = current_state(walker, today)
    week = state.plan
    done = walker.walks.filter(
        local_date__gte=week.week_start, local_date__lt=week.week_start + dt.timedelta(days=7)
    )
    return _state_dict(state) | {
        "name": walker.name,
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


# =========================================================================== walker web app
# Queries for the walker's pages (issue 5). Read-only aggregates plus the erasure path;
# no clinical rules: statuses come from the safety engine, bands from walkrx.evidence.


def recorded_safety(walker: Walker) -> dict[str, Any]:
    """The safety state folded over the recorded log only (cheap: shown on every page)."""
    state = safety.safety_state(_safety_events(walker))
    return {"status": state.status, "urgency": state.urgency, "advice": list(state.advice)}


@transaction.atomic
def mark_onboarded(walker: Walker) -> None:
    """Record that onboarding finished."""
    Walker.objects.filter(pk=walker.pk).update(onboarded=True)
    walker.onboarded = True


def walk_feedback(walker: Walker, walk: Walk) -> WalkOutcome:
    """What the pain rules say about a stored walk (the same text as when it was logged)."""
    return _walk_feedback(walker, walk)


def latest_plan_snapshot(walker: Walker, day: dt.date) -> dict[str, Any] | None:
    """The stored plan of the week containing ``day`` (or the latest before), without replanning."""
    snap = (
        PlanSnapshot.objects.filter(walker=walker, week_start__lte=day)
        .order_by("-week_start")
        .values("plan")
        .first()
    )
    return None if snap is None else dict(snap["plan"])


def daily_walking(walker: Walker, start: dt.date, end: dt.date) -> dict[dt.date, dict[str, Any]]:
    """Per local day in ``[start, end]``: logged walk minutes and count, device minutes and steps.

    Two aggregate queries; a measured day is preferred over an imported one (as in the plan).
    """
    from django.db.models import Count, Sum

    out: dict[dt.date, dict[str, Any]] = {}
    for row in (
        Walk.objects.filter(walker=walker, local_date__gte=start, local_date__lte=end)
        .values("local_date")
        .annotate(minutes=Sum("minutes"), walks=Count("id"), steps=Sum("steps"))
    ):
        out.setdefault(row["local_date"], {}).update(
            walk_minutes=row["minutes"] or 0.0, walks=row["walks"], walk_steps=row["steps"]
        )
    rows = (
        DailyActivity.objects.filter(walker=walker, date__gte=start, date__lte=end)
        .exclude(origin="manual")
        .exclude(valid_day=False)
        .values_list("date", "origin", "walk_min", "steps")
        .order_by("date", "origin")
    )
    for day, origin, walk_min, steps in rows:
        entry = out.setdefault(day, {})
        if "device_origin" in entry and entry["device_origin"] == "measured":
            continue
        entry.update(device_origin=origin, device_minutes=walk_min, device_steps=steps)
    return out


def recent_walk_pain(walker: Walker, limit: int = 20) -> list[dict[str, Any]]:
    """The last ``limit`` walks with pain scores, oldest first."""
    rows = list(
        Walk.objects.filter(walker=walker)
        .order_by("-start_utc")
        .values("id", "local_date", "minutes", "pain_before", "pain_max", "pain_after")[:limit]
    )
    rows.reverse()
    return rows


def weekly_walks(walker: Walker, start: dt.date, end: dt.date) -> dict[dt.date, dict[str, Any]]:
    """Per program week (Monday) in ``[start, end]``: walks done, minutes, and sessions planned."""
    from django.db.models import Count, Sum

    weeks: dict[dt.date, dict[str, Any]] = {}
    for row in (
        Walk.objects.filter(walker=walker, local_date__gte=start, local_date__lte=end)
        .values("local_date")
        .annotate(n=Count("id"), minutes=Sum("minutes"))
    ):
        week = weeks.setdefault(monday_of(row["local_date"]), {"walks": 0, "minutes": 0.0})
        week["walks"] += row["n"]
        week["minutes"] += row["minutes"] or 0.0
    for week_start, plan in PlanSnapshot.objects.filter(
        walker=walker, week_start__gte=monday_of(start), week_start__lte=end
    ).values_list("week_start", "plan"):
        week = weeks.setdefault(week_start, {"walks": 0, "minutes": 0.0})
        week["planned"] = len(plan.get("sessions", []))
        week["planned_minutes"] = plan.get("total_minutes")
    return weeks


def export_tables(walker: Walker) -> dict[str, list[dict[str, Any]]]:
    """Everything stored for the walker, as JSON-able tables (for the download)."""
    from django.forms.models import model_to_dict

    def rows(qs: Any, exclude: tuple[str, ...] = ("walker",)) -> list[dict[str, Any]]:
        out = []
        for obj in qs:
            d = model_to_dict(obj, exclude=list(exclude))
            d["id"] = obj.pk
            for extra in ("created_at", "updated_at"):
                if hasattr(obj, extra):
                    d[extra] = getattr(obj, extra)
            out.append({k: _jsonable(v) for k, v in d.items()})
        return out

    profile = model_to_dict(walker, exclude=["user", "clinician"])
    return {
        "walker": [{k: _jsonable(v) for k, v in profile.items()}],
        "walks": rows(walker.walks.all()),
        "checkins": rows(walker.checkins.all()),
        "safety_events": rows(walker.safety_events.all()),
        "daily_activity": rows(walker.days.all()),
        "plans": rows(walker.plans.all()),
        "imported_files": [
            {
                "name": f.original_name,
                "kind": f.kind,
                "sha256": f.sha256,
                "size": f.size,
                "records": f.records,
                "imported_at": _jsonable(f.imported_at),
            }
            for f in getattr(walker, "source_files").all()  # noqa: B009 - app may be absent
        ]
        if hasattr(walker, "source_files")
        else [],
    }


def _jsonable(v: Any) -> Any:
    if isinstance(v, dt.datetime | dt.date | dt.time):
        return v.isoformat()
    return v


@transaction.atomic
def erase_walker(walker: Walker, *, delete_user: bool = True) -> dict[str, int]:
    """Delete the walker and everything they own, at their own request, in one transaction.

    This is the one sanctioned path by which safety events leave the database: the
    append-only queryset refuses ``delete()``, so the walker's events are removed with
    Django's raw delete (no signals, no cascade; safety events have no dependants).
    Returns the number of rows removed per table.
    """
    walker = Walker.objects.select_for_update().get(pk=walker.pk)
    counts = {
        "walks": walker.walks.count(),
        "checkins": walker.checkins.count(),
        "daily_activity": walker.days.count(),
        "plans": walker.plans.count(),
    }
    events = SafetyEvent.objects.filter(walker=walker)
    counts["safety_events"] = events._raw_delete(events.db)  # the documented bypass
    user = walker.user
    walker.delete()  # cascades walks, check-ins, days and plans
    counts["walker"] = 1
    if delete_user and user is not None:
        user.delete()
        counts["user"] = 1
    return counts


@transaction.atomic
def complete_profile(walker: Walker, **fields: Any) -> Walker:
    """Fill in a walker created early (at a red-flag onboarding screen) once they may go on."""
    allowed = {
        "age",
        "goal",
        "tz",
        "conditions",
        "surgery_date",
        "baseline_minutes",
        "baseline_steps",
        "preferences",
        "start_date",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ServiceError(f"cannot set {', '.join(sorted(unknown))} here")
    walker = Walker.objects.select_for_update().get(pk=walker.pk)
    for k, v in fields.items():
        setattr(walker, k, sorted(set(v)) if k == "conditions" else v)
    if "microdiscectomy" in (walker.conditions or []) and walker.surgery_date is None:
        raise ServiceError("microdiscectomy needs the date of the operation")
    _validate(walker)
    walker.onboarded = True
    walker.save()
    return walker


def progress_version(walker: Walker) -> tuple[Any, ...]:
    """A cheap fingerprint of everything the progress page shows (one indexed query).

    Changes whenever a walk, a measured/imported day or a plan snapshot is added,
    changed or removed, so a page cached under it is never stale. The last item is the
    number of safety events (0 lets a page skip folding the safety log).
    """
    from django.db import connection

    walks, days, plans, events = (
        m._meta.db_table for m in (Walk, DailyActivity, PlanSnapshot, SafetyEvent)
    )
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {walks} WHERE walker_id = %s),"
        f" (SELECT MAX(id) FROM {walks} WHERE walker_id = %s),"
        f" (SELECT COUNT(*) FROM {days} WHERE walker_id = %s),"
        f" (SELECT MAX(updated_at) FROM {days} WHERE walker_id = %s),"
        f" (SELECT COUNT(*) FROM {plans} WHERE walker_id = %s),"
        f" (SELECT MAX(updated_at) FROM {plans} WHERE walker_id = %s),"
        f" (SELECT COUNT(*) FROM {events} WHERE walker_id = %s)"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [walker.pk] * 7)
        row = cur.fetchone()
    return tuple(row or ())


def state_with_plan(walker: Walker, day: dt.date) -> WalkerState:
    """The safety state and the week's plan from one engine run; the plan snapshot is kept."""
    state = current_state(walker, day)
    _snapshot(walker, state.plan)
    return state


def device_baseline(walker: Walker, day: dt.date, days: int = 14) -> dict[str, int] | None:
    """Typical daily walking before ``day`` from imported or measured data (median of valid days).

    ``None`` when there is no device data in the window; onboarding then asks instead.
    """
    import statistics

    daily = daily_walking(walker, day - dt.timedelta(days=days), day)
    minutes = [v["device_minutes"] for v in daily.values() if v.get("device_minutes") is not None]
    if not minutes:
        return None
    steps = [v["device_steps"] for v in daily.values() if v.get("device_steps") is not None]
    return {
        "days": len(minutes),
        "walk_min": int(round(statistics.median(minutes))),
        "steps": int(round(statistics.median(steps))) if steps else 0,
    }
