"""Clinic admin pages: create clinicians, read the whole audit log."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from . import services
from .access import clinic_admin_view
from .forms import ClinicianForm


@clinic_admin_view
def clinicians(request: HttpRequest) -> HttpResponse:
    """List clinicians and add one."""
    form = ClinicianForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            clinician = services.add_clinician(
                data["username"],
                full_name=data["full_name"],
                email=data["email"] or None,
                profession=data["profession"],
                registration=data["registration"],
                clinic=data["clinic"],
                is_clinic_admin=data["is_clinic_admin"],
                password=data["password"] or None,
            )
        except services.ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Added {clinician.full_name} ({clinician.username}).")
            return redirect("clinic_admin_clinicians")
    rows = [services.clinician_dict(c) for c in services.list_clinicians()]
    return render(request, "clinic/admin_clinicians.html", {"form": form, "rows": rows})


@clinic_admin_view
def audit_log(request: HttpRequest) -> HttpResponse:
    """The whole audit log, newest first, 50 a page."""
    page = Paginator(services.audit.all_entries(), 50).get_page(request.GET.get("page"))
    return render(
        request, "clinic/admin_audit.html", {"page": page, "actions": services.audit.ACTIONS}
    )
