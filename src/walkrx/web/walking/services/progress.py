"""Read-only queries behind the progress and today pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from walkrx.timeutil import monday_of

from ..models import (
    CheckIn,
    DailyActivity,
    PlanSnapshot,
    SafetyEvent,
    Walk,
    Walker,
    WalkRevision,
)


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


#: What the progress page shows changes whenever one of these changes (see progress_version).
PROGRESS_AGGREGATES: tuple[tuple[str, Any], ...] = (
    ("COUNT(*)", Walk),
    ("MAX(id)", Walk),
    ("COUNT(*)", DailyActivity),
    ("MAX(updated_at)", DailyActivity),
    ("COUNT(*)", PlanSnapshot),
    ("MAX(updated_at)", PlanSnapshot),
    ("COUNT(*)", WalkRevision),
    ("COUNT(*)", SafetyEvent),
)
#: What the plan engine and the today page read changes with these (see today_version).
TODAY_AGGREGATES: tuple[tuple[str, Any], ...] = (
    ("COUNT(*)", Walk),
    ("MAX(id)", Walk),
    ("COUNT(*)", WalkRevision),
    ("MAX(id)", WalkRevision),
    ("COUNT(restored_at)", WalkRevision),
    ("COUNT(*)", CheckIn),
    ("MAX(id)", CheckIn),
    ("COUNT(*)", DailyActivity),
    ("MAX(updated_at)", DailyActivity),
    ("COUNT(*)", SafetyEvent),
    ("MAX(id)", SafetyEvent),
)


def aggregate_columns(columns: tuple[tuple[str, Any], ...]) -> tuple[str, ...]:
    """Each ``(aggregate, model)`` as a subquery over the rows of the walker being selected.

    The subqueries refer to the walker's row of the enclosing ``SELECT ... FROM`` the
    walker table, so they can ride along with the query that loads the walker
    (``access.walker_view(aggregates=...)``): one statement, one snapshot, one round trip.
    """
    walker_id = f'"{Walker._meta.db_table}"."id"'
    return tuple(
        f"(SELECT {aggregate} FROM {model._meta.db_table} WHERE walker_id = {walker_id})"
        for aggregate, model in columns
    )


def _walker_aggregates(walker: Walker, columns: tuple[tuple[str, Any], ...]) -> tuple[Any, ...]:
    """Aggregates over the walker's rows in several tables, as one row from one query.

    Read with the walker's row already when the view asked for these ``columns``
    (``walker_view(aggregates=...)``); else one query now.
    """
    if getattr(walker, "aggregates_of", None) is columns:
        return tuple(walker.extra_values)  # type: ignore[attr-defined]
    from django.db import connection

    table = Walker._meta.db_table
    sql = f'SELECT {", ".join(aggregate_columns(columns))} FROM "{table}" WHERE "{table}"."id" = %s'
    with connection.cursor() as cur:
        cur.execute(sql, [walker.pk])
        row = cur.fetchone()
    return tuple(row or ())


def progress_version(walker: Walker) -> tuple[Any, ...]:
    """A cheap fingerprint of everything the progress page shows (one indexed query).

    Changes whenever a walk, a measured/imported day or a plan snapshot is added,
    changed or removed (an edited walk leaves a revision), so a page cached under it is
    never stale. The last item is the
    number of safety events (0 lets a page skip folding the safety log).
    """
    return _walker_aggregates(walker, PROGRESS_AGGREGATES)


def today_version(walker: Walker) -> tuple[Any, ...]:
    """A fingerprint of everything the plan engine and the today page read (one query).

    The walker's own row (settings, clinician limits and clearance dates, the linked
    clinician, time zone) plus, for each table the engine replays, numbers that change
    with every insert, edit or removal: walks (an edit or delete leaves a revision, an
    undo marks it restored), check-ins, measured or imported days (``updated_at``) and
    the append-only safety events. A page cached under it (with the local date) is never
    stale, whichever process wrote the change.
    """
    row = _walker_aggregates(walker, TODAY_AGGREGATES)
    own = tuple(getattr(walker, f.attname) for f in Walker._meta.concrete_fields)
    return (*own, *row)


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
