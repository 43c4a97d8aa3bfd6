"""Scaling benchmark of `walkrx cohort measure`: one cohort, processed with 1, 2, 4 ... workers.

    .venv/bin/python scripts/bench_cohort.py [--cache DIR] [--n 40] [--days 7] [--rate 50]
        [--workers auto | 1,2,4,... | 1,2,3]

Recordings are synthetic thigh AX3 `.cwa` files (walkrx.research.synthetic_cohort); they are
cached in `--cache` (default: a temporary folder, deleted afterwards) and reused on the next
run. Each worker count processes all recordings into a fresh output folder through
`run_cohort` (a local Dask cluster, one single-threaded worker process per worker).

`--workers auto` (the default) runs 1, 2, 4 ... up to the machine's core count (and the core
count itself); a list ending in `...` goes on doubling up to the core count. For each count it
prints the load before the run, wall time (cluster start-up included), speed-up over 1 worker,
efficiency (speed-up / workers), CPU seconds per recording (the workers' own CPU time) and its
change from the first count; a count above the core count is run but flagged. Targets: CPU per
recording with 2 workers within 5 % of 1 worker; speed-up >= 1.7x with 2 workers on a 2-core
machine (both on a quiet machine: other processes take cores and caches).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from walkrx._machine import cpu_model
from walkrx.research.cohort import run_cohort
from walkrx.research.synthetic_cohort import write_synthetic_cohort


def worker_counts(spec: str, cores: int) -> list[int]:
    """Parse ``--workers``: ``auto``, ``1,2,4`` or ``1,2,...`` (doubling up to ``cores``)."""
    spec = spec.strip()
    if spec == "auto":
        spec = "1,..."
    parts = [p.strip() for p in spec.split(",") if p.strip()]
    more = bool(parts) and parts[-1] == "..."
    counts = [int(p) for p in (parts[:-1] if more else parts)]
    if not counts or min(counts) < 1:
        raise SystemExit(f"--workers {spec!r}: give worker counts of at least 1, e.g. 1,2,4")
    if more:
        w = counts[-1]
        while w * 2 <= cores:
            w *= 2
            counts.append(w)
        if counts[-1] < cores:
            counts.append(cores)
    return list(dict.fromkeys(counts))


@dataclass
class Run:
    workers: int
    wall_s: float
    samples: int
    errors: int
    task_s: float  # sum of per-recording wall seconds
    cpu_s: float  # sum of per-recording worker CPU seconds
    load_before: float
    faults: int  # minor page faults of the tasks (from each recording's cohort.json)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="folder for the synthetic recordings (kept)")
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--days", type=float, default=7.0)
    parser.add_argument("--rate", type=float, default=50.0, help="sample rate, Hz")
    parser.add_argument("--workers", default="auto", help="worker counts: auto, 1,2,4 or 1,2,...")
    parser.add_argument("--placement", default="thigh")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    counts = worker_counts(args.workers, cores)

    print(f"CPU: {cpu_model()}; {cores} logical cores; Python {platform.python_version()}")
    print(f"Recordings: {args.n} x {args.days:g} days at {args.rate:g} Hz ({args.placement})")
    print(f"Worker counts: {', '.join(map(str, counts))}")
    for w in counts:
        if w > cores:
            print(
                f"warning: {w} workers on {cores} cores: they take turns on the cores, so this "
                "count shows oversubscription, not scaling"
            )
    if args.n < 2 * max(counts):
        print(
            f"note: {args.n} recordings for up to {max(counts)} workers: with fewer than two "
            "recordings per worker the last wave decides the wall time"
        )
    sys.stdout.flush()

    scratch = Path(tempfile.mkdtemp(prefix="walkrx-bench-"))
    cache = args.cache or scratch / "recordings"
    try:
        t0 = time.perf_counter()
        paths = write_synthetic_cohort(
            cache, args.n, days=args.days, sampling_rate_hz=args.rate, placement=args.placement
        )
        size_gb = sum(p.stat().st_size for p in paths) / 1e9
        print(
            f"{len(paths)} recordings ({size_gb:.2f} GB) ready in "
            f"{time.perf_counter() - t0:.0f} s: {cache}"
        )
        runs: list[Run] = []
        for w in counts:
            out = scratch / f"out-{w}"
            shutil.rmtree(out, ignore_errors=True)
            load = os.getloadavg()[0]
            print(f"running {w} worker(s), load before {load:.1f} ...", flush=True)
            start = time.perf_counter()
            result = run_cohort(
                cache, args.placement, out, workers=w, tz="Europe/Oslo", show_progress=False
            )
            wall = time.perf_counter() - start
            qc = result.qc
            runs.append(
                Run(
                    workers=w,
                    wall_s=wall,
                    samples=int(qc["n_samples"].fillna(0).sum()),
                    errors=result.counts["error"],
                    task_s=float(qc["seconds"].sum()),
                    cpu_s=float(qc["cpu_seconds"].sum()),
                    load_before=load,
                    faults=_page_faults(out),
                )
            )
            shutil.rmtree(out, ignore_errors=True)
        print_table(runs, args.n, cores)
        return 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _page_faults(out: Path) -> int:
    total = 0
    for record in (out / "recordings").glob("*/cohort.json"):
        worker = json.loads(record.read_text()).get("worker") or {}
        total += int(worker.get("minor_page_faults") or 0)
    return total


def print_table(runs: list[Run], n: int, cores: int) -> None:
    """The per-count table, and the 2-worker CPU and speed-up checks when both counts ran."""
    first = runs[0]
    # speed-up over 1 worker; when 1 worker did not run, assume the first count scaled perfectly
    one_worker_wall = first.wall_s * first.workers
    cpu0 = first.cpu_s / n
    print()
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"Load average at the end (1, 5, 15 min): {load} (other processes skew the timings)")
    print()
    print(
        "| workers | load before | wall s | speed-up | efficiency | CPU s/rec | CPU vs "
        f"{first.workers} | page faults/rec | task s/rec | rec/min | Msamples/s | errors |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in runs:
        speed = one_worker_wall / r.wall_s
        cpu = r.cpu_s / n
        flag = " (> cores)" if r.workers > cores else ""
        print(
            f"| {r.workers}{flag} | {r.load_before:.1f} | {r.wall_s:.1f} | {speed:.2f}x | "
            f"{speed / r.workers:.0%} | {cpu:.2f} | {100 * (cpu / cpu0 - 1):+.1f} % | "
            f"{r.faults / n:,.0f} | {r.task_s / n:.2f} | {n / r.wall_s * 60:.1f} | {r.samples / r.wall_s / 1e6:.2f} | "
            f"{r.errors} |"
        )
    print(
        "\n(CPU s/rec: the workers' CPU time per recording; page faults/rec: the minor page faults "
        "of its task (each one a page the kernel zeroes and maps); task s/rec: its wall time. CPU per "
        "recording that grows with the count means the workers slow each other (memory, caches) "
        "or other processes share the cores, see the load column. Wall time includes starting "
        "the cluster.)"
    )
    by = {r.workers: r for r in runs}
    if 1 in by and 2 in by:
        cpu_change = by[2].cpu_s / by[1].cpu_s - 1
        speed = by[1].wall_s / by[2].wall_s
        print(
            f"\n1 -> 2 workers: CPU per recording {100 * cpu_change:+.1f} % "
            f"({'meets' if abs(cpu_change) <= 0.05 else 'misses'} the within-5 % target); "
            f"speed-up {speed:.2f}x, efficiency {speed / 2:.0%} "
            f"({'meets' if speed >= 1.7 else 'misses'} the 1.7x target on 2 cores)"
        )


if __name__ == "__main__":
    sys.exit(main())
