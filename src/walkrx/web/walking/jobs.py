"""Background imports of uploaded files, with progress kept in a small JSON status file.

One job = one uploaded file in ``MEDIA_ROOT/uploads/<walker id>/<job id>/``. A thread
runs whichever importer exists at run time (detected, never assumed):

* phone/watch exports: ``walkrx.web.imports.services.import_files``
* sensor recordings: ``walkrx.measure.measure_file`` + ``services.store_measured_days``

and writes ``status.json`` (state, percent, message, counts). The page polls it.
"""

from __future__ import annotations

import importlib
import inspect
import json
import threading
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection

from . import services
from .models import Walker

JOB_ID_LEN = 32


def uploads_dir(walker: Walker) -> Path:
    """The walker's upload folder."""
    return Path(settings.MEDIA_ROOT) / "uploads" / str(walker.pk)


def walker_folders(walker: Walker) -> list[Path]:
    """Every folder holding the walker's files: uploads here, and the importer's stored copies."""
    media = Path(settings.MEDIA_ROOT)
    return [uploads_dir(walker), media / "imports" / str(walker.pk)]


def importer(kind: str) -> Callable[..., Any] | None:
    """The importer function for ``kind`` ("consumer" or "sensor"), or ``None`` if not installed."""
    module, name = {
        "consumer": ("walkrx.web.imports.services", "import_files"),
        "sensor": ("walkrx.measure", "measure_file"),
    }[kind]
    try:
        fn = getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None
    return fn if callable(fn) else None


def supported() -> dict[str, bool]:
    """Which kinds of file can be imported on this installation."""
    return {k: importer(k) is not None for k in ("consumer", "sensor")}


def _write(job_dir: Path, **status: Any) -> None:
    path = job_dir / "status.json"
    old = json.loads(path.read_text()) if path.exists() else {}
    old.update(status)
    tmp = job_dir / "status.json.tmp"
    tmp.write_text(json.dumps(old, default=str))
    tmp.replace(path)


def read_status(walker: Walker, job_id: str) -> dict[str, Any] | None:
    """The status of the walker's own job, or ``None`` (unknown id or another walker's)."""
    if len(job_id) != JOB_ID_LEN or not job_id.isalnum():
        return None
    path = uploads_dir(walker) / job_id / "status.json"
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def list_jobs(walker: Walker) -> list[dict[str, Any]]:
    """The walker's uploads, newest first."""
    root = uploads_dir(walker)
    if not root.exists():
        return []
    jobs = []
    for d in root.iterdir():
        s = d / "status.json"
        if s.exists():
            jobs.append(json.loads(s.read_text()))
    return sorted(jobs, key=lambda j: j.get("created", ""), reverse=True)


def start(walker: Walker, upload: Any, kind: str, placement: str | None) -> str:
    """Save the upload and start importing it in the background; return the job id."""
    from django.utils import timezone

    job_id = uuid.uuid4().hex
    job_dir = uploads_dir(walker) / job_id
    job_dir.mkdir(parents=True)
    name = Path(upload.name).name[:200] or "upload"
    target = job_dir / name
    with target.open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    _write(
        job_dir,
        id=job_id,
        file=name,
        kind=kind,
        placement=placement,
        state="queued",
        percent=0,
        message="Waiting to start",
        created=timezone.now().isoformat(),
    )
    thread = threading.Thread(
        target=_run, args=(walker.pk, job_dir, target, kind, placement), daemon=True
    )
    thread.start()
    return job_id


def _call(fn: Callable[..., Any], available: dict[str, Any]) -> Any:
    """Call ``fn`` with the keyword arguments it accepts among ``available``."""
    params = inspect.signature(fn).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        kwargs = available
    else:
        kwargs = {k: v for k, v in available.items() if k in params}
    return fn(**kwargs)


def _rows(result: Any) -> list[dict[str, Any]]:
    """Per-day rows from a measurement (``summary["days"]``, a ``daily`` table, or a list)."""
    summary = getattr(result, "summary", None)
    if isinstance(summary, dict) and isinstance(summary.get("days"), list):
        return list(summary["days"])
    days = getattr(result, "daily", getattr(result, "days", result))
    if callable(getattr(days, "to_dict", None)):
        out: list[dict[str, Any]] = days.reset_index().to_dict("records")
        return out
    return list(days or [])


def _counts(result: Any) -> dict[str, Any]:
    """Flat numbers from an import summary (``as_dict()["totals"]``, a dict, or attributes)."""
    if callable(getattr(result, "as_dict", None)):
        data = result.as_dict()
        return dict(data.get("totals", data))
    if isinstance(result, dict):
        return result
    return dict(getattr(result, "__dict__", {}))


_WORDS = {
    "days_added": "new days",
    "added": "new days",
    "days_updated": "days updated",
    "updated": "days updated",
    "days_unchanged": "days unchanged",
    "unchanged": "days unchanged",
    "records": "records read",
    "records_skipped": "records skipped",
}


def _plain(counts: dict[str, Any]) -> str:
    """The outcome in plain words, e.g. ``Imported: 3 new days, 120 records read.``."""
    parts = [f"{counts[k]} {w}" for k, w in _WORDS.items() if k in counts]
    if "corrupt_blocks" in counts:
        parts.append(f"damaged blocks skipped: {counts['corrupt_blocks']}")
    return "Imported: " + ", ".join(parts) + "." if parts else "Imported."


def _run(walker_pk: int, job_dir: Path, path: Path, kind: str, placement: str | None) -> None:
    close_old_connections()
    try:
        walker = Walker.objects.get(pk=walker_pk)
        fn = importer(kind)
        if fn is None:
            _write(
                job_dir,
                state="unsupported",
                percent=100,
                message="This kind of file cannot be imported on this installation yet.",
            )
            return
        _write(job_dir, state="running", percent=5, message="Reading the file")

        def progress(done: float, total: float | None = None, *_: Any, **__: Any) -> None:
            pct = done if total is None else 100.0 * done / max(total, 1)
            _write(job_dir, percent=int(max(5, min(99, pct))))

        if kind == "consumer":
            result = _call(
                fn,
                {
                    "walker": walker,
                    "walker_name": walker.name,
                    "paths": [path],
                    "files": [path],
                    "progress": progress,
                    "on_progress": progress,
                },
            )
            counts = _counts(result)
        else:
            result = _call(
                fn,
                {
                    "path": path,
                    "placement": placement,
                    "tz": walker.tz,
                    "progress": progress,
                },
            )
            counts = services.store_measured_days(walker.name, _rows(result), source_file=path.name)
            summary = getattr(result, "summary", {}) or {}
            bad = summary.get("corrupt_blocks") if isinstance(summary, dict) else None
            if bad:
                counts = dict(counts, corrupt_blocks=str(bad)[:200])
        flat = {k: v for k, v in counts.items() if isinstance(v, int | float | str)}
        _write(job_dir, state="done", percent=100, message=_plain(flat), counts=flat)
    except Exception as exc:  # a bad file must never crash the server; say what went wrong
        _write(
            job_dir,
            state="failed",
            percent=100,
            message=f"{path.name}: " + str(exc).replace(str(path.parent) + "/", ""),
            detail=traceback.format_exc(limit=3)[-2000:],
        )
    finally:
        connection.close()
