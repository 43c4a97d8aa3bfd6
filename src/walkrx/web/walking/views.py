"""Walker pages: today, logging a walk, one walk. Views translate HTTP <-> services only."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.contrib import messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from . import services
from .access import own, walker_view
from .context import safety_contacts
from .forms import WalkForm
from .models import Walk
from .services import history
from .services.overview import plan_overview

ROUTINE_HEADINGS = {
    "pre-walk": "Before you walk (about 2 minutes)",
    "form": "While you walk",
    "intensity": "How hard to walk",
    "terrain": "Where to walk",
    "post-walk": "After today's walk: strength exercises",
}


def home(request: HttpRequest) -> HttpResponse:
    """Signed in: today's page; otherwise a short welcome."""
    if request.user.is_authenticated:
        return redirect("today")
    return render(request, "walking/welcome.html")


def _routine(sessions: list[Any]) -> list[tuple[str, list[Any]]]:
    seen: dict[str, list[Any]] = {}
    for s in sessions:
        for item in s.routine:
            items = seen.setdefault(item.kind, [])
            if item.text not in [i.text for i in items]:
                items.append(item)
    return [(ROUTINE_HEADINGS.get(k, k), seen[k]) for k in ROUTINE_HEADINGS if k in seen]


@walker_view(aggregates=services.TODAY_AGGREGATES)  # the page's fingerprint, same query
def today(request: HttpRequest) -> HttpResponse:
    """Today's planned walk(s), the routine, the timer and the log form, and the week."""
    return _today(request, None)


#: The today page's body is cached this long (it is keyed by the data it shows, so a
#: change is seen at once; this only bounds memory).
CACHE_SECONDS = 3600
#: Where the log form (with its per-request CSRF token) goes in the cached body.
FORM_SLOT = "<!-- walkrx:log-form -->"
#: Where this request's CSRF token goes in the cached empty form.
CSRF_SLOT = "walkrx-csrf-token-slot"


def _today(request: HttpRequest, form: WalkForm | None) -> HttpResponse:
    """Render today's page from the cached body, filling in the log form."""
    walker = request.walker  # type: ignore[attr-defined]
    day = services.local_today(walker.tz)
    fingerprint = repr((day, *services.today_version(walker)))
    key = f"walkrx:today:{walker.pk}:{hashlib.sha256(fingerprint.encode()).hexdigest()}"
    cache = caches["pages"]
    cached = cache.get(key)
    if cached is None:
        cached = _today_body(walker, day)
        cache.set(key, cached, CACHE_SECONDS)
    # One masked CSRF token for the page: the log form and the sign-out form share it
    # (masking a token costs 32 calls to the system's random source).
    token = get_token(request)
    if form is None:  # the empty form, rendered once with the body; this request's token
        form_html = cached["form"].replace(CSRF_SLOT, token, 1)
    else:  # a form sent back with its errors
        form_html = render_to_string("walking/_log_form.html", {"form": form}, request=request)
    body = cached["body"].replace(FORM_SLOT, form_html, 1)
    return render(
        request,
        "walking/today.html",
        {
            "body": mark_safe(body),  # noqa: S308 - rendered by Django
            "safety_state": cached["safety_state"],
            "csrf_token": token,
        },
    )


def _today_body(walker: Any, day: dt.date) -> dict[str, Any]:
    """Today's planned walk(s), the routine, the timer, the week: the engine's run, rendered."""
    state = services.state_with_plan(walker, day)
    plan = state.plan
    todays = [s for s in plan.sessions if s.date == day]
    done_today = list(walker.walks.filter(local_date=day).order_by("start_utc"))
    ever_walked = walker.walks.exists()
    early = (day - walker.start_date).days < 14
    overview = (
        plan_overview(walker) if early and state.status not in ("paused", "escalated") else []
    )
    first_session = next((s for week in overview for s in week.sessions if s.date >= day), None)
    if not todays and not ever_walked and first_session is not None:
        initial = {"date": day, "minutes": first_session.minutes, "terrain": "flat"}
    else:
        initial = {"date": day, "minutes": todays[0].minutes if todays else None, "terrain": "flat"}
    safety_state = {
        "status": state.status,
        "urgency": state.urgency,
        "advice": state.advice,
        "flare_level": plan.flare_level,
        "open_reviews": plan.open_reviews,
    }
    body = render_to_string(
        "walking/_today_body.html",
        {
            **safety_contacts(None),
            "walker": walker,
            "day": day,
            "plan": plan,
            "todays": todays,
            "routine": _routine(todays),
            "safety_state": safety_state,
            "walking_allowed": state.status in ("active", "flare"),
            "log_form": mark_safe(FORM_SLOT),  # noqa: S308 - a constant
            "done_today": done_today,
            "day_one": not ever_walked and not todays,
            "first_session": first_session,
            "overview": overview,
            "recent": list(walker.walks.order_by("-start_utc")[:5]),
            "timer_key": f"walkrx-walk-start-{walker.pk}",
        },
    )
    form = render_to_string(
        "walking/_log_form.html", {"form": WalkForm(initial=initial), "csrf_token": CSRF_SLOT}
    )
    return {"body": body, "safety_state": safety_state, "form": form}


@walker_view
@require_POST
def log_walk(request: HttpRequest) -> HttpResponse:
    """Log a walk; the pain rules answer at once on the walk's own page."""
    walker = request.walker  # type: ignore[attr-defined]
    form = WalkForm(request.POST)
    if not form.is_valid():
        return _today(request, form)
    data = form.cleaned_data
    try:
        outcome = services.log_walk(
            walker,
            local_date=data["date"],
            minutes=data["minutes"],
            start_time=data["start_time"] or dt.time(12, 0),
            steps=data["steps"],
            pain_before=data["pain_before"],
            pain_max=data["pain_max"],
            pain_after=data["pain_after"],
            talk_test=data["talk_test"] or "",
            terrain=data["terrain"],
            notes=data["notes"],
            source="web",
        )
    except services.WalkerPaused:
        messages.error(request, "Walk not saved: your walking program is stopped for safety.")
        return redirect("safety")
    except services.ServiceError as exc:
        form.add_error(None, str(exc))
        return _today(request, form)
    return redirect("walk_detail", pk=outcome.walk.pk)


@walker_view
def walk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the walker's own walks, with what the pain rules say about it."""
    walker = request.walker  # type: ignore[attr-defined]
    walk = own(Walk, request, pk=pk)
    outcome = services.walk_feedback(walker, walk)
    return render(
        request,
        "walking/walk_detail.html",
        {
            "walk": walk,
            "outcome": outcome,
            "is_new": walk.created_at > _minutes_ago(2),
            "revisions": history.revisions(walk),
        },
    )


def _minutes_ago(n: int) -> dt.datetime:
    from django.utils import timezone

    return timezone.now() - dt.timedelta(minutes=n)
