"""One import, run in its own short-lived process (``main``; started by ``supervise.py``).

Started by the worker (``supervise.py``) under a memory limit, a time limit and a low
CPU priority. It runs whichever importer exists at run time (detected, never assumed):

* phone/watch exports: ``walkrx.web.imports.services.import_files``
* sensor recordings: ``walkrx.measure.measure_file`` + ``services.store_measured_days``

and writes progress and the outcome to the job's row. A failure becomes one plain
sentence for the walker; the traceback goes to the worker's log only.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import re
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

log = logging.getLogger("walkrx.jobs")

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
_ABS_PATH = re.compile(r"(?<![\w.])/(?:[^\s/'\"]+/)+([^\s/'\"]*)")


IMPORTERS = {"consumer": "walkrx.web.imports.services", "sensor": "walkrx.measure"}


def importer(kind: str) -> Callable[..., Any] | None:
    """The importer function for ``kind`` ("consumer" or "sensor"), or ``None`` if not installed."""
    module = IMPORTERS[kind]
    name = {"consumer": "import_files", "sensor": "measure_file"}[kind]
    try:
        fn = getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None
    return fn if callable(fn) else None


def safe_message(text: str, file_name: str) -> str:
    """``text`` as the walker may read it: no server path (a path keeps its last part only)."""
    text = _ABS_PATH.sub(lambda m: m.group(1), text).strip()
    text = text[:400] or "the file could not be imported"
    return text if text.startswith(file_name) else f"{file_name}: {text}"


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


def plain(counts: dict[str, Any]) -> str:
    """The outcome in plain words, e.g. ``Imported: 3 new days, 120 records read.``."""
    parts = [f"{counts[k]} {w}" for k, w in _WORDS.items() if k in counts]
    if "corrupt_blocks" in counts:
        parts.append(f"damaged blocks skipped: {counts['corrupt_blocks']}")
    return "Imported: " + ", ".join(parts) + "." if parts else "Imported."


def run(job_id: str) -> int:
    """Import the job's file; record the outcome on its row. Returns the exit code."""
    from django.db import close_old_connections
    from django.utils import timezone

    from .. import services
    from ..models import UploadJob
    from . import clean_job, upload_path

    job = UploadJob.objects.select_related("walker").get(pk=job_id)
    walker = job.walker
    path = upload_path(job)
    last = [0.0]

    def update(**fields: Any) -> None:
        UploadJob.objects.filter(pk=job_id).update(**fields)

    def final(**fields: Any) -> None:
        """The outcome, written after the job's files are gone (the walker sees no leftovers).

        A measured recording is kept as the walker's original (the download zip has it).
        """
        keep = job.kind == "sensor" and fields.get("state") == "done"
        clean_job(job, keep_original=keep)
        update(percent=100, finished=timezone.now(), **fields)

    def progress(done: float, total: float | None = None, *_: Any, **__: Any) -> None:
        now = time.monotonic()
        if now - last[0] < 0.5:
            return
        last[0] = now
        pct = done if total is None else 100.0 * done / max(total, 1)
        update(percent=int(max(5, min(99, pct))))

    fn = importer(job.kind)
    if fn is None:
        final(
            state="unsupported",
            message="This kind of file cannot be imported on this installation yet.",
        )
        return 0
    update(percent=5, message="Reading the file")
    try:
        if job.kind == "consumer":
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
                {"path": path, "placement": job.placement, "tz": walker.tz, "progress": progress},
            )
            counts = services.store_measured_days(walker.name, _rows(result), source_file=path.name)
            summary = getattr(result, "summary", {}) or {}
            bad = summary.get("corrupt_blocks") if isinstance(summary, dict) else None
            if bad:
                counts = dict(counts, corrupt_blocks=str(bad)[:200])
        flat = {k: v for k, v in counts.items() if isinstance(v, int | float | str)}
        final(state="done", message=plain(flat), counts=flat)
        return 0
    except MemoryError:
        log.warning("job %s: out of memory", job_id)
        raise  # the supervisor words it (it knows the limit)
    except Exception as exc:  # a bad file: say what went wrong, keep the traceback in the log
        log.warning("job %s failed:\n%s", job_id, traceback.format_exc())
        close_old_connections()
        final(state="failed", message=safe_message(str(exc) or type(exc).__name__, job.file_name))
        return 1


def main(argv: list[str] | None = None) -> int:
    """Entry point of the child process (the caller has run ``django.setup()``)."""
    args = sys.argv[1:] if argv is None else argv
    return run(args[0])
