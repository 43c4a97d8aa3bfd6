#!/usr/bin/env python
"""CPU of one cached walker page inside one process, and of the lookups every page makes.

The figures behind docs/web.md, "Third round": ``bench_progress.py`` measures pages over
HTTP with many clients; this script takes the web server out and prints, for the same
walker (730 days of imported data, 700 walks, seeded in a throwaway WALKRX_HOME):

1. CPU milliseconds per request of the progress and today pages through Django's WSGI
   handler (cached body, signed in), best and median of ROUNDS rounds of N requests;
2. microseconds per lookup of the walker's row: the ORM (``filter().first()``), Django's
   raw queries, and ``walkrx.web.rows.one_by`` with and without the page's fingerprint;
3. microseconds per fingerprint subquery, with the plan the database chose (SQLite);
4. with ``--postgres``: the database server's CPU per run of the walker-with-fingerprint
   statement, unprepared and prepared (read from the server process's /proc entry).

Run it on another tree (``PYTHONPATH=<tree>/src``) to compare: parts that need code the
tree lacks say so and are skipped.

    .venv/bin/python scripts/bench_page_cpu.py [--postgres] [--rounds 7] [--requests 300]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))


def _best_median(values: list[float]) -> str:
    values = sorted(values)
    return f"best {values[0]:.3f}, median {values[len(values) // 2]:.3f}"


def page_cpu(rounds: int, n: int) -> None:
    import io

    from django.contrib.auth.models import User
    from django.core.wsgi import get_wsgi_application
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username="bench"))
    cookie = "; ".join(f"{k}={v.value}" for k, v in client.cookies.items())
    app = get_wsgi_application()
    status: list[str] = []

    def get(path: str) -> None:
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_COOKIE": cookie,
            "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
        }  # fmt: skip
        b"".join(app(environ, lambda s, h, e=None: status.append(s)))
        if not status.pop().startswith("200"):
            raise SystemExit(f"{path}: not 200 for the signed-in bench walker")

    for path in ("/progress/", "/today/"):
        for _ in range(30):  # warm: the page's body cached, templates loaded
            get(path)
        per_request = []
        for _ in range(rounds):
            t0 = time.process_time()
            for _ in range(n):
                get(path)
            per_request.append((time.process_time() - t0) * 1000 / n)
        print(f"  {path:12s} CPU ms per request: {_best_median(per_request)} ({rounds} x {n})")


def lookups() -> None:
    from django.contrib.auth.models import User

    from walkrx.web.walking.models import Walker

    uid = User.objects.get(username="bench").pk
    table = Walker._meta.db_table
    cols = ", ".join(f'"{table}"."{f.column}"' for f in Walker._meta.concrete_fields)
    raw_sql = f'SELECT {cols} FROM "{table}" WHERE "user_id" = %s ORDER BY "id" LIMIT 1'
    runs: dict[str, Any] = {
        "ORM filter(user_id=...).first()": lambda: Walker.objects.filter(user_id=uid).first(),
        "Django raw query (RawQuerySet)": lambda: next(iter(Walker.objects.raw(raw_sql, [uid]))),
    }
    try:
        from walkrx.web.rows import one_by
        from walkrx.web.walking.services.progress import PROGRESS_AGGREGATES, aggregate_columns
    except ImportError:
        print("  (this tree has no walkrx.web.rows: one_by not timed)")
    else:
        fingerprint = aggregate_columns(PROGRESS_AGGREGATES)
        runs["walkrx one_by"] = lambda: one_by(Walker, "user_id", uid)
        runs["walkrx one_by + progress fingerprint"] = lambda: one_by(
            Walker, "user_id", uid, extra_columns=fingerprint
        )
    for name, fn in runs.items():
        best = min(timeit.repeat(fn, number=1000, repeat=5))
        print(f"  {name:40s} {best * 1000:7.1f} us")


def fingerprint_parts() -> None:
    from django.db import connection

    from walkrx.web.walking.models import Walker

    try:
        from walkrx.web.walking.services.progress import PROGRESS_AGGREGATES, TODAY_AGGREGATES
    except ImportError:
        print("  (this tree names no fingerprint columns: skipped)")
        return
    wid = Walker.objects.get(name="bench").pk
    seen = []
    with connection.cursor() as cur:
        for agg, model in (*PROGRESS_AGGREGATES, *TODAY_AGGREGATES):
            if (agg, model) in seen:
                continue
            seen.append((agg, model))
            sql = f"SELECT {agg} FROM {model._meta.db_table} WHERE walker_id = %s"
            best = min(
                timeit.repeat(lambda q=sql: (cur.execute(q, [wid]), cur.fetchone()), number=500)
            )
            plan = ""
            if connection.vendor == "sqlite":
                cur.execute("EXPLAIN QUERY PLAN " + sql, [wid])
                plan = str(cur.fetchall()[-1][-1])
            print(f"  {best * 2000:7.1f} us  {agg:18s} {model._meta.db_table:24s} {plan}")


def prepared_cpu(url: str) -> None:
    import psycopg
    from django.contrib.auth.models import User

    try:
        from walkrx.web.rows import _plan
        from walkrx.web.walking.services.progress import PROGRESS_AGGREGATES, aggregate_columns
    except ImportError:
        print("  (this tree has no walkrx.web.rows: skipped)")
        return
    from django.db import connection

    from walkrx.web.walking.models import Walker

    uid = User.objects.get(username="bench").pk
    sql = _plan(connection, Walker, "user_id", "", aggregate_columns(PROGRESS_AGGREGATES)).sql
    conn = psycopg.connect(url, autocommit=True)
    pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]  # type: ignore[index]

    def server_cpu() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    for label, prepare in (("unprepared", False), ("prepared", True)):
        for _ in range(50):
            conn.execute(sql, [uid], prepare=prepare)
        c0 = server_cpu()
        for _ in range(2000):
            conn.execute(sql, [uid], prepare=prepare)
        print(
            f"  walker + fingerprint, {label:10s}: {(server_cpu() - c0) / 2:.3f} ms of server CPU"
        )


def child(args: argparse.Namespace) -> None:
    from walkrx.cli._django import setup

    setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    print("1. pages through the WSGI handler, one process")
    page_cpu(args.rounds, args.requests)
    print("2. the walker's row")
    lookups()
    print("3. fingerprint subqueries (one walker, two years)")
    fingerprint_parts()
    if args.postgres:
        print("4. PostgreSQL server CPU per statement (2,000 runs)")
        prepared_cpu(os.environ["DATABASE_URL"])


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--requests", type=int, default=300, help="requests per round")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args)
        return 0

    import bench_progress

    from walkrx._machine import cpu_model, free_port

    home = tempfile.mkdtemp(prefix="walkrx-bench-")
    env = dict(os.environ, WALKRX_HOME=home, WALKRX_DEBUG="0", WALKRX_LOG_LEVEL="ERROR")
    pgdir = None
    if args.postgres:
        pgdir = tempfile.mkdtemp(prefix="walkrx-bench-pg-")
        env["DATABASE_URL"] = subprocess.run(
            ["bash", str(REPO / "scripts/pg.sh"), "start", pgdir],
            env=dict(env, PGPORT_WALKRX=str(free_port())),
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    print(
        f"CPU: {cpu_model()} x {os.cpu_count()} cores; Python {platform.python_version()}; "
        f"load average {os.getloadavg()[0]:.2f} (other work on the machine skews results)"
    )
    try:
        bench_progress.seed(env, 730, 700)
        argv = [sys.executable, __file__, "--child", "--rounds", str(args.rounds)]
        argv += ["--requests", str(args.requests)] + (["--postgres"] if args.postgres else [])
        subprocess.run(argv, env=env, check=True)
    finally:
        if pgdir:
            subprocess.run(["bash", str(REPO / "scripts/pg.sh"), "stop", pgdir], env=env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
