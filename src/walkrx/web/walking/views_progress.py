"""Progress: daily minutes vs target and the HUNT bands, steps vs the age range, pain, adherence.

Fast by construction: a handful of aggregate queries over a bounded window and the
stored plan snapshots; the plan engine is not re-run here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import statistics
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from walkrx import safety
from walkrx.evidence.findings import finding
from walkrx.evidence.hunt import HUNT_VOLUME_BANDS, PLATEAU_MIN_PER_DAY, hunt_volume_category
from walkrx.evidence.steps import step_range_for_age
from walkrx.timeutil import monday_of

from . import charts, services
from .access import walker_view

DAYS = 28
WEEKS = 8


CACHE_SECONDS = 3600


@walker_view
def progress(request: HttpRequest) -> HttpResponse:
    """The progress page; its body is cached under a fingerprint of the walker's data."""
    walker = request.walker  # type: ignore[attr-defined]
    today = services.local_today(walker.tz)
    version = services.progress_version(walker)
    fingerprint = repr((today, walker.age, walker.pain_limit, walker.tz, *version))
    key = f"walkrx:progress:{walker.pk}:{hashlib.sha256(fingerprint.encode()).hexdigest()}"
    body = cache.get(key)
    if body is None:
        body = render_to_string("walking/_progress_body.html", _context(walker, today))
        cache.set(key, body, CACHE_SECONDS)
    context: dict[str, Any] = {"body": mark_safe(body)}  # noqa: S308 - rendered by Django
    if version and version[-1] == 0:  # no safety event ever: nothing to fold for the banner
        context["safety_state"] = {"status": "active", "urgency": None, "advice": []}
    return render(request, "walking/progress.html", context)


def _day(d: dt.date) -> str:
    return f"{d:%a} {d.day} {d:%b}"


def _num(v: float | int | None) -> str:
    if v is None:
        return "-"
    return f"{v:.1f}".removesuffix(".0") if isinstance(v, float) else str(v)


def _context(walker: Any, today: dt.date) -> dict[str, Any]:
    """Everything the progress body shows (a bounded window; aggregate queries only)."""
    start = today - dt.timedelta(days=DAYS - 1)
    daily = services.daily_walking(walker, start, today)
    days = [start + dt.timedelta(days=i) for i in range(DAYS)]
    plan = services.latest_plan_snapshot(walker, today) or {}
    target = plan.get("daily_volume_target_min")
    logged = [round(daily.get(d, {}).get("walk_minutes", 0.0), 1) for d in days]
    device = [daily.get(d, {}).get("device_minutes") for d in days]
    has_device = any(v is not None for v in device)
    labels = [d.strftime("%d %b").lstrip("0") for d in days]

    # Where the walker stands: 7-day median (device-measured valid days if any, else logged).
    last7 = days[-7:]
    dev7 = [
        daily[d]["device_minutes"]
        for d in last7
        if daily.get(d, {}).get("device_minutes") is not None
    ]
    basis = "measured by your device" if dev7 else "from the walks you logged"
    median7 = statistics.median(dev7) if dev7 else statistics.median(logged[-7:])
    category = hunt_volume_category(median7)

    bands = [
        charts.Band(low, min(high, 1e6), f"HUNT {c.label}: RR {c.rr:.2f}")
        for low, high, c in HUNT_VOLUME_BANDS
        if low > 0
    ]
    minutes_svg = charts.bar_chart(
        "minutes",
        "Daily walking minutes, last 4 weeks",
        f"Bars show minutes walked each day from {labels[0]} to {labels[-1]}"
        + (" (dark: logged walks; light: measured by your device)" if has_device else "")
        + (f"; dashed line: your daily target of {target} minutes" if target else "")
        + "; shaded bands: the HUNT study's daily walking categories from 78 minutes a day.",
        labels,
        logged,
        target=float(target) if target else None,
        target_label=f"daily target {target} min" if target else "",
        bands=bands,
        secondary=device if has_device else None,
    )

    steps = [
        daily.get(d, {}).get("device_steps") or daily.get(d, {}).get("walk_steps") for d in days
    ]
    step_range = step_range_for_age(walker.age)
    has_steps = any(steps)
    steps_svg = (
        charts.bar_chart(
            "steps",
            "Daily steps, last 4 weeks",
            f"Bars show steps each day; the shaded band is {step_range.low:,} to {step_range.high:,} "
            f"steps a day, the range for your age group in the Paluch 2022 study.",
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
    limit = walker.pain_limit if walker.pain_limit is not None else safety.DEFAULT_PAIN_LIMIT
    pain_svg = (
        charts.pain_chart(
            "pain",
            "Pain before and after each walk",
            "Squares: pain before each walk; circles: pain after; dashed line: your pain limit. "
            f"The last {len(pains)} walks, oldest on the left.",
            [p["local_date"].strftime("%d %b").lstrip("0") for p in pains],
            [p["pain_before"] for p in pains],
            [p["pain_after"] for p in pains],
            limit,
        )
        if any(p["pain_before"] is not None or p["pain_after"] is not None for p in pains)
        else ""
    )

    week0 = monday_of(today) - dt.timedelta(weeks=WEEKS - 1)
    weekly = services.weekly_walks(walker, week0, today)
    weeks = [week0 + dt.timedelta(weeks=i) for i in range(WEEKS)]
    done = [weekly.get(w, {}).get("walks", 0) for w in weeks]
    planned = [weekly.get(w, {}).get("planned") for w in weeks]
    adherence_svg = charts.bar_chart(
        "adherence",
        "Walks done and planned per week, last 8 weeks",
        "Dark bars: walks done each week; light bars: walks planned.",
        [f"{w.day} {w.strftime('%b')}" for w in weeks],
        [float(x) for x in done],
        secondary=[float(p) if p is not None else None for p in planned],
    )

    summary = _summary(weekly, monday_of(today), pains)
    return {
        "walker": walker,
        "minutes_svg": mark_safe(minutes_svg),  # noqa: S308 - built with html.escape
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
            {"week": f"{w.day} {w:%b}", "done": done[i], "planned": _num(planned[i])}
            for i, w in enumerate(weeks)
        ],
        "median7": median7,
        "basis": basis,
        "category": category,
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
        "step_low": f"{step_range.low:,}",
        "step_high": f"{step_range.high:,}",
        "step_finding": finding(step_range.finding),
        "target": target,
        "limit": limit,
        "summary": summary,
        "has_walks": bool(pains) or any(logged),
    }


def _summary(
    weekly: dict[dt.date, dict[str, Any]], this_week: dt.date, pains: list[dict[str, Any]]
) -> list[str]:
    """The week in plain words."""
    now = weekly.get(this_week, {})
    before = weekly.get(this_week - dt.timedelta(weeks=1), {})
    lines = []
    walks, minutes = now.get("walks", 0), round(now.get("minutes", 0.0))
    planned = now.get("planned")
    if planned:
        lines.append(
            f"This week you have done {walks} of {planned} planned walks ({minutes} minutes)."
        )
    else:
        lines.append(f"This week you have done {walks} walks ({minutes} minutes).")
    if before:
        prev = round(before.get("minutes", 0.0))
        if minutes > prev:
            lines.append(f"That is more than last week ({prev} minutes).")
        elif minutes < prev:
            lines.append(f"Last week you walked {prev} minutes; there is still time this week.")
    pairs = [
        (p["pain_before"], p["pain_after"])
        for p in pains[-5:]
        if p["pain_before"] is not None and p["pain_after"] is not None
    ]
    if pairs:
        eased = sum(1 for b, a in pairs if a < b)
        worse = sum(1 for b, a in pairs if a > b + 2)
        if eased:
            lines.append(
                f"Pain eased during {eased} of your last {len(pairs)} walks: you are on track."
            )
        if worse:
            lines.append(
                f"Pain rose by more than 2 points after {worse} walk(s): the plan scales back after those."
            )
    return lines
