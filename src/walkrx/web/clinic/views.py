"""Clinic pages: the caseload, invitations and the clinician's view of one walker.

Views only translate HTTP: access comes from ``access.py``, everything else from the
clinic and walking services. Each look at a walker's page is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.contrib import messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from walkrx import safety
from walkrx.safety.alerts import ALERT_RANK, Alert
from walkrx.timeutil import monday_of
from walkrx.web.walking import charts
from walkrx.web.walking import services as walking

from . import services
from .access import clinician_view, linked_walker
from .forms import AckForm, ClearForm, InviteForm, SessionForm, SettingsForm
from .models import SESSION_KINDS, Invite

CACHE_SECONDS = 3600
STATUSES = [
    ("paused", "Paused"),
    ("escalated", "Escalated"),
    ("flare", "Flare"),
    ("unscreened", "Not screened yet"),
    ("active", "Active"),
]


@clinician_view
def caseload(request: HttpRequest) -> HttpResponse:
    """The caseload, most in need of attention first; filters and search."""
    q = request.GET.get("q", "")[:80]
    alert = request.GET.get("alert", "")
    status = request.GET.get("status", "")
    alert = alert if alert in ALERT_RANK else ""
    status = status if status in dict(STATUSES) else ""
    clinician = request.clinician  # type: ignore[attr-defined]
    version = services.caseload_version(clinician)
    if version is None:  # some rows must be computed first: do it, then fingerprint
        services.caseload(clinician)
        version = services.caseload_version(clinician)
    fingerprint = repr((clinician.pk, version, q, alert, status))
    key = f"walkrx:caseload:{hashlib.sha256(fingerprint.encode()).hexdigest()}"
    cache = caches["pages"]
    body = cache.get(key) if version is not None else None
    filtered = bool(q or alert or status)
    if body is None:
        rows = services.caseload(clinician, q=q, alert=alert, status=status)
        body = render_to_string("clinic/_caseload_body.html", {"rows": rows, "filtered": filtered})
        cache.set(key, body, CACHE_SECONDS)
    return render(
        request,
        "clinic/caseload.html",
        {
            "body": mark_safe(body),  # noqa: S308 - rendered by Django
            "q": q,
            "alert": alert,
            "status": status,
            "alert_choices": [(c, Alert(c, dt.date.min, "").label) for c in ALERT_RANK],
            "status_choices": STATUSES,
            "filtered": filtered,
        },
    )


@clinician_view
def invite(request: HttpRequest) -> HttpResponse:
    """Make a one-time invitation code (and link) for a walker."""
    clinician = request.clinician  # type: ignore[attr-defined]
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        inv = services.create_invite(clinician, note=form.cleaned_data["note"])
        messages.success(request, f"New invitation code: {inv.code}")
        return redirect("clinic_invite")
    invites = Invite.objects.filter(clinician=clinician).select_related("used_by")[:20]
    join = request.build_absolute_uri(reverse("my_clinician_join"))
    return render(
        request, "clinic/invite.html", {"form": form, "invites": invites, "join_url": join}
    )


def _day(d: dt.date) -> str:
    return f"{d:%a} {d.day} {d:%b}"


def _charts(walker: Any, today: dt.date) -> dict[str, Any]:
    """The walker's progress charts, drawn by the same chart components as their own page."""
    start = today - dt.timedelta(days=27)
    days = [start + dt.timedelta(days=i) for i in range(28)]
    daily = walking.daily_walking(walker, start, today)
    labels = [d.strftime("%d %b").lstrip("0") for d in days]
    logged = [round(daily.get(d, {}).get("walk_minutes", 0.0), 1) for d in days]
    device = [daily.get(d, {}).get("device_minutes") for d in days]
    has_device = any(v is not None for v in device)
    minutes_svg = charts.bar_chart(
        "c-minutes",
        "Daily walking minutes, last 4 weeks",
        "Dark bars: minutes from logged walks each day"
        + ("; light bars: minutes measured or imported from a device" if has_device else "")
        + f", {labels[0]} to {labels[-1]}.",
        labels,
        logged,
        secondary=device if has_device else None,
    )
    pains = walking.recent_walk_pain(walker, 20)
    limit = walking.pain_limit(walker)
    pain_svg = (
        charts.pain_chart(
            "c-pain",
            "Pain before and after each walk",
            f"Squares: pain before each walk; circles: after; dashed line: the pain limit "
            f"{limit}/10. The last {len(pains)} walks, oldest on the left.",
            [p["local_date"].strftime("%d %b").lstrip("0") for p in pains],
            [p["pain_before"] for p in pains],
            [p["pain_after"] for p in pains],
            limit,
        )
        if any(p["pain_before"] is not None or p["pain_after"] is not None for p in pains)
        else ""
    )
    week0 = monday_of(today) - dt.timedelta(weeks=7)
    weekly = walking.weekly_walks(walker, week0, today)
    weeks = [week0 + dt.timedelta(weeks=i) for i in range(8)]
    done = [weekly.get(w, {}).get("walks", 0) for w in weeks]
    planned = [weekly.get(w, {}).get("planned") for w in weeks]
    adherence_svg = charts.bar_chart(
        "c-adherence",
        "Walks done and planned per week, last 8 weeks",
        "Dark bars: walks done each week; light bars: walks planned.",
        [f"{w.day} {w:%b}" for w in weeks],
        [float(x) for x in done],
        secondary=[float(p) if p is not None else None for p in planned],
    )
    return {
        "minutes_svg": mark_safe(minutes_svg),  # noqa: S308 - built with html.escape
        "pain_svg": mark_safe(pain_svg),  # noqa: S308
        "adherence_svg": mark_safe(adherence_svg),  # noqa: S308
        "has_device": has_device,
        "limit": limit,
        "day_rows": [
            {
                "day": _day(d),
                "logged": logged[i],
                "device": device[i],
                "origin": daily.get(d, {}).get("device_origin", ""),
                "steps": daily.get(d, {}).get("device_steps"),
            }
            for i, d in enumerate(days)
        ],
        "week_rows": [
            {"week": f"{w.day} {w:%b}", "done": done[i], "planned": planned[i]}
            for i, w in enumerate(weeks)
        ],
    }


@clinician_view
def walker_page(request: HttpRequest, name: str) -> HttpResponse:
    """Everything about one linked walker, with the clinician's actions."""
    clinician = request.clinician  # type: ignore[attr-defined]
    walker = linked_walker(request, name)
    services.audit.record_by(walker, clinician, "view")
    return _walker_page(request, walker)


def _walker_page(
    request: HttpRequest, walker: Any, *, clear_form: ClearForm | None = None
) -> HttpResponse:
    today = walking.local_today(walker.tz)
    row = services.row_for(walker)
    state = walking.current_state(walker, today)
    acks = {
        f"{a.code}@{a.since.isoformat()}": a for a in walker.alert_acks.select_related("clinician")
    }
    alerts = [a | {"ack": acks.get(a["key"])} for a in row["alerts"]]
    context = {
        "walker": walker,
        "row": row,
        "alerts": alerts,
        "state": state,
        "plan": state.plan,
        "link": services.active_link(walker),
        "walks": list(walker.walks.order_by("-start_utc")[:15]),
        "checkins": list(walker.checkins.order_by("-date", "-created_at")[:10]),
        "events": list(walker.safety_events.order_by("-at_utc", "-id")[:20]),
        "sessions": services.session_list(walker),
        "clear_form": clear_form or ClearForm(),
        "paused": state.status in ("paused", "escalated"),
        "session_kinds": dict(SESSION_KINDS),
        "not_a_diagnosis": safety.NOT_A_DIAGNOSIS,
    } | _charts(walker, today)
    return render(request, "clinic/walker.html", context)


@clinician_view
@require_POST
def clear(request: HttpRequest, name: str) -> HttpResponse:
    """Clear a pause with a reason."""
    walker = linked_walker(request, name)
    form = ClearForm(request.POST)
    if form.is_valid():
        try:
            services.clear_pause(walker, request.clinician, form.cleaned_data["note"])  # type: ignore[attr-defined]
        except services.ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Cleared: {walker}'s walking plan resumes.")
            return redirect("clinic_walker", name=walker.name)
    return _walker_page(request, walker, clear_form=form)


@clinician_view
@require_POST
def acknowledge(request: HttpRequest, name: str) -> HttpResponse:
    """Acknowledge an alert with a note."""
    walker = linked_walker(request, name)
    form = AckForm(request.POST)
    if not form.is_valid():
        messages.error(request, "An acknowledgement needs a note.")
    else:
        try:
            services.acknowledge(
                walker,
                request.clinician,  # type: ignore[attr-defined]
                form.cleaned_data["key"],
                form.cleaned_data["note"],
            )
        except services.ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Alert acknowledged.")
    back = request.POST.get("next", "")
    if back == "caseload":
        return redirect("clinic_caseload")
    return redirect("clinic_walker", name=walker.name)


@clinician_view
def walker_settings(request: HttpRequest, name: str) -> HttpResponse:
    """Change the walker's pain limit, days, bout cap, targets, condition and dates."""
    walker = linked_walker(request, name)
    form = SettingsForm(request.POST or None, initial=SettingsForm.initial_for(walker))
    if request.method == "POST" and form.is_valid():
        fields = {f: form.cleaned_data[f] for f in SettingsForm.FIELDS if f in form.changed_data}
        try:
            changes = services.change_walker_settings(walker, request.clinician, **fields)  # type: ignore[attr-defined]
        except services.ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"Saved {len(changes)} change(s)." if changes else "Nothing changed."
            )
            return redirect("clinic_walker", name=walker.name)
    return render(request, "clinic/settings.html", {"walker": walker, "form": form})


@clinician_view
def session(request: HttpRequest, name: str) -> HttpResponse:
    """Record a session (WalkBack: six over six months)."""
    walker = linked_walker(request, name)
    row = services.row_for(walker)
    nxt = row["next_session"]
    initial = {"date": walking.local_today(walker.tz), "kind": nxt["kind"] or "follow-up"}
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_session(walker, request.clinician, **form.cleaned_data)  # type: ignore[attr-defined]
        except services.ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Session recorded.")
            return redirect("clinic_walker", name=walker.name)
    return render(
        request, "clinic/session.html", {"walker": walker, "form": form, "next": nxt, "row": row}
    )
