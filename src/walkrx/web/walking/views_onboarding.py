"""Onboarding: the safety screen first, then the profile that sets up the plan."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify

from . import services
from .access import walker_of
from .forms import (
    ProfileForm,
    SafetyScreenForm,
    answered_red_flags,
    red_flag_answers,
    red_flag_groups,
)
from .models import Walker

SESSION_KEY = "walkrx_screen"


def _short_name(request: HttpRequest) -> str:
    """The user name, or the part before the @ when the user name is an email address."""
    return request.user.get_username().split("@", 1)[0]


def _walker_name(request: HttpRequest) -> str:
    base = slugify(_short_name(request))[:50] or "walker"
    name, n = base, 1
    while Walker.objects.filter(name=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def _tz(request: HttpRequest) -> str:
    tz = request.POST.get("browser_tz") or request.session.get("walkrx_tz") or ""
    return tz if tz in dict(ProfileForm.base_fields["tz"].choices) else "UTC"  # type: ignore[attr-defined]


@login_required
def onboarding(request: HttpRequest) -> HttpResponse:
    """Step 1: age and the red-flag questions. Any "yes" stops onboarding and pauses."""
    walker = walker_of(request)
    if walker is not None:
        state = services.recorded_safety(walker)
        if state["status"] in ("paused", "escalated"):
            return redirect("safety")
        if walker.onboarded and services.is_screened(walker):
            return redirect("today")
        if request.method == "GET" and request.session.get(SESSION_KEY) and not walker.onboarded:
            return redirect("onboarding_profile")  # screen already answered this session
    form = SafetyScreenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = answered_red_flags(form.cleaned_data)
        tz = _tz(request)
        request.session["walkrx_tz"] = tz
        walker = walker or _new_walker(request, form.cleaned_data["age"], tz)
        services.record_screening(walker, red_flag_answers(form.cleaned_data))
        if codes:
            return redirect("safety")
        if walker.onboarded:  # screened later (a walker added from the command line)
            return redirect("today")
        request.session[SESSION_KEY] = {"age": form.cleaned_data["age"]}
        return redirect("onboarding_profile")
    return render(
        request,
        "walking/onboarding_safety.html",
        {"form": form, "groups": red_flag_groups(form), "step": 1},
    )


def _new_walker(request: HttpRequest, age: int, tz: str) -> Walker:
    """The walker record, made as soon as the safety screen is answered.

    A red flag is recorded against it at once; otherwise step 2 completes the profile
    (until then the walker is not onboarded and sees only onboarding, safety and data).
    """
    return services.create_walker(
        name=_walker_name(request),
        display_name=_short_name(request)[:120],
        age=age,
        goal="relieve-pain",
        tz=tz,
        start_date=services.local_today(tz),
        user=request.user,  # type: ignore[arg-type]
    )


@login_required
def onboarding_profile(request: HttpRequest) -> HttpResponse:
    """Step 2: goal, conditions, current pain, baseline and preferences -> the walker."""
    walker = walker_of(request)
    if walker is not None and walker.onboarded:
        return redirect("today")
    if walker is not None and services.recorded_safety(walker)["status"] in ("paused", "escalated"):
        return redirect("safety")
    screen = request.session.get(SESSION_KEY)
    if screen is None or walker is None:
        return redirect("onboarding")  # the safety screen comes first
    age = screen["age"]
    tz = request.session.get("walkrx_tz", walker.tz)
    measured = services.device_baseline(walker, services.local_today(walker.tz))
    initial: dict[str, Any] = {"tz": tz, "goal": None}
    if measured:
        initial["baseline_minutes"] = measured["walk_min"]
        initial["baseline_steps"] = measured["steps"]
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fields: dict[str, Any] = {
            "age": age,
            "goal": d["goal"],
            "tz": d["tz"],
            "conditions": d["conditions"],
            "surgery_date": d["surgery_date"],
            "baseline_minutes": d["baseline_minutes"],
            "baseline_steps": d["baseline_steps"],
            "preferences": {
                "walking_weekdays": [int(x) for x in d["walking_weekdays"]],
                "preferred_time": d["preferred_time"],  # "HH:MM", as the calendar reads it
                "split_sessions": d["split_sessions"],
                "setting": d["setting"],
                "pain_at_start": d["current_pain"],
            },
        }
        try:
            services.complete_profile(walker, start_date=services.local_today(d["tz"]), **fields)
        except services.ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            # The pain reported now reaches the engines like any check-in (flare at >= 7/10).
            services.record_checkin(
                walker, date=services.local_today(walker.tz), avg_pain=d["current_pain"]
            )
            request.session.pop(SESSION_KEY, None)
            return redirect("today")
    return render(
        request,
        "walking/onboarding_profile.html",
        {"form": form, "step": 2, "measured": measured},
    )
