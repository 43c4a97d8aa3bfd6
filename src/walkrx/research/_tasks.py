"""The per-recording Dask task: process one file into its own folder, never raise.

Runs on a worker. The recording is processed into a hidden ``.partial-*`` folder; only when
everything is written (the pipeline's outputs, ``cohort.json`` and the ``DONE`` marker) is
the folder renamed to its final name. A folder with that name therefore always holds a
complete result, and a rerun can skip it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
import platform
import shutil
import time
import traceback
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from walkrx._heap import large_array_heap

#: ``process(path, placement, tz, out_dir) -> summary`` (a ``walkrx.measure`` summary dict).
ProcessFn = Callable[[Path, str, "str | None", Path], Mapping[str, Any]]

RECORD_NAME = "cohort.json"
DONE_NAME = "DONE"
PARTIAL_PREFIX = ".partial-"

#: Environment variables that cap numeric libraries at one thread per worker process.
THREAD_ENV: dict[str, str] = {
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
    "BLIS_NUM_THREADS": "1",
}

DAY_FIELDS = ("date", "walk_min", "steps", "mean_met", "wear_min", "valid_day")
OPTIONAL_DAY_FIELDS = ("day_length_h", "cadence_mean_spm")


@dataclass(frozen=True)
class RecordingJob:
    """Everything a worker needs to process one recording (small and picklable)."""

    participant_id: str
    path: str
    file: str  # path relative to the input folder, for the QC table
    placement: str
    tz: str | None
    recordings_dir: str
    process: ProcessFn | None = None
    kwargs: dict[str, Any] = field(default_factory=dict)


def measure_recording(
    path: Path, placement: str, tz: str | None, out_dir: Path, **kwargs: Any
) -> Mapping[str, Any]:
    """Default ``process``: run ``walkrx.measure.measure_file`` and return its summary dict."""
    from walkrx.measure import measure_file

    result = measure_file(path, placement, tz=tz, out_dir=out_dir, **kwargs)
    summary = dict(result.summary)
    written = getattr(result, "out_dir", None)
    if written is not None and Path(written).parent == out_dir:
        # measure_file writes into out_dir/<file name>/: lift its files up one level.
        for item in Path(written).iterdir():
            os.replace(item, out_dir / item.name)
        Path(written).rmdir()
        summary["out_dir"] = None
    return summary


def warm_worker() -> None:
    """Import what :func:`measure_recording` needs (run once per worker, before its tasks)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401
    import pyarrow.parquet  # noqa: F401

    import walkrx.measure  # noqa: F401
    import walkrx.summary.qc  # noqa: F401


def final_dir(recordings_dir: Path, participant_id: str) -> Path:
    """Return the output folder of one participant's recording."""
    return recordings_dir / participant_id


def is_done(folder: Path) -> bool:
    """Return True when ``folder`` holds a finished recording (marker and record present)."""
    return (folder / DONE_NAME).is_file() and (folder / RECORD_NAME).is_file()


def load_record(folder: Path) -> dict[str, Any]:
    """Load the small summary a finished task left in its folder."""
    with open(folder / RECORD_NAME, encoding="utf-8") as fh:
        record: dict[str, Any] = json.load(fh)
    return record


def run_job(job: RecordingJob) -> dict[str, Any]:
    """Process one recording; return a small JSON-able summary. Never raises.

    Exceptions (unreadable file, pipeline bug, out of memory) are caught and returned as
    ``status="error"`` with the error type and message, so one bad file never stops the batch.
    """
    started = time.perf_counter()
    cpu_started = time.process_time()
    faults_started = _minor_page_faults()
    started_utc = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    recordings_dir = Path(job.recordings_dir)
    target = final_dir(recordings_dir, job.participant_id)
    partial = recordings_dir / f"{PARTIAL_PREFIX}{job.participant_id}-{uuid.uuid4().hex[:8]}"
    base: dict[str, Any] = {
        "participant_id": job.participant_id,
        "file": job.file,
        "output_dir": str(Path("recordings") / job.participant_id),
    }
    try:
        process = job.process or measure_recording
        partial.mkdir(parents=True)
        with large_array_heap():  # no page-fault storm in a Dask worker (see walkrx._heap)
            summary = process(Path(job.path), job.placement, job.tz, partial, **job.kwargs)
        record = _record_from_summary(base, summary)
        record["seconds"] = round(time.perf_counter() - started, 3)
        record["cpu_seconds"] = round(time.process_time() - cpu_started, 3)
        record["started_utc"] = started_utc
        record["worker"] = {
            "pid": os.getpid(),
            "host": platform.node(),
            "thread_env": {k: os.environ.get(k) for k in THREAD_ENV},
            "minor_page_faults": _minor_page_faults() - faults_started,
        }
        partial.mkdir(parents=True, exist_ok=True)
        with open(partial / RECORD_NAME, "w", encoding="utf-8") as fh:
            json.dump(record, fh, indent=1, default=_json_default)
        stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        (partial / DONE_NAME).write_text(f"finished {stamp}\n", encoding="utf-8")
        if target.exists():  # an incomplete leftover (never a finished one: those are skipped)
            shutil.rmtree(target)
        os.replace(partial, target)
        return record
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop the batch
        shutil.rmtree(partial, ignore_errors=True)
        message = f"{type(exc).__name__}: {exc}"
        return {
            **base,
            "status": "error",
            "error": message,
            "traceback": traceback.format_exc(limit=8),
            "days": 0,
            "valid_days": 0,
            "read_errors": None,
            "n_samples": None,
            "seconds": round(time.perf_counter() - started, 3),
            "cpu_seconds": round(time.process_time() - cpu_started, 3),
            "output_dir": None,
            "day_rows": [],
        }


def _minor_page_faults() -> int:
    """Minor page faults of this process so far (0 where the platform does not count them)."""
    try:
        import resource

        return int(resource.getrusage(resource.RUSAGE_SELF).ru_minflt)
    except (ImportError, OSError):
        return 0


def _record_from_summary(base: dict[str, Any], summary: Mapping[str, Any]) -> dict[str, Any]:
    days = list(summary.get("days") or [])
    rows = []
    for day in days:
        missing = [k for k in DAY_FIELDS if k not in day]
        if missing:
            raise KeyError(f"day summary lacks {', '.join(missing)}")
        row = {k: _plain(day[k]) for k in DAY_FIELDS}
        row.update({k: _plain(day.get(k)) for k in OPTIONAL_DAY_FIELDS})
        row["date"] = str(row["date"])[:10]
        row["valid_day"] = bool(day["valid_day"])
        rows.append(row)
    if "read_errors" in summary:
        read_errors = int(summary["read_errors"] or 0)
    else:
        corrupt = summary.get("corrupt_blocks", 0)
        read_errors = len(corrupt) if isinstance(corrupt, list | tuple) else int(corrupt or 0)
    return {
        **base,
        "status": "ok",
        "error": None,
        "days": len(rows),
        "valid_days": sum(1 for r in rows if r["valid_day"]),
        "read_errors": read_errors,
        "n_samples": int(summary.get("n_samples") or 0),
        "device": summary.get("device"),
        "sample_rate_hz": _plain(summary.get("sample_rate_hz")),
        "day_rows": rows,
    }


def _plain(value: Any) -> Any:
    """Turn numpy / pandas scalars into plain Python values; NaN into None."""
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        with contextlib.suppress(ValueError, AttributeError):
            value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _json_default(obj: Any) -> Any:
    plain = _plain(obj)
    if plain is obj:
        return str(obj)
    return plain
