"""Process a folder of recordings on Dask: one task per recording, resumable, QC'd.

Layout of ``out_dir``::

    recordings/<participant_id>/   one folder per finished recording (walkrx.measure outputs,
                                   cohort.json with the small summary, DONE marker)
    qc.parquet, qc.csv             every input file: ok / skipped / error, with the message
    days.parquet, days.csv         collated per-participant per-day table
    errors/<participant_id>.txt    message and traceback of each file that failed
    glossary.md                    the columns of both tables
    Info.json                      provenance of the last run

A rerun skips every recording whose folder is complete; folders are only renamed into place
when complete, so a run killed part way (power cut, ``kill -9``) leaves no half results.
Recordings that errored are retried on the next run. Two runs must not write into the same
``out_dir`` at the same time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import platform
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from walkrx import __version__
from walkrx.signal.base import check_placement

from ._tables import write_table
from ._tasks import (
    PARTIAL_PREFIX,
    THREAD_ENV,
    ProcessFn,
    RecordingJob,
    final_dir,
    is_done,
    load_record,
    run_job,
    warm_worker,
)
from .glossary import column_names, glossary_markdown

if TYPE_CHECKING:
    from distributed import Client

#: File name endings recognised as recordings (case-insensitive).
RECORDING_SUFFIXES: tuple[str, ...] = (
    ".cwa",
    ".cwa.gz",
    ".gt3x",
    ".csv",
    ".csv.gz",
    ".bin",
)

log = logging.getLogger(__name__)


@dataclass
class CohortResult:
    """What :func:`run_cohort` produced."""

    out_dir: Path
    qc: pd.DataFrame
    days: pd.DataFrame
    seconds: float
    n_workers: int

    @property
    def counts(self) -> dict[str, int]:
        """Files per status (ok, skipped, error)."""
        counts = {"ok": 0, "skipped": 0, "error": 0}
        for status, n in self.qc["status"].value_counts().items():
            counts[str(status)] = int(n)
        return counts

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-able summary for the CLI."""
        return {
            "out_dir": str(self.out_dir),
            "files": len(self.qc),
            **self.counts,
            "participants": int(self.days["participant_id"].nunique()) if len(self.days) else 0,
            "days": len(self.days),
            "valid_days": int(self.days["valid_day"].sum()) if len(self.days) else 0,
            "seconds": round(self.seconds, 2),
            "workers": self.n_workers,
            "errors": [
                {"participant_id": r.participant_id, "file": r.file, "error": r.error}
                for r in self.qc.itertuples()
                if r.status == "error"
            ],
            "outputs": {
                "qc": ["qc.parquet", "qc.csv"],
                "days": ["days.parquet", "days.csv"],
                "glossary": "glossary.md",
            },
        }


def stem_participant_id(path: Path) -> str:
    """Default participant id: the file name without its recording suffix(es)."""
    name = path.name
    lower = name.lower()
    for suffix in sorted(RECORDING_SUFFIXES, key=len, reverse=True):
        if lower.endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def find_recordings(inputs_dir: Path, suffixes: Sequence[str] = RECORDING_SUFFIXES) -> list[Path]:
    """Return the recording files directly inside ``inputs_dir``, sorted by name."""
    if not inputs_dir.is_dir():
        raise FileNotFoundError(f"{inputs_dir}: input folder not found")
    found = [
        p
        for p in inputs_dir.iterdir()
        if p.is_file()
        and not p.name.startswith(".")
        and any(p.name.lower().endswith(s) for s in suffixes)
    ]
    return sorted(found)


def run_cohort(
    inputs_dir: str | Path,
    placement: str,
    out_dir: str | Path,
    *,
    workers: int | None = None,
    scheduler_address: str | None = None,
    client: Client | None = None,
    tz: str | None = None,
    process: ProcessFn | None = None,
    process_kwargs: dict[str, Any] | None = None,
    participant_id: Callable[[Path], str] = stem_participant_id,
    files: Sequence[str | Path] | None = None,
    show_progress: bool = True,
) -> CohortResult:
    """Process every recording in ``inputs_dir`` on Dask and collate the results.

    Args:
        inputs_dir: folder of recordings (``.cwa``, ``.gt3x``, ``.csv`` ...; not recursive).
        placement: sensor placement passed to the pipeline (``lower-back``, ``thigh``, ``wrist``).
        out_dir: cohort output folder (see the module docstring for its layout).
        workers: local worker processes (1 thread each); default: one per CPU core.
        scheduler_address: address of a running Dask scheduler (``tcp://host:8786``) instead
            of a local cluster. ``inputs_dir`` and ``out_dir`` must then be on a file system
            every worker sees under the same path.
        client: an existing ``distributed.Client`` to use (not closed here).
        tz: IANA time zone of the recordings, when the files do not say.
        process: ``process(path, placement, tz, out_dir, **process_kwargs) -> summary``; default
            :func:`walkrx.research._tasks.measure_recording` (``walkrx.measure.measure_file``).
            Must be importable on the workers (a module-level function).
        process_kwargs: extra keyword arguments for ``process``, e.g. ``chunk_samples`` or
            ``settings=MeasureSettings(...)`` for ``measure_file``; recorded in ``Info.json``.
        participant_id: maps a file path to its participant id (default: the file stem).
        files: process only these files (names or paths inside ``inputs_dir``).
        show_progress: draw Dask's progress bar on stderr.

    Returns:
        A :class:`CohortResult` with the QC table and the collated day table.

    """
    if workers is not None and scheduler_address is not None:
        raise ValueError("give either workers (local cluster) or scheduler_address, not both")
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    placement = check_placement(placement)
    started = time.perf_counter()
    inputs = Path(inputs_dir)
    out = Path(out_dir)
    recordings_dir = out / "recordings"
    recordings_dir.mkdir(parents=True, exist_ok=True)
    _remove_partials(recordings_dir)

    paths = _select(inputs, files)
    records: dict[int, dict[str, Any]] = {}
    jobs: dict[int, RecordingJob] = {}
    seen: dict[str, str] = {}
    for i, path in enumerate(paths):
        rel = str(path.relative_to(inputs)) if path.is_relative_to(inputs) else str(path)
        pid = participant_id(path)
        if pid in seen:
            records[i] = _error_record(
                pid, rel, f"duplicate participant_id {pid!r}: already used by {seen[pid]}"
            )
            continue
        seen[pid] = rel
        folder = final_dir(recordings_dir, pid)
        if is_done(folder):
            record = load_record(folder)
            record["status"] = "skipped"
            records[i] = record
            continue
        jobs[i] = RecordingJob(
            participant_id=pid,
            path=str(path.resolve()),
            file=rel,
            placement=placement,
            tz=tz,
            recordings_dir=str(recordings_dir.resolve()),
            process=process,
            kwargs=dict(process_kwargs or {}),
        )

    n_workers = 0
    if jobs:
        with _dask_client(workers, scheduler_address, client) as dask_client:
            n_workers = len(dask_client.scheduler_info().get("workers", {}))
            records.update(_run_jobs(dask_client, jobs, show_progress))

    _write_error_details(out / "errors", records.values())
    qc = _qc_table([records[i] for i in sorted(records)])
    days = _days_table([records[i] for i in sorted(records)])
    write_table(qc, out / "qc", "qc")
    write_table(days, out / "days", "days")
    (out / "glossary.md").write_text(
        "# walkrx cohort tables\n\n" + glossary_markdown(), encoding="utf-8"
    )
    seconds = time.perf_counter() - started
    result = CohortResult(out_dir=out, qc=qc, days=days, seconds=seconds, n_workers=n_workers)
    _write_info(out, inputs, placement, tz, process_kwargs, scheduler_address, result)
    return result


def _select(inputs: Path, files: Sequence[str | Path] | None) -> list[Path]:
    if files is None:
        return find_recordings(inputs)
    chosen = []
    for f in files:
        p = Path(f)
        p = p if p.is_absolute() else inputs / p
        chosen.append(p)
    return chosen


def _remove_partials(recordings_dir: Path) -> None:
    """Delete folders left by tasks that never finished (a killed earlier run)."""
    for leftover in recordings_dir.glob(f"{PARTIAL_PREFIX}*"):
        shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def _dask_client(
    workers: int | None, scheduler_address: str | None, client: Client | None
) -> Iterator[Client]:
    """Yield a client: the given one, one connected to a scheduler, or a local cluster's."""
    from distributed import Client, LocalCluster

    if client is not None:
        yield client
        return
    if scheduler_address is not None:
        try:
            remote = Client(scheduler_address, set_as_default=False)
        except OSError as exc:
            raise OSError(f"cannot reach the Dask scheduler at {scheduler_address}: {exc}") from exc
        with remote:
            yield remote
        return
    import dask

    n = workers or os.cpu_count() or 1
    environ = {**dask.config.get("distributed.nanny.pre-spawn-environ", {}), **THREAD_ENV}
    # Dask's statistical profiler samples every worker's stack every 10 ms (about 5 % of a
    # task's CPU); only its dashboard shows the result, and a local run starts none.
    with dask.config.set(
        {
            "distributed.nanny.pre-spawn-environ": environ,
            "distributed.worker.profile.enabled": False,
        }
    ):
        cluster = LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,  # no Bokeh dashboard ...
            # ... and the scheduler's small HTTP server (health, metrics) on a free port,
            # not 8787, so that concurrent local runs never collide.
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            host="127.0.0.1",
            silence_logs=logging.ERROR,
            env=THREAD_ENV,
        )
    try:
        with Client(cluster, set_as_default=False) as local:
            yield local
    finally:
        cluster.close()


def _run_jobs(
    client: Client, jobs: dict[int, RecordingJob], show_progress: bool
) -> dict[int, dict[str, Any]]:
    from distributed import progress

    if all(job.process is None for job in jobs.values()):
        _warm_workers(client)
    order = longest_first(jobs)
    futures = {
        i: client.submit(
            run_job,
            jobs[i],
            key=f"measure-{jobs[i].participant_id}-{i}",
            pure=False,
            priority=len(order) - rank,  # Dask runs higher priorities first
        )
        for rank, i in enumerate(order)
    }
    if show_progress:
        # Dask's text progress bar writes to stdout; stdout is for --json, so redirect it.
        with contextlib.redirect_stdout(sys.stderr):
            progress(list(futures.values()), scheduler=client.scheduler.address)
            sys.stderr.write("\n")
    out: dict[int, dict[str, Any]] = {}
    for i, fut in futures.items():
        job = jobs[i]
        try:
            out[i] = fut.result()
        except Exception as exc:  # noqa: BLE001 - e.g. KilledWorker: the task crashed its worker
            out[i] = _error_record(job.participant_id, job.file, f"{type(exc).__name__}: {exc}")
    return out


def longest_first(jobs: dict[int, RecordingJob]) -> list[int]:
    """Job keys by input file size, largest first (ties: in input order).

    Submitted in this order (and with matching priorities), the longest recordings start
    first and the last wave holds the shortest ones, so fewer workers idle at the end (the
    longest-processing-time-first rule). A file that cannot be stat'ed counts as empty; its
    task reports the error.
    """

    def size(i: int) -> int:
        try:
            return os.stat(jobs[i].path).st_size
        except OSError:
            return 0

    return sorted(jobs, key=lambda i: (-size(i), i))


def _warm_workers(client: Client) -> None:
    """Import the pipeline on every worker before the first task (in parallel, not per task).

    Otherwise each worker's first recording pays about 1.3 s of CPU for importing SciPy,
    pandas, pyarrow and matplotlib, so CPU per recording grew with the number of workers.
    A worker that fails here fails its tasks later with a message in the QC table.
    """
    with contextlib.suppress(Exception):
        client.run(warm_worker)


def _write_error_details(folder: Path, records: Iterable[dict[str, Any]]) -> None:
    """Keep ``errors/<participant_id>.txt`` (message and traceback) for each failed file."""
    for record in records:
        path = folder / f"{record['participant_id']}.txt"
        if record.get("status") == "error":
            folder.mkdir(parents=True, exist_ok=True)
            text = f"{record['file']}\n{record['error']}\n\n{record.get('traceback') or ''}"
            path.write_text(text, encoding="utf-8")
        elif path.exists():
            path.unlink()  # fixed since an earlier run


def _error_record(pid: str, file: str, message: str) -> dict[str, Any]:
    return {
        "participant_id": pid,
        "file": file,
        "status": "error",
        "error": message,
        "days": 0,
        "valid_days": 0,
        "read_errors": None,
        "n_samples": None,
        "seconds": None,
        "cpu_seconds": None,
        "output_dir": None,
        "day_rows": [],
    }


def _qc_table(records: list[dict[str, Any]]) -> pd.DataFrame:
    cols = column_names("qc")
    qc = pd.DataFrame([{c: r.get(c) for c in cols} for r in records], columns=cols)
    qc["participant_id"] = qc["participant_id"].astype("string")
    qc["file"] = qc["file"].astype("string")
    qc["status"] = qc["status"].astype("string")
    qc["error"] = qc["error"].astype("string")
    for c in ("days", "valid_days", "read_errors", "n_samples"):
        qc[c] = pd.to_numeric(qc[c]).astype("Int64")
    qc["seconds"] = pd.to_numeric(qc["seconds"]).astype("float64")
    qc["cpu_seconds"] = pd.to_numeric(qc["cpu_seconds"]).astype("float64")
    qc["output_dir"] = qc["output_dir"].astype("string")
    return qc


def _days_table(records: list[dict[str, Any]]) -> pd.DataFrame:
    cols = column_names("days")
    rows = [
        {"participant_id": r["participant_id"], "file": Path(r["file"]).name, **day}
        for r in records
        if r.get("status") in ("ok", "skipped")
        for day in r.get("day_rows", [])
    ]
    days = pd.DataFrame(rows, columns=cols)
    days["participant_id"] = days["participant_id"].astype("string")
    days["file"] = days["file"].astype("string")
    days["date"] = pd.to_datetime(days["date"]).dt.date
    for c in ("day_length_h", "wear_min", "walk_min", "steps", "cadence_mean_spm", "mean_met"):
        days[c] = pd.to_numeric(days[c]).astype("float64")
    days["valid_day"] = days["valid_day"].astype(bool)
    return days.sort_values(["participant_id", "date"], kind="stable").reset_index(drop=True)


def _write_info(
    out: Path,
    inputs: Path,
    placement: str,
    tz: str | None,
    settings: dict[str, Any] | None,
    scheduler_address: str | None,
    result: CohortResult,
) -> None:
    import dask
    import distributed

    info = {
        "walkrx_version": __version__,
        "finished_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "inputs_dir": inputs.name,
        "placement": placement,
        "tz": tz,
        "settings": settings or {},
        "scheduler": "remote" if scheduler_address else "local",
        "workers": result.n_workers,
        "dask_version": dask.__version__,
        "distributed_version": distributed.__version__,
        "python": platform.python_version(),
        "counts": result.counts,
        "seconds": round(result.seconds, 2),
    }
    tmp = out / "Info.json.tmp"
    tmp.write_text(json.dumps(info, indent=2, default=str), encoding="utf-8")
    os.replace(tmp, out / "Info.json")
