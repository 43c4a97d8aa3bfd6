"""Cohort scaling: longest recordings first, no page-fault storm in Dask workers.

Runs on a real local Dask cluster with the real pipeline (no mocks).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from walkrx.measure import measure_file
from walkrx.research._tasks import RecordingJob
from walkrx.research.cohort import longest_first, run_cohort
from walkrx.research.synthetic_cohort import write_synthetic_cohort


def _job(path: Path) -> RecordingJob:
    return RecordingJob(
        participant_id=path.stem,
        path=str(path),
        file=path.name,
        placement="thigh",
        tz=None,
        recordings_dir=str(path.parent),
    )


def test_longest_first_orders_by_file_size(tmp_path: Path) -> None:
    sizes = {"a": 10, "b": 30, "c": 20, "d": 30, "e": 0}
    jobs = {}
    for i, (name, size) in enumerate(sizes.items()):
        p = tmp_path / f"{name}.cwa"
        p.write_bytes(b"x" * size)
        jobs[i] = _job(p)
    jobs[5] = _job(tmp_path / "missing.cwa")  # cannot be stat'ed: counts as empty
    order = [jobs[i].participant_id for i in longest_first(jobs)]
    assert order == ["b", "d", "c", "a", "e", "missing"]  # ties keep the input order


def test_cohort_starts_the_longest_recording_first(tmp_path: Path) -> None:
    """With one worker the tasks run one after another: largest file first, smallest last."""
    rec = tmp_path / "recordings"
    # names sort A < B < C; lengths (and so file sizes) are B > C > A
    for prefix, days in (("A", 0.05), ("B", 0.2), ("C", 0.1)):
        write_synthetic_cohort(rec, 1, days=days, sampling_rate_hz=25.0, prefix=prefix, seed=3)
    sizes = {p.stem: p.stat().st_size for p in rec.glob("*.cwa")}
    assert sizes["B0001"] > sizes["C0001"] > sizes["A0001"]
    out = tmp_path / "out"
    result = run_cohort(rec, "thigh", out, workers=1, tz="Europe/Oslo", show_progress=False)
    assert result.counts["ok"] == 3
    started = {
        pid: json.loads((out / "recordings" / pid / "cohort.json").read_text())["started_utc"]
        for pid in sizes
    }
    assert sorted(started, key=started.__getitem__) == ["B0001", "C0001", "A0001"]
    assert list(result.qc["participant_id"]) == ["A0001", "B0001", "C0001"]  # tables by name
    # the Dask path (heap settings, warmed workers, priorities) gives the plain pipeline's days
    for pid in sizes:
        plain = measure_file(rec / f"{pid}.cwa", "thigh", tz="Europe/Oslo", qc_plot=False)
        days = result.days[result.days["participant_id"] == pid]
        assert [str(d) for d in days["date"]] == [d["date"] for d in plain.summary["days"]]
        assert list(days["steps"]) == [d["steps"] for d in plain.summary["days"]]
        assert list(days["walk_min"]) == [d["walk_min"] for d in plain.summary["days"]]
        assert list(days["wear_min"]) == [d["wear_min"] for d in plain.summary["days"]]


FAULTS = r"""
import resource, sys
import numpy as np
from walkrx._heap import large_array_heap

def churn():
    # what a chunk loop does: allocate, fill and free arrays of a few MB
    for _ in range(100):
        a = np.ones((200_000, 3), np.float32)
        b = a.astype(np.float64)
        del a, b

churn()  # first touch of the heap is not what is measured
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
if sys.argv[1] == "inside":
    with large_array_heap():
        churn()
else:
    churn()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc malloc")
def test_large_array_heap_stops_the_page_fault_storm_of_dask_workers() -> None:
    """Dask starts workers with MALLOC_TRIM_THRESHOLD_=65536: every large array is a new mmap.

    100 rounds of a 2.4 MB and a 4.8 MB array then fault in about 125,000 pages (0.5 GB the
    kernel zeroes); inside ``large_array_heap`` the heap is reused.
    """
    env = {"MALLOC_TRIM_THRESHOLD_": "65536", "PATH": "/usr/bin:/bin"}

    def faults(where: str) -> int:
        out = subprocess.run(
            [sys.executable, "-c", FAULTS, where], env=env, capture_output=True, text=True
        )
        assert out.returncode == 0, out.stderr
        return int(out.stdout.strip())

    outside, inside = faults("outside"), faults("inside")
    assert outside > 50_000, outside  # the storm is real (so the test can fail)
    assert inside < outside / 20, (inside, outside)


def test_bench_worker_counts_fit_any_core_count() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    from bench_cohort import worker_counts

    assert worker_counts("auto", 2) == [1, 2]
    assert worker_counts("auto", 16) == [1, 2, 4, 8, 16]
    assert worker_counts("auto", 6) == [1, 2, 4, 6]
    assert worker_counts("auto", 1) == [1]
    assert worker_counts("1,2,4,...", 32) == [1, 2, 4, 8, 16, 32]
    assert worker_counts("1,2,4,...", 2) == [1, 2, 4]  # explicit counts are kept (and flagged)
    assert worker_counts("1,3", 16) == [1, 3]
    with pytest.raises(SystemExit):
        worker_counts("0,2", 2)
