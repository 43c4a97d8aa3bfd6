"""run_cohort on a real local Dask cluster (2 workers) with the real measure pipeline."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from walkrx.research._tasks import is_done
from walkrx.research.cohort import run_cohort
from walkrx.research.glossary import column_names

N_GOOD = 8  # recordings in the fixture folder (tests/research/conftest.py)

KILL_SCRIPT = """
import sys
from walkrx.research.cohort import run_cohort
run_cohort(sys.argv[1], "thigh", sys.argv[2], workers=2, tz="Europe/Oslo", show_progress=False)
"""


def _done(out: Path) -> set[str]:
    rec = out / "recordings"
    if not rec.is_dir():
        return set()
    return {p.name for p in rec.iterdir() if not p.name.startswith(".") and is_done(p)}


def test_killed_run_resumes_with_only_the_rest_and_a_corrupt_file_shows_in_qc(
    recordings: Path, tmp_path: Path
):
    out = tmp_path / "cohort"
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(recordings), str(out)],
        start_new_session=True,  # its own process group: the kill takes the workers too
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not _done(out):
            assert proc.poll() is None, "the batch ended before it could be killed"
            assert time.monotonic() < deadline, "no recording finished within 60 s"
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finished_before = _done(out)
    assert 1 <= len(finished_before) < N_GOOD, finished_before
    assert not (out / "qc.csv").exists()  # the killed run never got to the end

    result = run_cohort(recordings, "thigh", out, workers=2, tz="Europe/Oslo", show_progress=False)
    qc = result.qc.set_index("participant_id")
    assert result.n_workers == 2
    assert set(qc.index[qc["status"] == "skipped"]) == finished_before
    processed = set(qc.index[qc["status"] == "ok"])
    assert processed == {f"P{i:04d}" for i in range(1, N_GOOD + 1)} - finished_before
    assert not list((out / "recordings").glob(".partial-*"))  # leftovers of the kill removed

    # The corrupt file is reported, with the reader's message; the others finished.
    assert qc.loc["BROKEN", "status"] == "error"
    assert "BROKEN.cwa" in qc.loc["BROKEN", "error"]
    assert pd.isna(qc.loc["BROKEN", "output_dir"])
    assert "Traceback" in (out / "errors" / "BROKEN.txt").read_text()
    assert (qc["status"] != "error").sum() == N_GOOD

    # QC and days tables, on disk in both formats, with the documented columns.
    qc_disk = pd.read_csv(out / "qc.csv", dtype={"participant_id": str})
    assert list(qc_disk.columns) == column_names("qc")
    assert len(qc_disk) == N_GOOD + 1
    days = pq.read_table(out / "days.parquet")
    assert days.column_names == column_names("days")
    assert b"walkrx.columns" in days.schema.metadata
    days_df = days.to_pandas()
    assert set(days_df["participant_id"]) == {f"P{i:04d}" for i in range(1, N_GOOD + 1)}
    assert days_df["walk_min"].gt(0).all()
    assert (out / "days.csv").is_file() and (out / "glossary.md").is_file()
    for pid in qc.index[qc["status"] != "error"]:
        folder = out / "recordings" / pid
        assert {"Info.json", "daily.parquet", "DONE", "cohort.json"} <= {
            p.name for p in folder.iterdir()
        }
        record = json.loads((folder / "cohort.json").read_text())
        assert set(record["worker"]["thread_env"].values()) == {"1"}  # 1 BLAS/OMP thread
    info = json.loads((out / "Info.json").read_text())
    assert info["counts"] == {"ok": len(processed), "skipped": len(finished_before), "error": 1}

    # A third run finds everything done and starts no cluster for the good files.
    again = run_cohort(
        recordings,
        "thigh",
        out,
        workers=2,
        tz="Europe/Oslo",
        show_progress=False,
        files=[p.name for p in sorted(recordings.glob("P*.cwa"))],
    )
    assert set(again.qc["status"]) == {"skipped"}
    assert again.n_workers == 0
    pd.testing.assert_frame_equal(
        again.days.reset_index(drop=True),
        result.days.reset_index(drop=True),
    )


def test_bad_arguments_are_refused(recordings: Path, tmp_path: Path):
    with pytest.raises(ValueError, match="placement must be one of"):
        run_cohort(recordings, "ankle", tmp_path / "o")
    with pytest.raises(ValueError, match="not both"):
        run_cohort(
            recordings, "thigh", tmp_path / "o", workers=2, scheduler_address="tcp://127.0.0.1:1"
        )
    with pytest.raises(FileNotFoundError, match="input folder not found"):
        run_cohort(tmp_path / "nope", "thigh", tmp_path / "o", workers=1)


def test_runs_on_an_existing_scheduler(recordings: Path, tmp_path: Path):
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
    ) as cluster:
        files = ["P0001.cwa", "P0002.cwa", "BROKEN.cwa"]
        result = run_cohort(
            recordings,
            "thigh",
            tmp_path / "out",
            scheduler_address=cluster.scheduler_address,
            files=files,
            show_progress=False,
        )
        assert result.n_workers == 2
        assert result.counts == {"ok": 2, "skipped": 0, "error": 1}
        assert cluster.scheduler is not None and cluster.scheduler.status.name == "running"
