"""The weekly check-in: pain and symptoms in, next week's plan explained out."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from walkrx.timeutil import monday_of

from . import services
from .access import own, walker_view
from .forms import CheckInForm, answered_red_flags, red_flag_groups
from .models import CheckIn


@walker_view
def checkin(request: HttpRequest) -> HttpResponse:
    """Ask the weekly questions; a red flag pauses at once."""
    walker = request.walker  # type: ignore[attr-defined]
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            result = services.record_checkin(
                walker,
                date=services.local_today(walker.tz),
                avg_pain=d["avg_pain"],
                worst_pain=d["worst_pain"],
                rest_pain=d["rest_pain"],
                night_pain=d["night_pain"] == "yes",
                leg_symptoms=d["leg_symptoms"] == "yes",
                flare=d["flare"] in ("yes", "high"),
                highly_flared=d["flare"] == "high",
                recurrence=d["recurrence"] == "yes",
                confidence=d["confidence"],
                red_flags=answered_red_flags(d),
            )
        except services.ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            if result["status"] in ("paused", "escalated"):
                return redirect("safety")
            return redirect("checkin_detail", pk=result["checkin_id"])
    last = walker.checkins.order_by("-date", "-created_at").first()
    return render(
        request,
        "walking/checkin.html",
        {"form": form, "groups": red_flag_groups(form), "last": last},
    )


@walker_view(onboarded=False)
def checkin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the walker's check-ins and the plan for the week after it, explained."""
    walker = request.walker  # type: ignore[attr-defined]
    item = own(CheckIn, request, pk=pk)
    next_week = monday_of(item.date) + dt.timedelta(days=7)
    state = services.state_with_plan(walker, next_week)
    plan = state.plan
    if state.status in ("paused", "escalated"):
        return redirect("safety")
    return render(
        request,
        "walking/checkin_detail.html",
        {"checkin": item, "plan": plan, "state": state, "next_week": next_week},
    )
