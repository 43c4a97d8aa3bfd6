"""The safety page: what to do now while paused, escalated or in a flare; recording a review."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from walkrx.evidence.red_flags import RED_FLAGS

from . import services
from .access import walker_view
from .forms import SelfReviewForm, red_flag_answers


@walker_view(onboarded=False)
def safety_page(request: HttpRequest) -> HttpResponse:
    """The walker's safety state, the open red flags in plain words, and the log."""
    walker = request.walker  # type: ignore[attr-defined]
    status = services.status_of(walker)
    recorded = services.recorded_safety(walker)
    open_flags = [RED_FLAGS[c] for c in recorded["open_red_flags"] if c in RED_FLAGS]
    return render(
        request,
        "walking/safety.html",
        {
            "status": status,
            "safety_state": recorded
            | {
                k: status[k] for k in ("status", "urgency", "advice", "flare_level", "open_reviews")
            },
            "open_flags": open_flags,
            "can_confirm_review": services.linked_clinician_of(walker) is None
            and status["status"] in ("paused", "escalated"),
            "has_clinician": services.linked_clinician_of(walker) is not None,
            "review_form": SelfReviewForm(),
            "on_safety_page": True,
        },
    )


@walker_view(onboarded=False)
@require_POST
def confirm_review(request: HttpRequest) -> HttpResponse:
    """A walker with no clinician records a medical review and answers the re-screen."""
    walker = request.walker  # type: ignore[attr-defined]
    form = SelfReviewForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "To resume, say when and by whom you were assessed, and answer every question again.",
        )
        return redirect("safety")
    d = form.cleaned_data
    try:
        services.record_self_review(
            walker,
            assessed_on=d["assessed_on"],
            assessed_by=d["assessed_by"],
            note=d["note"],
            rescreen=red_flag_answers(d),
        )
    except services.ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("safety")
    messages.success(request, "Thank you. Your walking program has resumed: start gently.")
    return redirect("onboarding" if not walker.onboarded else "today")


@walker_view(onboarded=False)
def new_symptom(request: HttpRequest) -> HttpResponse:
    """Report a new symptom at any time: the red-flag questions; a "yes" pauses at once."""
    from .forms import SymptomForm, answered_red_flags, red_flag_groups

    walker = request.walker  # type: ignore[attr-defined]
    form = SymptomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = answered_red_flags(form.cleaned_data)
        if codes:
            services.record_checkin(walker, date=services.local_today(walker.tz), red_flags=codes)
            return redirect("safety")
        messages.success(
            request,
            "No warning signs. If a symptom worries you or gets worse, contact your "
            "physiotherapist or doctor.",
        )
        return redirect("today")
    return render(request, "walking/symptom.html", {"form": form, "groups": red_flag_groups(form)})
