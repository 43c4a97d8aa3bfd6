"""The weekly check-in: pain and symptoms in, next week's plan explained out.

Three short steps, each a page that works without JavaScript: the weekly questions;
one "any of these?" step over every red flag that applies; and, only after "yes, show
me", the flags themselves, each one that is true recorded on its own. A POST with
every answer at once (``rf_<code>`` fields) is still accepted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from walkrx.evidence.types import RedFlag
from walkrx.timeutil import monday_of

from . import services
from .access import own, walker_view
from .forms import YES_NO
from .forms_checkin import WeeklyForm, flag_groups, weekly_hidden
from .models import CheckIn
from .services.questions import checkin_flags


def _record(request: HttpRequest, form: WeeklyForm, codes: list[str]) -> HttpResponse:
    walker = request.walker  # type: ignore[attr-defined]
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
            red_flags=codes,
        )
    except services.ServiceError as exc:
        form.add_error(None, str(exc))
        return _page(request, form, 1)
    if result["status"] in ("paused", "escalated"):
        return redirect("safety")
    return redirect("checkin_detail", pk=result["checkin_id"])


def _page(
    request: HttpRequest,
    form: WeeklyForm,
    step: int,
    flags: tuple[RedFlag, ...] = (),
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    walker = request.walker  # type: ignore[attr-defined]
    last = walker.checkins.order_by("-date", "-created_at").first()
    context: dict[str, Any] = {
        "form": form,
        "step": step,
        "last": last,
        "groups": flag_groups(flags),
        "hidden": weekly_hidden(form) if step > 1 else [],
        "error": error,
        "scales": [form[n] for n in WeeklyForm.SCALES],
        "yesno": [form[n] for n in WeeklyForm.YESNO],
    }
    return render(request, "walking/checkin.html", context, status=status)


def _one_page_answers(request: HttpRequest, flags: tuple[RedFlag, ...]) -> list[str] | None:
    """``rf_<code>`` yes/no answers for every flag (the all-at-once form), or ``None``."""
    answers = {f.code: request.POST.get(f"rf_{f.code}") for f in flags}
    if any(v not in dict(YES_NO) for v in answers.values()):
        return None
    return [code for code, v in answers.items() if v == "yes"]


@walker_view
def checkin(request: HttpRequest) -> HttpResponse:
    """Ask the weekly questions; a red flag pauses at once."""
    walker = request.walker  # type: ignore[attr-defined]
    flags = checkin_flags(walker)
    if request.method != "POST":
        return _page(request, WeeklyForm(), 1)
    form = WeeklyForm(request.POST)
    if not form.is_valid():
        return _page(request, form, 1, status=400)
    step = request.POST.get("step", "")
    if step == "weekly":
        return _page(request, form, 2, flags)
    if step == "safety":
        choice = request.POST.get("flags_any")
        if choice == "none":
            return _record(request, form, [])
        if choice == "show":
            return _page(request, form, 3, flags)
        return _page(request, form, 2, flags, "Please choose one of the two answers.", 400)
    if step == "flags":
        known = {f.code for f in flags}
        chosen = [c for c in request.POST.getlist("flags") if c in known]
        if not chosen:
            return _page(
                request,
                form,
                3,
                flags,
                "Please tick each one that is true for you now. If none is, go back and "
                "choose \u201cNone of these\u201d.",
                400,
            )
        return _record(request, form, chosen)
    codes = _one_page_answers(request, flags)
    if codes is None:
        return _page(request, form, 2, flags)
    return _record(request, form, codes)


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
