#!/usr/bin/env python
"""Benchmark a walker's page (progress or today): 2 years of daily data and 700 walks, 20 clients.

Seeds one walker in a throwaway WALKRX_HOME, starts ``walkrx serve`` on a free loopback
port, signs in over HTTP, then runs CLIENTS concurrent clients (threads with
``http.client``, keep-alive, no think time) for a bounded number of requests each.
Prints the server's processes and threads, latency percentiles, throughput, the CPU
and the load average before each run. ``--compare`` also times the single-process
server (waitress, one process, 20 threads: ``walkrx serve`` before worker processes)
on the same data in the same run. Target: >= 500 requests/s with p95 <= 100 ms.

    .venv/bin/python scripts/bench_progress.py --compare                  # SQLite
    .venv/bin/python scripts/bench_progress.py --compare --page today
    .venv/bin/python scripts/bench_progress.py --compare --postgres       # throwaway PostgreSQL
    DATABASE_URL=postgres://... .venv/bin/python scripts/bench_progress.py
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from _bench_web import concurrent_ms, sign_in, single_client_ms, timed_gets

from walkrx._machine import cpu_model, free_port, start_bench_server

REPO = Path(__file__).resolve().parents[1]
USER, PASSWORD = "bench", "bench-walks-2026"


def seed(env: dict[str, str], days: int, walks: int) -> None:
    """Create the schema and the bench walker in a child process (same settings as the server)."""
    code = f"""
import datetime as dt, random
from walkrx.cli._django import setup
setup()
from django.contrib.auth.models import User
from walkrx.web.walking import services
from walkrx.web.walking.models import Walk, DailyActivity, CheckIn, PlanSnapshot
from walkrx.timeutil import monday_of
rng = random.Random(7)
tz = "Europe/Oslo"
today = services.local_today(tz)
start = today - dt.timedelta(days={days} - 1)
user = User.objects.create_user({USER!r}, "bench@example.org", {PASSWORD!r})
from walkrx.evidence.red_flags import SCREEN_CODES
w = services.create_walker(name="bench", age=62, goal="lower-risk", tz=tz, start_date=start,
                           baseline_minutes=10, user=user,
                           screening=dict.fromkeys(SCREEN_CODES, False))
services.mark_onboarded(w)
DailyActivity.objects.bulk_create([
    DailyActivity(walker=w, date=start + dt.timedelta(days=i), origin="imported",
                  steps=rng.randint(2000, 11000), walk_min=rng.uniform(20, 130), valid_day=True)
    for i in range({days})], batch_size=500)
walk_days = sorted(rng.sample(range({days}), {walks}))
objs = []
for i in walk_days:
    d = start + dt.timedelta(days=i)
    before = rng.randint(1, 5)
    objs.append(Walk(walker=w, start_utc=dt.datetime.combine(d, dt.time(9, 0), tzinfo=dt.UTC),
                     tz=tz, local_date=d, minutes=rng.choice([10, 15, 20, 25, 30]),
                     steps=rng.randint(900, 3500), pain_before=before,
                     pain_max=min(10, before + rng.randint(0, 2)),
                     pain_after=max(0, before - rng.randint(-1, 2)), terrain="flat", source="bench"))
Walk.objects.bulk_create(objs, batch_size=500)
CheckIn.objects.bulk_create([CheckIn(walker=w, date=start + dt.timedelta(days=7 * k + 6), avg_pain=3,
                             worst_pain=4, rest_pain=1) for k in range({days} // 7)])
plan = services.plan_for(w, today)  # this week's plan through the engine
data = plan.to_dict()
PlanSnapshot.objects.bulk_create([
    PlanSnapshot(walker=w, week_start=monday_of(start) + dt.timedelta(weeks=k), plan=data,
                 digest=str(k)) for k in range({days} // 7)], ignore_conflicts=True)
print("seeded", Walk.objects.filter(walker=w).count(), "walks,",
      DailyActivity.objects.filter(walker=w).count(), "days")
"""
    subprocess.run(
        [sys.executable, "-c", "from walkrx.cli._django import setup; setup()"],
        env=env,
        check=True,
    )
    subprocess.run([str(REPO / ".venv/bin/walkrx"), "init"], env=env, check=True)
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


PAGES = {
    # page: (path, text every good response holds)
    "progress": ("/progress/", b"Walking minutes each day"),
    "today": ("/today/", b"Log a walk"),
}


def client(
    port: int, cookie: str, n: int, out: list[float], errors: list[str], page: str = "progress"
) -> None:
    """GET ``page`` ``n`` times; a good answer holds the page's text (PAGES)."""
    path, marker = PAGES[page]
    timed_gets(port, path, cookie, n, out, errors, lambda body: marker in body, 60)


def run_clients(
    port: int, cookie: str, clients: int, n: int, page: str
) -> tuple[list[float], list[str], float]:
    lat: list[float] = []
    errors: list[str] = []
    threads = [
        threading.Thread(target=client, args=(port, cookie, n, lat, errors, page))
        for _ in range(clients)
    ]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return lat, errors, time.perf_counter() - t0


def measure(
    env: dict[str, str],
    args: argparse.Namespace,
    server_args: list[str],
    threads: int,
    db_pid: int | None = None,
) -> dict[str, Any]:
    """Start one server, warm it, time one client then CLIENTS clients; stop it."""
    load_before = os.getloadavg()[0]
    server, port = start_bench_server(
        REPO / ".venv/bin/walkrx", env, threads, 30, extra=[*server_args, "--no-worker"]
    )
    try:
        cookie = sign_in(port, USER, PASSWORD, "/progress/")
        run_clients(port, cookie, args.clients, 3, args.page)  # warm-up: connections, caches
        single: list[float] = []
        client(port, cookie, 30, single, [], args.page)
        server_cpu0, own0 = tree_cpu_s(server.pid), os.times()
        db_cpu0 = tree_cpu_s(db_pid) if db_pid else 0.0
        lat, errors, wall = run_clients(port, cookie, args.clients, args.requests, args.page)
        server_cpu = tree_cpu_s(server.pid) - server_cpu0
        db_cpu = (tree_cpu_s(db_pid) - db_cpu0) if db_pid else 0.0
        own1 = os.times()
        client_cpu = own1.user + own1.system - own0.user - own0.system
    finally:
        server.terminate()
        server.wait(timeout=30)
    if not lat:
        raise SystemExit(f"no successful request: {errors[:3]}")
    if "waitress" in server_args:
        processes = 1
    elif "--processes" in server_args:
        processes = int(server_args[server_args.index("--processes") + 1])
    else:
        from walkrx.web.server import default_processes

        processes = default_processes()  # walkrx serve's default
    return {
        "server": " ".join(server_args),
        "processes": processes,
        "threads": threads,
        "load_avg_1m_before": round(load_before, 2),
        "requests": len(lat),
        "errors": len(errors),
        "single_client_ms": single_client_ms(single),
        "concurrent_ms": concurrent_ms(lat),
        "throughput_rps": round(len(lat) / wall, 1),
        # CPU time per request (less sensitive to other work on the machine than req/s)
        "server_cpu_ms_per_request": round(server_cpu * 1000 / len(lat), 2),
        "client_cpu_ms_per_request": round(client_cpu * 1000 / len(lat), 2),
        "database_cpu_ms_per_request": round(db_cpu * 1000 / len(lat), 2),
    }


TARGET_RPS, TARGET_P95_MS = 500, 100


def tree_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) used so far by ``pid`` and its descendants (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            kids = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
        todo.extend(int(k) for k in kids)
    return total


def show(name: str, r: dict[str, Any], clients: int) -> None:
    c = r["concurrent_ms"]
    print(
        f"{name}: walkrx serve {r['server']} --threads {r['threads']}: {r['processes']} "
        f"process(es) x {r['threads']} threads (load before {r['load_avg_1m_before']})"
    )
    print(
        f"  one client:  p50 {r['single_client_ms']['p50']} ms, p95 {r['single_client_ms']['p95']} ms"
    )
    print(
        f"  {clients} clients: {r['requests']} requests, {r['errors']} errors, "
        f"{r['throughput_rps']} req/s; p50 {c['p50']} ms, p95 {c['p95']} ms, "
        f"p99 {c['p99']} ms, max {c['max']} ms"
    )
    server_ms, client_ms = r["server_cpu_ms_per_request"], r["client_cpu_ms_per_request"]
    db_ms = r["database_cpu_ms_per_request"]
    cores = os.cpu_count() or 1
    # one Python process uses one core at most (the GIL); clients and database share the cores
    ceiling = 1000 * min(cores / (server_ms + client_ms + db_ms), r["processes"] / server_ms)
    print(
        f"  CPU per request: server {server_ms} ms, these clients {client_ms} ms"
        + (f", PostgreSQL {db_ms} ms" if db_ms else "")
        + f"; on {cores} idle cores that allows about {ceiling:.0f} req/s (an estimate)"
    )


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--page", choices=sorted(PAGES), default="progress")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=25, help="requests per client")
    ap.add_argument("--days", type=int, default=730)
    ap.add_argument("--walks", type=int, default=700)
    ap.add_argument(
        "--processes",
        type=int,
        help="web processes (walkrx serve --processes; default: its default, two per core)",
    )
    ap.add_argument(
        "--threads",
        type=int,
        help="threads per web process (default: walkrx serve's default)",
    )
    ap.add_argument(
        "--server",
        choices=("auto", "gunicorn", "waitress"),
        default="auto",
        help="the server measured (walkrx serve --server)",
    )
    ap.add_argument(
        "--compare",
        action="store_true",
        help="also time the single-process server (waitress, 20 threads: walkrx serve "
        "before worker processes) on the same data in the same run",
    )
    ap.add_argument("--postgres", action="store_true", help="start a throwaway PostgreSQL")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    home = tempfile.mkdtemp(prefix="walkrx-bench-")
    env = dict(os.environ, WALKRX_HOME=home, WALKRX_DEBUG="0", WALKRX_LOG_LEVEL="ERROR")
    pgdir = None
    if args.postgres and not env.get("DATABASE_URL"):
        pgdir = tempfile.mkdtemp(prefix="walkrx-bench-pg-")
        env["DATABASE_URL"] = subprocess.run(
            ["bash", str(REPO / "scripts/pg.sh"), "start", pgdir],
            env=dict(env, PGPORT_WALKRX=str(free_port())),
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    backend = "postgresql" if env.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    server_args = ["--server", args.server]
    if args.processes:
        server_args += ["--processes", str(args.processes)]
    if args.threads is None:  # what walkrx serve does by default
        from walkrx.web.server import DEFAULT_THREADS

        args.threads = DEFAULT_THREADS
    try:
        seed(env, args.days, args.walks)
        db_pid = None
        if pgdir:  # the throwaway PostgreSQL's postmaster (its backends are its children)
            db_pid = int((Path(pgdir) / "data" / "postmaster.pid").read_text().split()[0])
        new = measure(env, args, server_args, args.threads, db_pid)
        old = measure(env, args, ["--server", "waitress"], 20, db_pid) if args.compare else None
    finally:
        if pgdir:
            subprocess.run(
                ["bash", str(REPO / "scripts/pg.sh"), "stop", pgdir], env=env, check=False
            )
    result: dict[str, Any] = {
        "page": args.page,
        "backend": backend,
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "data": {"days": args.days, "walks": args.walks},
        "clients": args.clients,
        "measured": new,
        "single_process": old,
        "target": {"rps": TARGET_RPS, "p95_ms": TARGET_P95_MS},
    }
    if old:
        result["speedup"] = round(new["throughput_rps"] / old["throughput_rps"], 2)
    result["pass"] = (
        new["throughput_rps"] >= TARGET_RPS
        and new["concurrent_ms"]["p95"] <= TARGET_P95_MS
        and not new["errors"]
    )
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{args.page} page, {backend}: {args.days} days of data, {args.walks} walks")
        print(
            f"CPU: {result['cpu']} x {result['cores']} cores; Python {result['python']} "
            "(load average: other work on the machine skews results)"
        )
        show("measured", new, args.clients)
        if old:
            show("single process (before)", old, args.clients)
            print(
                f"same run: {new['throughput_rps']} vs {old['throughput_rps']} req/s "
                f"({result['speedup']} x); p95 {new['concurrent_ms']['p95']} vs "
                f"{old['concurrent_ms']['p95']} ms"
            )
        print(
            f"target >= {TARGET_RPS} req/s with p95 <= {TARGET_P95_MS} ms at {args.clients} "
            f"clients: {'PASS' if result['pass'] else 'FAIL'}"
        )
    return 0 if result["pass"] else 1


if __name__ == "__main__":
    random.seed(1)
    sys.exit(main())
