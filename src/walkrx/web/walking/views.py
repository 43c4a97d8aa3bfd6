"""Walker pages. Views translate between HTTP and the service layer only."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from . import services
from .forms import WalkForm
from .models import Walker


def _own_walker(request: HttpRequest) -> Walker:
    """The signed-in user's walker; nobody reaches another walker's data through these views."""
    walker = getattr(request.user, "walker", None)
    if walker is None:
        raise Http404("no walker profile for this account")
    return walker


@login_required
def today(request: HttpRequest) -> HttpResponse:
    """Today's plan, the week, the reasons, and the safety state."""
    walker = _own_walker(request)
    day = services.local_today(walker.tz)
    plan = services.plan_for(walker, day)
    status = services.status_of(walker)
    todays = [s for s in plan.sessions if s.date == day]
    form = WalkForm(initial={"date": day, "minutes": todays[0].minutes if todays else None})
    return render(
        request,
        "walking/today.html",
        {
            "walker": walker,
            "day": day,
            "plan": plan,
            "plan_dict": plan.to_dict(),
            "todays": todays,
            "status": status,
            "form": form,
            "recent": walker.walks.order_by("-start_utc")[:5],
        },
    )


@login_required
def log_walk(request: HttpRequest) -> HttpResponse:
    """Log a walk (POST); the pain rules answer at once."""
    walker = _own_walker(request)
    if request.method != "POST":
        return redirect("today")
    form = WalkForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "Please check the walk details: "
            + "; ".join(
                f"{form.fields[k].label}: {' '.join(v)}"
                for k, v in form.errors.items()
                if k in form.fields
            ),
        )
        return redirect("today")
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
    except services.WalkerPaused as exc:
        messages.error(request, f"Walk not logged: {exc}")
        return redirect("today")
    except services.ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("today")
    messages.success(request, f"Walk of {data['minutes']:g} minutes logged.")
    for line in outcome.feedback:
        messages.warning(request, line) if outcome.stop else messages.info(request, line)
    return redirect("today")
