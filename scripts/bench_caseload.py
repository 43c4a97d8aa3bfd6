#!/usr/bin/env python
"""Benchmark the clinician's caseload page: 200 walkers x 1 year of data, 10 clients.

For each backend (SQLite, then a throwaway PostgreSQL from scripts/pg.sh): seed the
caseload with scripts/seed_caseload.py in a child process, start ``walkrx serve`` on a
free loopback port, sign in as the clinician over HTTP, time the first load (every
walker's row computed by the engines and cached), then run CLIENTS concurrent clients
(threads with ``http.client``, keep-alive, no think time). Prints p50/p95, throughput,
the cold first load and the CPU. Target: p95 <= 150 ms at 10 clients.

    .venv/bin/python scripts/bench_caseload.py                       # both backends
    .venv/bin/python scripts/bench_caseload.py --backends sqlite --walkers 50 --days 90
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from _bench_web import concurrent_ms, sign_in, single_client_ms, timed_gets

from walkrx._machine import cpu_model, free_port, start_bench_server
from walkrx._machine import percentile as pct

REPO = Path(__file__).resolve().parents[1]
USER, PASSWORD = "physio", "physio-bench-2026"


def seed(env: dict[str, str], walkers: int, days: int) -> None:
    subprocess.run([str(REPO / ".venv/bin/walkrx"), "init"], env=env, check=True)
    subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts/seed_caseload.py"),
            "--walkers",
            str(walkers),
            "--days",
            str(days),
            "--clinician",
            USER,
            "--password",
            PASSWORD,
        ],
        env=env,
        check=True,
    )


def client(port: int, cookie: str, n: int, out: list[float], errors: list[str], rows: int) -> None:
    """GET the caseload page ``n`` times; a good answer lists all ``rows`` walkers."""
    timed_gets(
        port,
        "/clinic/",
        cookie,
        n,
        out,
        errors,
        lambda body: body.count(b"<tr data-walker=") == rows,
        120,
    )


def run(backend: str, args: argparse.Namespace) -> dict[str, Any]:
    home = tempfile.mkdtemp(prefix="walkrx-bench-caseload-")
    env = dict(os.environ, WALKRX_HOME=home, WALKRX_DEBUG="0", WALKRX_LOG_LEVEL="ERROR")
    env.pop("DATABASE_URL", None)
    pgdir = None
    if backend == "postgresql":
        pgdir = tempfile.mkdtemp(prefix="walkrx-bench-pg-")
        env["DATABASE_URL"] = subprocess.run(
            ["bash", str(REPO / "scripts/pg.sh"), "start", pgdir],
            env=dict(env, PGPORT_WALKRX=str(free_port())),
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    server = None
    load_before = os.getloadavg()[0]
    try:
        t0 = time.perf_counter()
        seed(env, args.walkers, args.days)
        seed_s = time.perf_counter() - t0
        server, port = start_bench_server(REPO / ".venv/bin/walkrx", env, args.clients, 30)
        cookie = sign_in(port, USER, PASSWORD, "/clinic/")
        cold: list[float] = []
        client(port, cookie, 1, cold, [], args.walkers)  # computes and caches every row
        warm: list[float] = []
        warmers = [
            threading.Thread(target=client, args=(port, cookie, 2, warm, [], args.walkers))
            for _ in range(args.clients)
        ]
        for t in warmers:
            t.start()
        for t in warmers:
            t.join()
        single: list[float] = []
        client(port, cookie, 20, single, [], args.walkers)
        lat: list[float] = []
        errors: list[str] = []
        threads = [
            threading.Thread(
                target=client, args=(port, cookie, args.requests, lat, errors, args.walkers)
            )
            for _ in range(args.clients)
        ]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        if pgdir:
            subprocess.run(
                ["bash", str(REPO / "scripts/pg.sh"), "stop", pgdir], env=env, check=False
            )
    return {
        "backend": backend,
        "walkers": args.walkers,
        "days": args.days,
        "seed_s": round(seed_s, 1),
        "load_avg_1m_before": round(load_before, 2),
        "cold_first_load_ms": round(cold[0], 1) if cold else None,
        "single_client_ms": single_client_ms(single),
        "clients": args.clients,
        "requests": len(lat),
        "errors": len(errors),
        "concurrent_ms": concurrent_ms(lat),
        "throughput_rps": round(len(lat) / wall, 1),
        "pass": bool(lat) and pct(lat, 95) <= 150 and not errors,
    }


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--walkers", type=int, default=200)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--clients", type=int, default=10)
    ap.add_argument("--requests", type=int, default=20, help="requests per client")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    machine = {"cpu": cpu_model(), "cores": os.cpu_count(), "python": platform.python_version()}
    results = [run(b.strip(), args) for b in args.backends.split(",") if b.strip()]
    if args.json:
        print(json.dumps({"machine": machine, "results": results}, indent=2))
    else:
        print(f"CPU: {machine['cpu']} x {machine['cores']} cores; Python {machine['python']}")
        for r in results:
            c = r["concurrent_ms"]
            print(
                f"caseload page, {r['backend']}: {r['walkers']} walkers x {r['days']} days "
                f"(seeded in {r['seed_s']} s; load average before {r['load_avg_1m_before']})"
            )
            print(f"  first load, every row computed by the engines: {r['cold_first_load_ms']} ms")
            s = r["single_client_ms"]
            print(f"  one client: p50 {s['p50']} ms, p95 {s['p95']} ms")
            print(
                f"  {r['clients']} clients: {r['requests']} requests, {r['errors']} errors, "
                f"{r['throughput_rps']} req/s; p50 {c['p50']} ms, p95 {c['p95']} ms, "
                f"p99 {c['p99']} ms, max {c['max']} ms"
            )
            print(f"  target p95 <= 150 ms: {'PASS' if r['pass'] else 'FAIL'}")
    return 0 if all(r["pass"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
