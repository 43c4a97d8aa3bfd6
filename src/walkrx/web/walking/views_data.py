"""The walker's data: upload to import, download everything, delete everything."""

from __future__ import annotations

import shutil
import tempfile

from django.contrib import messages
from django.contrib.auth import logout
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import jobs, services
from .access import walker_view
from .forms import DeleteAccountForm, UploadForm


@walker_view(onboarded=False)
def data_page(request: HttpRequest) -> HttpResponse:
    """Upload, download and delete, with the list of uploads and their progress."""
    walker = request.walker  # type: ignore[attr-defined]
    form = UploadForm()
    return render(
        request,
        "walking/data.html",
        {
            "form": form,
            "delete_form": DeleteAccountForm(),
            "jobs": jobs.list_jobs(walker),
            "supported": jobs.supported(),
        },
    )


@walker_view(onboarded=False)
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    """Save a file and import it in the background."""
    walker = request.walker  # type: ignore[attr-defined]
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request,
            "walking/data.html",
            {
                "form": form,
                "delete_form": DeleteAccountForm(),
                "jobs": jobs.list_jobs(walker),
                "supported": jobs.supported(),
            },
            status=400,
        )
    d = form.cleaned_data
    try:
        job_id = jobs.start(walker, d["file"], d["kind"], d.get("placement") or None)
    except jobs.QueueFull as exc:
        response = render(request, "walking/upload_busy.html", {"reason": str(exc)}, status=503)
        response["Retry-After"] = "300"
        return response
    return redirect("upload_status", job_id=job_id)


@walker_view(onboarded=False)
@require_POST
def upload_cancel(request: HttpRequest, job_id: str) -> HttpResponse:
    """Stop one of the walker's imports (queued: at once; running: within a second)."""
    walker = request.walker  # type: ignore[attr-defined]
    if jobs.read_status(walker, job_id) is None:
        raise Http404("no such upload")
    jobs.cancel(walker, job_id)
    return redirect("upload_status", job_id=job_id)


@walker_view(onboarded=False)
def upload_status(request: HttpRequest, job_id: str) -> HttpResponse:
    """One upload's progress: a page that refreshes itself, or JSON for the script."""
    walker = request.walker  # type: ignore[attr-defined]
    status = jobs.read_status(walker, job_id)
    if status is None:
        raise Http404("no such upload")
    if request.GET.get("format") == "json":
        return JsonResponse(status)  # built from the job's row: no traceback, no path
    return render(request, "walking/upload_status.html", {"job": status})


@walker_view(onboarded=False)
def export(request: HttpRequest) -> HttpResponse:
    """Everything the walker owns as a zip: CSV and Parquet tables, JSON, FHIR, the originals."""
    from walkrx.web.interop.services import write_export_zip

    walker = request.walker  # type: ignore[attr-defined]
    # Spooled: small exports stay in memory, ones with large uploaded originals go to disk.
    # FileResponse closes the file when the response is done.
    buf = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115
    write_export_zip(walker, buf)  # type: ignore[arg-type]
    buf.seek(0)
    stamp = timezone.now().strftime("%Y%m%d")
    return FileResponse(
        buf,
        as_attachment=True,
        filename=f"walkrx-{walker.name}-{stamp}.zip",
        content_type="application/zip",
    )


@walker_view(onboarded=False)
@require_POST
def delete_account(request: HttpRequest) -> HttpResponse:
    """Erase the walker, their data, their uploads and their account."""
    walker = request.walker  # type: ignore[attr-defined]
    form = DeleteAccountForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Not deleted: type DELETE in capital letters to confirm.")
        return redirect("data")
    folders = jobs.walker_folders(walker)
    services.erase_walker(walker)
    for folder in folders:  # files go after the rows are gone (a failed erase keeps both)
        shutil.rmtree(folder, ignore_errors=True)
    logout(request)
    return render(request, "walking/deleted.html")
