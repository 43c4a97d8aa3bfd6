"""Settings: goal, walking days and time, reminders, time zone, email and password, data.

Every change goes through ``services.change_settings`` (validated, recorded with who
and when); the page then shows what the plan engine now plans, beside what it
planned before, so a change that affects the plan says what changes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from . import services
from .access import walker_view
from .forms_settings import EmailForm, PlanSettingsForm
from .services.settings import change_settings

SESSION_KEY = "walkrx_settings_effect"
PLAN_FIELDS = ("goal", "walking_weekdays", "preferred_time", "reminder_minutes", "tz")


def _initial(walker: Any) -> dict[str, Any]:
    prefs = walker.preferences or {}
    time = prefs.get("preferred_time")
    return {
        "goal": walker.goal,
        "walking_weekdays": [str(d) for d in prefs.get("walking_weekdays", [])],
        "preferred_time": time if isinstance(time, str) and ":" in time else None,
        "reminder_minutes": prefs.get("reminder_minutes"),
        "tz": walker.tz,
    }


def _week(walker: Any) -> list[str]:
    """The planned walks left this week as plain lines (from the plan engine)."""
    day = services.local_today(walker.tz)
    state = services.state_with_plan(walker, day)
    return [
        f"{s.date:%A} {s.date.day} {s.date:%B}: {s.minutes} minutes"
        + (f" in {s.bouts} parts" if s.bouts > 1 else "")
        for s in state.plan.sessions
        if s.date >= day
    ]


def _effect(before: list[str], after: list[str], changed: list[str]) -> dict[str, Any]:
    return {"before": before, "after": after, "same": before == after, "changed": changed}


WORDS = {
    "goal": "your goal",
    "walking_weekdays": "your walking days",
    "preferred_time": "your preferred time",
    "reminder_minutes": "your reminder",
    "tz": "your time zone",
}


@walker_view
def settings_page(request: HttpRequest) -> HttpResponse:
    """Show and change the walker's settings."""
    walker = request.walker  # type: ignore[attr-defined]
    user = request.user
    plan_form = PlanSettingsForm(initial=_initial(walker))
    email_form = EmailForm(initial={"email": getattr(user, "email", "")})
    if request.method == "POST" and request.POST.get("form") == "plan":
        plan_form = PlanSettingsForm(request.POST, initial=_initial(walker))
        if plan_form.is_valid():
            d = plan_form.cleaned_data
            fields: dict[str, Any] = {
                "goal": d["goal"],
                "walking_weekdays": [int(x) for x in d["walking_weekdays"]],
                "preferred_time": d["preferred_time"].strftime("%H:%M")
                if isinstance(d["preferred_time"], dt.time)
                else None,
                "reminder_minutes": d["reminder_minutes"],
                "tz": d["tz"],
            }
            before = _week(walker)
            try:
                events = change_settings(walker, by=user.get_username(), **fields)
            except services.ServiceError as exc:
                plan_form.add_error(None, str(exc))
            else:
                walker.refresh_from_db()
                changed = [WORDS.get(e["field"], e["field"]) for e in events]
                request.session[SESSION_KEY] = _effect(before, _week(walker), changed)
                if not events:
                    messages.info(request, "Nothing changed.")
                return redirect("settings")
    elif request.method == "POST" and request.POST.get("form") == "email":
        email_form = EmailForm(request.POST)
        if email_form.is_valid():
            user.email = email_form.cleaned_data["email"]  # type: ignore[union-attr]
            user.save(update_fields=["email"])  # type: ignore[union-attr]
            messages.success(request, "Your email address is saved.")
            return redirect("settings")
    effect = request.session.pop(SESSION_KEY, None)
    return render(
        request,
        "walking/settings.html",
        {
            "walker": walker,
            "plan_form": plan_form,
            "email_form": email_form,
            "effect": effect,
            "pain_limit": walker.pain_limit,
        },
    )
