"""The walker's data: upload to import, download everything, delete everything."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from walkrx.ingest.detect import Detected, UnknownFile, detect_upload

from . import jobs, services, upload_words
from .access import walker_view
from .forms import DeleteAccountForm, UploadForm


@walker_view(onboarded=False)
def data_page(request: HttpRequest) -> HttpResponse:
    """Upload, download and delete, with the list of uploads and their progress."""
    return _data_page(request, UploadForm())


def _data_page(request: HttpRequest, form: UploadForm, status: int = 200) -> HttpResponse:
    walker = request.walker  # type: ignore[attr-defined]
    return render(
        request,
        "walking/data.html",
        {
            "form": form,
            "delete_form": DeleteAccountForm(),
            "jobs": jobs.list_jobs(walker),
            "supported": jobs.supported(),
        },
        status=status,
    )


def _detect(upload: Any) -> Detected:
    """The kind of an uploaded file, judged by its content (nothing is stored yet)."""
    path = getattr(upload, "temporary_file_path", None)
    if callable(path):
        return detect_upload(path())
    suffix = Path(upload.name).suffix[:10]
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        tmp.flush()
        return detect_upload(tmp.name)


@walker_view(onboarded=False)
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    """Recognise the file by its content, save it and import it in the background."""
    walker = request.walker  # type: ignore[attr-defined]
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _data_page(request, form, 400)
    d = form.cleaned_data
    try:
        found = _detect(d["file"])
    except UnknownFile as exc:
        form.add_error("file", upload_words.plain_problem("; ".join(exc.problems)))
        return _data_page(request, form, 400)
    if found.kind == "sensor" and not d.get("placement"):
        form.add_error(
            "placement",
            f"This is {found.device}. Please say where the sensor was worn: walkrx never guesses.",
        )
        return _data_page(request, form, 400)
    try:
        job_id = jobs.start(walker, d["file"], found.kind, d.get("placement") or None)
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
    _job_status(walker, job_id)
    jobs.cancel(walker, job_id)
    return redirect("upload_status", job_id=job_id)


@walker_view(onboarded=False)
def upload_status(request: HttpRequest, job_id: str) -> HttpResponse:
    """One upload's result in plain words: a page that refreshes itself, or JSON for the script."""
    walker = request.walker  # type: ignore[attr-defined]
    status = _job_status(walker, job_id)
    words = upload_words.describe(walker, status, _stored_upload(walker, job_id, status))
    if request.GET.get("format") == "json":
        # the job's status (built from its row: no traceback, no path) and, once it has
        # ended, the result page's plain words
        plain = {
            **status,
            "headline": words["headline"],
            "explanation": words["detail"],
        }
        return JsonResponse(plain)
    return render(request, "walking/upload_status.html", {"job": status, "words": words})


def _job_status(walker: Any, job_id: str) -> dict[str, Any]:
    """The status of one of the walker's uploads; 404 when there is no such upload."""
    status = jobs.read_status(walker, job_id)
    if status is None:
        raise Http404("no such upload")
    return status


def _stored_upload(walker: Any, job_id: str, status: dict[str, Any]) -> Path | None:
    """Where the file of an upload is kept now, if it still is.

    While the job runs it is in the job's ``in/`` folder; a measured sensor recording is
    kept in the job's folder; a phone/watch export is kept by the importer as the
    walker's original (the newest copy of that name).
    """
    name = Path(str(status.get("file", ""))).name
    folder = jobs.uploads_dir(walker) / job_id
    for path in (folder / name, folder / "in" / name):
        if name and path.is_file():
            return path
    from walkrx.web.imports.models import SourceFile

    copy = (
        SourceFile.objects.filter(walker=walker, original_name=name)
        .order_by("-imported_at")
        .first()
    )
    if copy is not None and copy.stored and Path(copy.stored.path).is_file():
        return Path(copy.stored.path)
    return None


@walker_view(onboarded=False)
def upload_file(request: HttpRequest, job_id: str) -> FileResponse:
    """The file the walker uploaded, as it was uploaded."""
    walker = request.walker  # type: ignore[attr-defined]
    status = _job_status(walker, job_id)
    path = _stored_upload(walker, job_id, status)
    if path is None:
        raise Http404("the uploaded file is no longer stored")
    name = Path(str(status.get("file", ""))).name or path.name
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)


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
