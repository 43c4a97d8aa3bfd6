"""The walker's side of the link: "My clinician", accepting an invitation, ending the link."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from walkrx.web.walking.access import walker_view

from . import services
from .forms import JoinForm, ReportForm
from .models import SESSION_KINDS


@walker_view(onboarded=False)
def my_clinician(request: HttpRequest) -> HttpResponse:
    """Who my clinician is, since when, what we agreed, who looked at my data; end the link."""
    walker = request.walker  # type: ignore[attr-defined]
    link = services.active_link(walker)
    return render(
        request,
        "clinic/my_clinician.html",
        {
            "walker": walker,
            "link": link,
            "history": [h for h in services.link_history(walker) if h.ended_at is not None],
            "sessions": services.session_list(walker),
            "session_kinds": dict(SESSION_KINDS),
            "audit": list(services.audit.entries_for(walker)[:100]),
            "actions": services.audit.FOR_WALKER,
            "join_form": JoinForm(),
            "consent_points": services.CONSENT_POINTS,
            "report_form": ReportForm(),
        },
    )


@walker_view(onboarded=False)
def join(request: HttpRequest) -> HttpResponse:
    """Accept an invitation: the code, who it is from, and consent in plain words."""
    walker = request.walker  # type: ignore[attr-defined]
    code = request.POST.get("code") or request.GET.get("code", "")
    form = JoinForm(request.POST or None, initial={"code": code})
    invite = None
    error = ""
    if code:
        try:
            invite = services.find_invite(code)
        except services.ServiceError as exc:
            error = str(exc)
    if request.method == "POST" and form.is_valid() and invite is not None:
        try:
            link = services.accept_invite(walker, form.cleaned_data["code"])
        except services.ServiceError as exc:
            error = str(exc)
        else:
            messages.success(request, f"{link.clinician.full_name} is now your clinician.")
            return redirect("my_clinician")
    return render(
        request,
        "clinic/join.html",
        {
            "form": form,
            "invite": invite,
            "error": error,
            "consent_points": services.CONSENT_POINTS,
            "current": services.linked_clinician(walker),
        },
    )


@walker_view(onboarded=False)
@require_POST
def end_link(request: HttpRequest) -> HttpResponse:
    """The walker ends the link; the clinician loses access at once."""
    walker = request.walker  # type: ignore[attr-defined]
    try:
        link = services.unlink_walker(walker, by="walker", reason="ended by the walker")
    except services.ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"The link to {link.clinician.full_name} has ended. They can no longer see your data.",
        )
    return redirect("my_clinician")
