"""Who may open a clinic page: one place, used by every clinic view.

* ``clinician_view``: signed in (else the sign-in page) *and* an active clinician
  (else 403: a walker never sees clinic pages). Puts ``request.clinician``.
* ``linked_walker``: the walker named in the URL, only while linked to the signed-in
  clinician (else 404, whatever the URL or form says); an ended link ends access at once.
* ``clinic_admin_view``: a clinic admin (or a site superuser), else 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from walkrx.web.walking.models import Walker

from .models import CareLink, Clinician

View = Callable[..., HttpResponse]


def clinician_of(request: HttpRequest) -> Clinician | None:
    """The signed-in user's active clinician account, or ``None``."""
    if not request.user.is_authenticated:
        return None
    return (
        Clinician.objects.select_related("user")
        .filter(user_id=request.user.pk, active=True)
        .first()
    )


def is_clinic_admin(request: HttpRequest) -> bool:
    """A clinic admin clinician, or the site's superuser."""
    if not request.user.is_authenticated:
        return False
    if request.user.is_superuser:
        return True
    clinician = clinician_of(request)
    return clinician is not None and clinician.is_clinic_admin


def clinician_view(fn: View) -> View:
    """Require a signed-in, active clinician."""

    @login_required
    @wraps(fn)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        clinician = clinician_of(request)
        if clinician is None:
            raise PermissionDenied("clinic pages are for clinicians")
        request.clinician = clinician  # type: ignore[attr-defined]
        return fn(request, *args, **kwargs)

    return wrapper


def clinic_admin_view(fn: View) -> View:
    """Require a clinic admin."""

    @login_required
    @wraps(fn)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_clinic_admin(request):
            raise PermissionDenied("for the clinic admin")
        request.clinician = clinician_of(request)  # type: ignore[attr-defined]
        return fn(request, *args, **kwargs)

    return wrapper


def linked_walker(request: HttpRequest, name: str) -> Walker:
    """The walker called ``name`` if linked to the request's clinician now, else 404."""
    link = (
        CareLink.objects.select_related("walker")
        .filter(
            walker__name=name,
            clinician=request.clinician,  # type: ignore[attr-defined]
            ended_at__isnull=True,
        )
        .first()
    )
    if link is None:
        raise Http404("no such walker on your caseload")
    return link.walker
