"""The PDF report, for the clinician (linked walkers) and for the walker themselves."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from walkrx.web.walking import services as walking
from walkrx.web.walking.access import walker_view

from . import services
from .access import clinician_view, linked_walker
from .forms import ReportForm
from .services.report import render_pdf, report_data


def _pdf(walker: Any, start: dt.date, end: dt.date) -> HttpResponse:
    data = report_data(walker, start, end)
    pdf = render_pdf(data, walking.local_today(walker.tz))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="walkrx-{walker.name}-{start.isoformat()}-{end.isoformat()}.pdf"'
    )
    return response


def _form(request: HttpRequest, walker: Any) -> ReportForm:
    today = walking.local_today(walker.tz)
    initial = {"start": max(walker.start_date, today - dt.timedelta(days=90)), "end": today}
    return ReportForm(request.GET or None, initial=initial)


@clinician_view
def clinic_report(request: HttpRequest, name: str) -> HttpResponse:
    """Choose a period; with a valid period, download the PDF (audited)."""
    walker = linked_walker(request, name)
    form = _form(request, walker)
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        services.audit.record_by(
            walker,
            request.clinician,  # type: ignore[attr-defined]
            "report",
            f"{start.isoformat()} to {end.isoformat()}",
        )
        return _pdf(walker, start, end)
    return render(request, "clinic/report.html", {"walker": walker, "form": form, "clinic": True})


@walker_view
def my_report(request: HttpRequest) -> HttpResponse:
    """The walker's own report."""
    walker = request.walker  # type: ignore[attr-defined]
    form = _form(request, walker)
    if form.is_bound and form.is_valid():
        return _pdf(walker, form.cleaned_data["start"], form.cleaned_data["end"])
    return render(request, "clinic/report.html", {"walker": walker, "form": form, "clinic": False})
