"""Uploads imported off the web process: a bounded queue, a worker, one child per job.

The web process only saves the upload under ``MEDIA_ROOT/uploads/<walker>/<job>/in/``,
adds an ``UploadJob`` row and enqueues a django-tasks task (database backend, so
SQLite or PostgreSQL, no broker). The worker (``walkrx worker``, started by
``walkrx serve``) runs the task, which starts one child process per job under a
memory limit (``RLIMIT_AS``), a time limit and a low CPU priority, watches for
cancellation, and removes the job's files when it ends (see ``supervise.py``).
"""

from __future__ import annotations

import contextlib
import shutil
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import UploadJob, Walker
from .child import IMPORTERS, importer

JOB_ID_LEN = 32
ACTIVE = ("queued", "running")

__all__ = [
    "JOB_ID_LEN",
    "QueueFull",
    "cancel",
    "clean_job",
    "importer",
    "job_dir",
    "list_jobs",
    "read_status",
    "start",
    "supported",
    "upload_path",
    "uploads_dir",
    "walker_folders",
]


class QueueFull(Exception):
    """Too many imports are waiting; the walker is asked to try again later."""


def uploads_dir(walker: Walker) -> Path:
    """The walker's upload folder."""
    return Path(settings.MEDIA_ROOT) / "uploads" / str(walker.pk)


def walker_folders(walker: Walker) -> list[Path]:
    """Every folder holding the walker's files: uploads here, and the importer's stored copies."""
    media = Path(settings.MEDIA_ROOT)
    return [uploads_dir(walker), media / "imports" / str(walker.pk)]


def job_dir(job: UploadJob) -> Path:
    """The job's folder: ``in/`` holds the upload, ``tmp/`` the child's temporary files."""
    return Path(settings.MEDIA_ROOT) / "uploads" / str(job.walker_id) / job.pk


def upload_path(job: UploadJob) -> Path:
    """Where the job's uploaded file is kept until the job ends."""
    return job_dir(job) / "in" / job.file_name


def supported() -> dict[str, bool]:
    """Which kinds of file can be imported on this installation.

    Looks the importer modules up without importing them: the web process never
    loads the measuring stack (numpy, pandas, scipy); only the import child does.
    """
    from importlib.util import find_spec

    def present(module: str) -> bool:
        try:
            return find_spec(module) is not None
        except ImportError:
            return False

    return {k: present(m) for k, m in IMPORTERS.items()}


def _safe_name(name: str) -> str:
    name = Path(name.replace("\\", "/")).name[:200].strip()
    if name in ("", ".", ".."):
        return "upload"
    return f"upload-{name}" if name in WORK_DIRS else name


WORK_DIRS = ("in", "tmp")


def clean_job(job: UploadJob, *, keep_original: bool = False) -> None:
    """Remove the job's working files (``in/``, ``tmp/``), and its folder when empty.

    ``keep_original`` (a measured sensor recording) first moves the upload to
    ``<job>/<file name>``, where the download zip finds it as the walker's original;
    account erasure removes it with the walker's folders.
    """
    folder = job_dir(job)
    upload = upload_path(job)
    if keep_original and upload.is_file():
        upload.replace(folder / job.file_name)
    for sub in WORK_DIRS:
        shutil.rmtree(folder / sub, ignore_errors=True)
    with contextlib.suppress(OSError):
        folder.rmdir()  # only when nothing was kept


def status(job: UploadJob) -> dict[str, Any]:
    """What the walker's page and its script see: no paths, no traceback."""
    return {
        "id": job.pk,
        "file": job.file_name,
        "kind": job.kind,
        "placement": job.placement or None,
        "state": job.state,
        "percent": job.percent,
        "message": job.message,
        "counts": job.counts,
        "created": job.created.isoformat() if job.created else None,
        "cancellable": job.state in ACTIVE and not job.cancel_requested,
    }


def read_status(walker: Walker, job_id: str) -> dict[str, Any] | None:
    """The status of the walker's own job, or ``None`` (unknown id or another walker's)."""
    if len(job_id) != JOB_ID_LEN or not job_id.isalnum():
        return None
    job = UploadJob.objects.filter(pk=job_id, walker=walker).first()
    return status(job) if job is not None else None


def list_jobs(walker: Walker) -> list[dict[str, Any]]:
    """The walker's uploads, newest first."""
    return [status(j) for j in UploadJob.objects.filter(walker=walker).order_by("-created")]


def start(walker: Walker, upload: Any, kind: str, placement: str | None) -> str:
    """Save the upload and queue its import; return the job id.

    Raises :class:`QueueFull` when the queue (or this walker's share of it) is full.
    """
    from .supervise import run_upload

    active = UploadJob.objects.filter(state__in=ACTIVE)
    if active.count() >= settings.WALKRX_JOB_QUEUE_MAX:
        raise QueueFull("the import queue is full")
    if active.filter(walker=walker).count() >= settings.WALKRX_JOB_QUEUE_PER_WALKER:
        raise QueueFull("you already have imports waiting")
    job = UploadJob(
        id=uuid.uuid4().hex, walker=walker, file_name=_safe_name(upload.name), kind=kind
    )
    job.placement = placement or ""
    target = upload_path(job)
    target.parent.mkdir(parents=True, mode=0o700)
    try:
        with target.open("wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        with transaction.atomic():
            job.save()
            result = run_upload.enqueue(job.pk)
            UploadJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    except BaseException:
        shutil.rmtree(job_dir(job), ignore_errors=True)
        raise
    return str(job.pk)


def cancel(walker: Walker, job_id: str) -> bool:
    """Ask for the walker's job to stop; a queued job is cancelled at once. True if found."""
    job = UploadJob.objects.filter(pk=job_id, walker=walker).first()
    if job is None:
        return False
    if job.state not in ACTIVE:
        return True
    updated = UploadJob.objects.filter(pk=job.pk, state="queued").update(
        state="cancelled",
        cancel_requested=True,
        percent=100,
        message="Cancelled: nothing was imported.",
        finished=timezone.now(),
    )
    if updated:
        shutil.rmtree(job_dir(job), ignore_errors=True)
    else:  # running: the worker sees the flag within a second and stops the child
        UploadJob.objects.filter(pk=job.pk).update(
            cancel_requested=True, message="Stopping the import"
        )
    return True
