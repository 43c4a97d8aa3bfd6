"""Progress: daily minutes vs target and the HUNT bands, steps vs the age range, pain, adherence.

Fast by construction: a handful of aggregate queries over a bounded window and the
stored plan snapshots; the plan engine is not re-run here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import statistics
from typing import Any

from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from walkrx.evidence.findings import finding
from walkrx.evidence.hunt import HUNT_VOLUME_BANDS, PLATEAU_MIN_PER_DAY, hunt_volume_category
from walkrx.evidence.steps import step_range_for_age
from walkrx.timeutil import monday_of

from . import charts, services
from . import progress_words as words
from .access import walker_view

DAYS = 28
WEEKS = 8


CACHE_SECONDS = 3600


@walker_view(aggregates=services.PROGRESS_AGGREGATES)  # the page's fingerprint, same query
def progress(request: HttpRequest) -> HttpResponse:
    """The progress page; its body is cached under a fingerprint of the walker's data."""
    walker = request.walker  # type: ignore[attr-defined]
    today = services.local_today(walker.tz)
    version = services.progress_version(walker)
    # the walker's whole row: their settings, and created_at so that a new walker who gets
    # the id of an erased one never meets the erased walker's page
    own = tuple(getattr(walker, f.attname) for f in type(walker)._meta.concrete_fields)
    fingerprint = repr((today, *own, *version))
    key = f"walkrx:progress:{walker.pk}:{hashlib.sha256(fingerprint.encode()).hexdigest()}"
    cache = caches["pages"]
    cached = cache.get(key)
    if cached is None:
        body = render_to_string("walking/_progress_body.html", _context(walker, today))
        # the stop banner's state: the recorded safety log, whose count is in the fingerprint
        # (safety events are append-only)
        if version and version[-1] == 0:  # no safety event ever: nothing to fold
            state: dict[str, Any] = {"status": "active", "urgency": None, "advice": []}
        else:
            state = services.recorded_safety(walker)
        cached = (body, state)
        cache.set(key, cached, CACHE_SECONDS)
    body, state = cached
    context: dict[str, Any] = {
        "body": mark_safe(body),  # noqa: S308 - rendered by Django
        "safety_state": state,
    }
    return render(request, "walking/progress.html", context)


def _day(d: dt.date) -> str:
    return f"{d:%a} {d.day} {d:%b}"


def _num(v: float | int | None) -> str:
    if v is None:
        return "-"
    return f"{v:.1f}".removesuffix(".0") if isinstance(v, float) else str(v)


def _label(d: dt.date) -> str:
    return f"{d.day} {d:%b}"


def _context(walker: Any, today: dt.date) -> dict[str, Any]:
    """Everything the progress body shows (a bounded window; aggregate queries only)."""
    start = max(today - dt.timedelta(days=DAYS - 1), min(walker.start_date, today))
    n_days = (today - start).days + 1
    daily = services.daily_walking(walker, start, today)
    days = [start + dt.timedelta(days=i) for i in range(n_days)]
    plan = services.latest_plan_snapshot(walker, today) or {}
    # the line to aim for: the daily walking target when the plan has one, else the length
    # of this week's planned walks
    target = plan.get("daily_volume_target_min")
    session_minutes = [s.get("minutes") for s in plan.get("sessions", []) if s.get("minutes")]
    target_kind = "daily target"
    if not target and session_minutes:
        target, target_kind = max(session_minutes), "planned walk"
    logged = [round(daily.get(d, {}).get("walk_minutes", 0.0), 1) for d in days]
    device = [daily.get(d, {}).get("device_minutes") for d in days]
    has_device = any(v is not None for v in device)
    labels = [_label(d) for d in days]

    # Where the walker stands: 7-day median (device-measured valid days if any, else logged).
    last7 = days[-7:]
    dev7 = [
        daily[d]["device_minutes"]
        for d in last7
        if daily.get(d, {}).get("device_minutes") is not None
    ]
    basis = "measured by your device" if dev7 else "from the walks you logged"
    median7 = statistics.median(dev7) if dev7 else statistics.median(logged[-7:])
    days_walked7 = sum(1 for d in last7 if daily.get(d, {}).get("walks"))
    minutes7 = round(sum(logged[-7:]))
    category = hunt_volume_category(median7)
    lowest_band = int(min(low for low, _high, _c in HUNT_VOLUME_BANDS if low > 0))
    # the bands join the chart only when the walker's days come within reach of them
    hunt_in_reach = max([*logged, *(v or 0 for v in device)]) >= lowest_band / 2
    bands = [
        charts.Band(low, min(high, 1e6), f"HUNT {c.label}")
        for low, high, c in HUNT_VOLUME_BANDS
        if low > 0
    ]
    minutes_svg = charts.bar_chart(
        "minutes",
        f"Daily walking minutes, {labels[0]} to {labels[-1]}",
        f"Bars show minutes walked each day from {labels[0]} to {labels[-1]}"
        + (" (dark: logged walks; light: measured by your device)" if has_device else "")
        + (f"; dashed line: your {target_kind} of {target} minutes" if target else "")
        + ("; shaded bands: the HUNT study's daily walking groups." if hunt_in_reach else "."),
        labels,
        logged,
        target=float(target) if target else None,
        target_label=f"{target_kind} {target} min" if target else "",
        bands=bands if hunt_in_reach else (),
        secondary=device if has_device else None,
    )
    hunt_svg = charts.bar_chart(
        "hunt",
        "Your typical day beside the HUNT study's groups",
        f"One bar: your middle day over the last 7 days, {median7:.0f} minutes; shaded bands: "
        "the HUNT study's groups of daily walking from 78 minutes a day.",
        ["your typical day"],
        [float(median7)],
        bands=bands,
        min_top=float(lowest_band) * 1.6,
    )

    steps = [
        daily.get(d, {}).get("device_steps") or daily.get(d, {}).get("walk_steps") for d in days
    ]
    step_range = step_range_for_age(walker.age)
    has_steps = any(steps)
    # the age range is drawn only when the axis (scaled to the walker) reaches it
    steps_top = charts.scale(max([1.0, *(float(x) for x in steps if x)]) * 1.1)[0]
    step_band_drawn = step_range.low < steps_top
    steps_svg = (
        charts.bar_chart(
            "steps",
            "Daily steps",
            f"Bars show steps each day from {labels[0]} to {labels[-1]}.",
            labels,
            [float(s) if s else None for s in steps],
            bands=[
                charts.Band(
                    step_range.low, step_range.high, f"{step_range.low:,}-{step_range.high:,}"
                )
            ],
        )
        if has_steps
        else ""
    )

    pains = services.recent_walk_pain(walker, 20)
    limit = services.pain_limit(walker)
    pain_svg = (
        charts.pain_chart(
            "pain",
            "Pain before, worst during and after each walk",
            "Squares: pain before each walk; triangles: worst pain during it; circles: pain "
            f"after; dashed line: your pain limit of {limit}/10. The last {len(pains)} walks, "
            "oldest on the left.",
            [_label(p["local_date"]) for p in pains],
            [p["pain_before"] for p in pains],
            [p["pain_after"] for p in pains],
            limit,
            worst=[p["pain_max"] for p in pains],
        )
        if any(p[k] is not None for p in pains for k in ("pain_before", "pain_max", "pain_after"))
        else ""
    )

    this_week = monday_of(today)
    weeks = words.week_starts(monday_of(walker.start_date), this_week, WEEKS)
    weekly = services.weekly_walks(walker, weeks[0], today)
    rows = words.week_rows(weekly, weeks)
    adherence_svg = charts.bar_chart(
        "adherence",
        "Walks done and planned per week",
        "Dark bars: walks done each week; light bars: walks planned. Weeks from the start "
        "of your program.",
        [_label(w) for w in weeks],
        [float(r["done"]) for r in rows],
        secondary=[float(r["planned"]) if r["planned"] is not None else None for r in rows],
    )
    pairs = [
        (p["pain_before"], p["pain_after"])
        for p in pains[-5:]
        if p["pain_before"] is not None and p["pain_after"] is not None
    ]
    summary = words.summarise(
        rows[-1], rows[-2] if len(rows) > 1 else None, pairs, ever_walked=bool(pains)
    )
    return {
        "walker": walker,
        "minutes_svg": mark_safe(minutes_svg),  # noqa: S308 - built with html.escape
        "hunt_svg": mark_safe(hunt_svg),  # noqa: S308
        "hunt_in_reach": hunt_in_reach,
        "steps_svg": mark_safe(steps_svg),  # noqa: S308
        "pain_svg": mark_safe(pain_svg),  # noqa: S308
        "adherence_svg": mark_safe(adherence_svg),  # noqa: S308
        "table": [
            {
                "day": _day(d),
                "logged": _num(logged[i]),
                "device": _num(device[i]),
                "steps": _num(steps[i]),
            }
            for i, d in enumerate(days)
        ],
        "has_device": has_device,
        "pains": pains,
        "pain_rows": [
            {
                "url": reverse("walk_detail", args=[p["id"]]),
                "day": _day(p["local_date"]),
                "minutes": _num(p["minutes"]),
                "before": _num(p["pain_before"]),
                "max": _num(p["pain_max"]),
                "after": _num(p["pain_after"]),
            }
            for p in pains
        ],
        "weeks": [
            {"week": _label(r["week"]), "done": r["done"], "planned": _num(r["planned"])}
            for r in rows
        ],
        "median7": median7,
        "days_walked7": days_walked7,
        "minutes7": minutes7,
        "basis": basis,
        "category": category,
        "lowest_band": lowest_band,
        "hunt_groups": [
            c.label.replace(">=", "at least ").replace("<", "under ")
            for _low, _high, c in HUNT_VOLUME_BANDS
        ],
        "plateau": PLATEAU_MIN_PER_DAY,
        "hunt": [
            finding(k)
            for k in (
                "hunt-volume-78-100",
                "hunt-volume-101-124",
                "hunt-volume-125",
                "hunt-plateau",
            )
        ],
        "hunt_age": finding("hunt-age-65") if walker.age >= 65 else None,
        "step_range": step_range,
        "step_band_drawn": step_band_drawn,
        "step_low": f"{step_range.low:,}",
        "step_high": f"{step_range.high:,}",
        "step_finding": finding(step_range.finding),
        "target": target,
        "target_kind": target_kind,
        "limit": limit,
        "summary": summary,
        "has_walks": bool(pains) or any(logged),
    }
