"""Scaling benchmark of `walkrx cohort measure`: 40 week-long 50 Hz recordings, 1 vs 2 workers.

    .venv/bin/python scripts/bench_cohort.py [--cache DIR] [--n 40] [--days 7] [--rate 50] [--workers 1,2]

Recordings are synthetic thigh AX3 `.cwa` files (walkrx.research.synthetic_cohort); they are
cached in `--cache` (default: a temporary folder, deleted afterwards) and reused on the next
run. Each worker count processes all recordings into a fresh output folder through
`run_cohort` (a local Dask cluster, one single-threaded worker process per worker). Prints
throughput (recordings/min, samples/s) and the speed-up over 1 worker (target >= 1.7x with 2
workers on a 2-core machine). Cluster start-up is included in the wall time.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

from walkrx._machine import cpu_model
from walkrx.research.cohort import run_cohort
from walkrx.research.synthetic_cohort import write_synthetic_cohort


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="folder for the synthetic recordings (kept)")
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--days", type=float, default=7.0)
    parser.add_argument("--rate", type=float, default=50.0, help="sample rate, Hz")
    parser.add_argument("--workers", default="1,2", help="worker counts to compare")
    parser.add_argument("--placement", default="thigh")
    args = parser.parse_args()
    counts = [int(w) for w in args.workers.split(",")]

    scratch = Path(tempfile.mkdtemp(prefix="walkrx-bench-"))
    cache = args.cache or scratch / "recordings"
    try:
        t0 = time.perf_counter()
        paths = write_synthetic_cohort(
            cache, args.n, days=args.days, sampling_rate_hz=args.rate, placement=args.placement
        )
        size_gb = sum(p.stat().st_size for p in paths) / 1e9
        print(
            f"{len(paths)} recordings ({args.days:g} days at {args.rate:g} Hz, {size_gb:.1f} GB) "
            f"ready in {time.perf_counter() - t0:.0f} s: {cache}",
            file=sys.stderr,
        )
        results = {}
        for w in counts:
            out = scratch / f"out-{w}"
            shutil.rmtree(out, ignore_errors=True)
            print(f"load before {w} worker(s): {os.getloadavg()[0]:.1f}", file=sys.stderr)
            start = time.perf_counter()
            result = run_cohort(cache, args.placement, out, workers=w, tz="Europe/Oslo")
            wall = time.perf_counter() - start
            errors = result.counts["error"]
            samples = int(result.qc["n_samples"].fillna(0).sum())
            load_after = os.getloadavg()[0]
            print(f"load after {w} worker(s): {load_after:.1f}", file=sys.stderr)
            cpu = float(result.qc["cpu_seconds"].sum())
            results[w] = (wall, samples, errors, float(result.qc["seconds"].sum()), cpu, load_after)
            shutil.rmtree(out, ignore_errors=True)

        print()
        print(
            f"CPU: {cpu_model()}; {os.cpu_count()} logical cores; Python {platform.python_version()}"
        )
        load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
        print(f"Load average at the end (1, 5, 15 min): {load} (other processes skew the timings)")
        print(f"Recordings: {args.n} x {args.days:g} days at {args.rate:g} Hz ({args.placement})")
        print()
        print(
            f"{'workers':>7} {'wall s':>8} {'rec/min':>8} {'Msamples/s':>11} {'task s':>8} "
            f"{'CPU s/rec':>9} {'load':>5} {'errors':>6} {'speed-up':>9}"
        )
        base = results[counts[0]][0] * counts[0] if counts[0] != 1 else results[counts[0]][0]
        for w, (wall, samples, errors, task_s, cpu, load_after) in results.items():
            speed = base / wall
            print(
                f"{w:>7} {wall:>8.1f} {args.n / wall * 60:>8.2f} {samples / wall / 1e6:>11.2f} "
                f"{task_s:>8.1f} {cpu / args.n:>9.2f} {load_after:>5.1f} {errors:>6} {speed:>8.2f}x"
            )
        print(
            "(task s: sum of per-recording wall seconds; CPU s/rec: worker CPU per recording. "
            "Equal CPU s/rec with 1 and 2 workers means no oversubscription: a speed-up below 2x "
            "then comes from cores taken by other processes, see the load column.)"
        )
        if 1 in results and 2 in results:
            speed = results[1][0] / results[2][0]
            verdict = "meets" if speed >= 1.7 else "misses"
            print(
                f"\nScaling 1 -> 2 workers: {speed:.2f}x (efficiency {speed / 2:.0%}); "
                f"{verdict} the 1.7x target."
            )
        return 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
