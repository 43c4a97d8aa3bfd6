"""Pages and downloads: the FHIR bundle, the calendar feed and link, API tokens."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from walkrx.web.walking.access import walker_view
from walkrx.web.walking.models import Walker

from . import services
from .models import ApiToken


@walker_view(onboarded=False)
def fhir_download(request: HttpRequest) -> HttpResponse:
    """The walker's FHIR R4 bundle as a JSON file."""
    return _bundle_response(request.walker)  # type: ignore[attr-defined]


def _bundle_response(walker: Walker) -> HttpResponse:
    bundle = services.fhir_bundle(walker)
    response = HttpResponse(json.dumps(bundle, indent=2), content_type="application/fhir+json")
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = (
        f'attachment; filename="walkrx-{walker.name}-{stamp}-fhir.json"'
    )
    return response


@login_required
def walker_fhir_download(request: HttpRequest, name: str) -> HttpResponse:
    """A walker's FHIR bundle for their linked clinician (audited); anyone else gets 404."""
    found = services.walker_for_user(request.user, name)
    if found is None or found[1] != "clinician":
        raise Http404("no such walker")
    services.audit_clinician_read(request.user, found[0], "downloaded the FHIR bundle")
    return _bundle_response(found[0])


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed behind a secret link; an unknown or revoked link is 404."""
    walker = services.walker_for_calendar_token(token)
    if walker is None:
        raise Http404("no such calendar")
    response = HttpResponse(
        services.calendar_feed(walker), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="walkrx.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


@walker_view(onboarded=False)
def calendar_page(request: HttpRequest) -> HttpResponse:
    """Make, replace or turn off the calendar link; the new link is shown once."""
    walker = request.walker  # type: ignore[attr-defined]
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.revoke_calendar_tokens(walker)
            messages.success(
                request, "Calendar link turned off: calendars using it get no more walks."
            )
            return redirect("calendar_link")
        raw = services.new_calendar_token(walker)
        url = request.build_absolute_uri(reverse("calendar_feed", args=[raw]))
        request.session["new_calendar_url"] = url
        return redirect("calendar_link")
    new_url = request.session.pop("new_calendar_url", None)
    return render(
        request,
        "interop/calendar.html",
        {
            "active": services.active_calendar_token(walker),
            "new_url": new_url,
            "webcal_url": new_url.replace("https://", "webcal://").replace("http://", "webcal://")
            if new_url
            else None,
        },
    )


@walker_view(onboarded=False)
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's API tokens: make one (shown once) or revoke one."""
    user = request.user
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            try:
                pk = int(request.POST.get("token", ""))
            except ValueError:
                pk = -1
            if services.revoke_api_token(user, pk):  # type: ignore[arg-type]
                messages.success(request, "Token revoked.")
            return redirect("api_tokens")
        _, raw = services.new_api_token(user, request.POST.get("name", "").strip())  # type: ignore[arg-type]
        request.session["new_api_token"] = raw
        return redirect("api_tokens")
    return render(
        request,
        "interop/api_tokens.html",
        {
            "tokens": ApiToken.objects.filter(user=user, revoked_at__isnull=True),
            "new_token": request.session.pop("new_api_token", None),
        },
    )
