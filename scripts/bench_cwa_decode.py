"""Decode-only benchmark of walkrx's ``.cwa`` reader on a synthetic 7-day 100 Hz AX3 file.

Usage::

    .venv/bin/python scripts/bench_cwa_decode.py [PATH] [--days 7] [--rate 100] [--chunk 1000000]

Writes the file first if PATH does not exist (default: a temporary folder,
deleted afterwards), then times reading every chunk and prints wall time,
MB/s, samples/s, peak RSS, the CPU model and core count.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from walkrx._machine import cpu_model
from walkrx.sensors import cwa
from walkrx.synthetic.writers import write_cwa


def synthetic_chunks(
    days: float, rate: float, chunk: int = 2_000_000
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Gravity on z plus a 1.8 Hz walking-like wobble and noise, in chunks."""
    n = int(days * 86400 * rate)
    t0 = np.datetime64("2024-10-21T00:00:00", "ns").astype(np.int64)
    rng = np.random.default_rng(0)
    for lo in range(0, n, chunk):
        i = np.arange(lo, min(n, lo + chunk))
        ts = i / rate
        acc = np.empty((i.size, 3))
        acc[:, 0] = 0.2 * np.sin(2 * np.pi * 1.8 * ts)
        acc[:, 1] = 0.1 * np.sin(2 * np.pi * 0.9 * ts)
        acc[:, 2] = 1.0 + 0.05 * rng.standard_normal(i.size)
        yield t0 + np.round(i * (1e9 / rate)).astype(np.int64), acc


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", help="CWA file to decode (written if missing)")
    ap.add_argument("--days", type=float, default=7.0)
    ap.add_argument("--rate", type=float, default=100.0)
    ap.add_argument("--chunk", type=int, default=1_000_000, help="samples per chunk")
    args = ap.parse_args()

    tmp = None
    if args.path:
        path = Path(args.path)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="walkrx-bench-")
        path = Path(tmp.name) / f"synthetic_{args.days:g}d_{args.rate:g}hz.cwa"
    try:
        if not path.exists():
            t = time.perf_counter()
            s = write_cwa(
                path,
                synthetic_chunks(args.days, args.rate),
                sample_rate_hz=args.rate,
                tz="Europe/Oslo",
            )
            print(
                f"wrote {path} ({s.n_bytes / 1e6:.1f} MB, {s.n_samples} samples) in {time.perf_counter() - t:.1f} s",
                file=sys.stderr,
            )
        size = path.stat().st_size
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t = time.perf_counter()
        n = 0
        n_err = 0
        for chunk, errors in cwa.iter_chunks(path, args.chunk, tz="Europe/Oslo"):
            n += len(chunk)
            n_err += len(errors)
        wall = time.perf_counter() - t
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"file            {path.name} ({size / 1e6:.1f} MB)")
        print(f"samples         {n} ({n_err} blocks skipped)")
        print(f"decode wall     {wall:.2f} s")
        print(f"throughput      {size / 1e6 / wall:.0f} MB/s, {n / wall / 1e6:.1f} M samples/s")
        print(
            f"peak RSS        {peak_kb / 1024:.0f} MB (before decoding: {rss_before / 1024:.0f} MB)"
        )
        print(f"chunk           {args.chunk} samples")
        print(
            f"cpu             {cpu_model()} x {os.cpu_count()} cores; python {platform.python_version()}, numpy {np.__version__}"
        )
    finally:
        if tmp is not None:
            tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
