#!/usr/bin/env python
"""Benchmark: the walker's pages while the import worker imports a ~1 GB Apple Health export.

Issue 14 asks that the web app's pages still answer in < 200 ms while a 1 GB export is
imported. This script checks it end to end through walkrx's public surface (``walkrx
serve`` with its import worker, HTTP, ``walkrx days``), so it keeps working whatever the
importer or the web server do inside:

1. a throwaway WALKRX_HOME (with --postgres, a throwaway PostgreSQL too); one walker with
   a year of history (the seeding of ``bench_progress.py``) and a clinician linked to them;
2. ``walkrx serve`` on a free loopback port, in its own process group; it starts
   ``walkrx worker``;
3. the walker and the clinician sign in over HTTP;
4. baseline: --clients clients per page request it again and again for --baseline-s seconds;
5. the walker uploads the export through the My data form as a browser does (multipart
   POST with the CSRF token), while the clients go on;
6. while the worker imports it the clients go on, and the upload's status JSON is polled
   (as the status page's script does) to time the import;
7. the same for --after-s seconds after the import ended;
8. the import is checked: the job is done and the export's days are stored.

Pages: Today, Progress, My data, the upload's status page and its JSON, and the
clinician's page of the walker (which writes an audit row on every view, so it shows
whether writes wait for the import). Printed: per phase and page p50/p95/max and
errors, the upload time, the import's duration (job running -> done, polled every
0.25 s) and MB/s (MB = 10^6 bytes of the unpacked export.xml), the CPU, the cores, the
load before, and PASS/FAIL: every page's p95 during the import <= 200 ms with no errors.

    .venv/bin/python scripts/bench_import_web.py                      # generated ~1 GB export
    .venv/bin/python scripts/bench_import_web.py --export PATH/export.zip
    .venv/bin/python scripts/bench_import_web.py --postgres           # throwaway PostgreSQL

Without --export an export is generated with ``bench_import.py``'s generator (--days
ending yesterday, about --size-mb MB of XML) into --cache and zipped as the phone does
(``apple_health_export/export.xml``); later runs reuse it.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from walkrx._machine import cpu_model, free_port
from walkrx._machine import percentile as pct
from walkrx.web.server import DEFAULT_THREADS

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
import bench_progress  # noqa: E402  (the walker's seeding and sign-in name)
from bench_import import write_export  # noqa: E402  (the export generator)

WALKRX = REPO / ".venv/bin/walkrx"
CLINICIAN, CLINICIAN_PASSWORD = "physio", "physio-bench-2026"
TARGET_MS = 200.0
ENDED = ("done", "failed", "cancelled", "unsupported")
PHASES = ("baseline", "upload", "import", "after")


# -- the export ---------------------------------------------------------------------------


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "walkrx-bench"


def generated_export(cache: Path, days: int, size_mb: int) -> Path:
    """An export.zip of ``days`` days ending yesterday, about ``size_mb`` MB unpacked (cached)."""
    cache.mkdir(parents=True, exist_ok=True)
    out = cache / f"export-{days}d-{size_mb}mb.zip"
    if out.is_file():
        return out
    start_day = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=days)
    start = dt.datetime.combine(start_day, dt.time(), tzinfo=dt.UTC).timestamp()
    xml = cache / f"export-{days}d-{size_mb}mb.xml"
    t0 = time.perf_counter()
    print(f"writing a {size_mb} MB export of {days} days to {xml} ...", flush=True)
    write_export(xml, size_mb, seed=1, days=days, start=start)
    part = out.with_suffix(".part")
    with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        z.write(xml, "apple_health_export/export.xml")
    part.replace(out)
    xml.unlink()
    print(f"  {out} ({out.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.0f} s")
    return out


def unpacked_bytes(path: Path) -> int:
    """Bytes of the export's XML: the zip's export.xml member, or the file itself."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            sizes = [i.file_size for i in z.infolist() if i.filename.endswith("export.xml")]
        return max(sizes, default=0) or sum(i.file_size for i in z.infolist())
    return path.stat().st_size


def export_span(path: Path, generated_days: int | None) -> tuple[dt.date, dt.date] | None:
    """The export's first and last day, when known (generated here, or a ``.truth.json`` beside)."""
    if generated_days is not None:
        last = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
        return last - dt.timedelta(days=generated_days - 1), last
    for truth in (path.with_name("export.xml.truth.json"), Path(f"{path}.truth.json")):
        if truth.is_file():
            data = json.loads(truth.read_text())
            if data.get("first_day") and data.get("last_day"):
                first = dt.date.fromisoformat(data["first_day"])
                return first, dt.date.fromisoformat(data["last_day"])
    return None


# -- the server and its data --------------------------------------------------------------


def seed(env: dict[str, str], history_days: int, walks: int) -> None:
    """``walkrx init``, the walker (as bench_progress seeds it) and a clinician linked to them."""
    bench_progress.seed(env, history_days, walks)
    code = (
        "from walkrx.cli._django import setup; setup()\n"
        "from walkrx.web.clinic import services\n"
        f"services.add_clinician({CLINICIAN!r}, full_name='Pat Physio', clinic='Bench clinic', "
        f"password={CLINICIAN_PASSWORD!r})\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    subprocess.run(
        [str(WALKRX), "link", bench_progress.USER, CLINICIAN],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def start_server(
    env: dict[str, str], log: Path, threads: int
) -> tuple[subprocess.Popen[bytes], int]:
    """``walkrx serve`` (with its worker) in a new process group; wait until it accepts."""
    port = free_port()
    with log.open("ab") as fh:
        server = subprocess.Popen(
            [str(WALKRX), "serve", "--port", str(port), "--threads", str(threads)],
            env=env,
            stdout=fh,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # one killpg takes the worker and its imports too
        )
    end = time.monotonic() + 60
    while time.monotonic() < end:
        if server.poll() is not None:
            raise SystemExit(f"walkrx serve ended with code {server.returncode}; see {log}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/accounts/login/")
            conn.getresponse().read()
            conn.close()
            return server, port
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"walkrx serve did not answer within 60 s; see {log}")


def processes_of(home: str) -> list[int]:
    """Processes whose environment names this run's WALKRX_HOME (server, worker, imports)."""
    needle = f"WALKRX_HOME={home}\0".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def stop_server(server: subprocess.Popen[bytes], home: str) -> list[str]:
    """Stop the server's process group (SIGTERM, then SIGKILL); return what had to be killed."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)
    server.wait()
    # imports run in their own session and die with their worker; check, and end stragglers
    end = time.monotonic() + 5
    left = processes_of(home)
    while left and time.monotonic() < end:
        time.sleep(0.2)
        left = processes_of(home)
    named = []
    for pid in left:
        with contextlib.suppress(OSError):
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            named.append(f"{pid} {cmd[:160]}")
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return named


# -- HTTP -------------------------------------------------------------------------------


class Session:
    """One browser: a keep-alive connection and its cookies."""

    def __init__(self, port: int, timeout: float = 60) -> None:
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        hdrs = {"Cookie": self.header(), **(headers or {})}
        if method != "GET":  # a body is sent once: on a fresh connection, not an idle one
            self.conn.close()
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=hdrs)
                r = self.conn.getresponse()
                data = r.read()
                break
            except (OSError, http.client.HTTPException) as exc:
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
                # the server closed an idle keep-alive connection: a browser sends a GET again
                stale = isinstance(exc, http.client.RemoteDisconnected | ConnectionResetError)
                if not (stale and method == "GET" and attempt == 1):
                    raise
        for value in r.msg.get_all("Set-Cookie") or []:
            m = re.match(r"\s*([^=;]+)=([^;]*)", value)
            if m:
                self.cookies[m.group(1)] = m.group(2)
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data

    def csrf(self, path: str) -> str:
        status, _, body = self.request("GET", path)
        m = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not m:
            raise SystemExit(f"GET {path}: HTTP {status}, no form token")
        return m.group(1).decode()

    def sign_in(self, user: str, password: str) -> None:
        token = self.csrf("/accounts/login/")
        form = f"csrfmiddlewaretoken={token}&username={user}&password={password}"
        status, _, _ = self.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}/accounts/login/",
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"sign-in of {user} failed: HTTP {status}")

    def upload(self, path: Path) -> str:
        """Send ``path`` through the My data form; return the upload's status page path."""
        token = self.csrf("/data/")
        boundary = uuid.uuid4().hex
        head = (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f"{token}\r\n"
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()

        def body() -> Iterator[bytes]:
            yield head
            with path.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    yield chunk
            yield tail

        status, headers, page = self.request(
            "POST",
            "/data/upload/",
            body=body(),
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(len(head) + path.stat().st_size + len(tail)),
                "Referer": f"http://127.0.0.1:{self.port}/data/",
            },
        )
        location = headers.get("location", "")
        if status != 302 or "/data/uploads/" not in location:
            text = re.sub(rb"<[^>]+>", b" ", page).decode(errors="replace")
            raise SystemExit(f"upload refused: HTTP {status}: {' '.join(text.split())[:300]}")
        return "/data/uploads/" + location.split("/data/uploads/", 1)[1]


# -- the clients ------------------------------------------------------------------------


@dataclass
class Sample:
    phase: str
    page: str
    ms: float
    status: int
    at: float = 0.0  # time.perf_counter() when the request was sent


@dataclass
class Run:
    """What the clients share: the phase now, the pages, the samples, the stop flag."""

    phase: str = "warm-up"
    pages: list[tuple[str, str, str]] = field(default_factory=list)  # (name, path, who)
    samples: list[Sample] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)


def client(
    port: int, run: Run, cookies: dict[str, dict[str, str]], think_s: float, page: int
) -> None:
    """Request one page (``run.pages[page]``, once it exists) again and again until stopped.

    One loop per page, so that a page that waits does not hold the others' figures back.
    """
    sessions = {who: Session(port) for who in cookies}
    for who, jar in cookies.items():
        sessions[who].cookies = dict(jar)
    while not run.stop.is_set():
        if page >= len(run.pages):
            run.stop.wait(0.1)
            continue
        name, path, who = run.pages[page]
        phase = run.phase
        t0 = time.perf_counter()
        try:
            status, _, _ = sessions[who].request("GET", path)
        except (OSError, http.client.HTTPException):
            status = 0
        run.samples.append(Sample(phase, name, (time.perf_counter() - t0) * 1000, status, t0))
        run.stop.wait(think_s)


def summarise(run: Run) -> dict[str, dict[str, dict[str, float]]]:
    """Per phase and page: n, p50, p95, max (ms) and errors (non-200 or no answer)."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for phase in PHASES:
        for name in dict.fromkeys(name for name, _, _ in run.pages):
            rows = [s for s in run.samples if s.phase == phase and s.page == name]
            if not rows:
                continue
            ok = [s.ms for s in rows]
            out.setdefault(phase, {})[name] = {
                "n": len(rows),
                "p50": round(pct(ok, 50), 1),
                "p95": round(pct(ok, 95), 1),
                "max": round(max(ok), 1),
                "errors": sum(1 for s in rows if s.status != 200),
            }
    return out


# -- the run ----------------------------------------------------------------------------


def watch_import(
    walker: Session, status_path: str, run: Run, max_s: float
) -> tuple[dict[str, Any], float | None, float, list[int]]:
    """Poll the upload's status JSON until the job ends; time running -> ended."""
    began = time.perf_counter()
    running_at: float | None = None
    percents: list[int] = []
    last: dict[str, Any] = {}
    while time.perf_counter() - began < max_s:
        t0 = time.perf_counter()
        try:
            status, _, body = walker.request("GET", status_path + "?format=json")
        except (OSError, http.client.HTTPException):
            status, body = 0, b""
        run.samples.append(
            Sample(run.phase, "status JSON", (time.perf_counter() - t0) * 1000, status, t0)
        )
        if status == 200:
            last = json.loads(body)
            if last.get("state") == "running" and running_at is None:
                running_at = t0
            moving = not percents or percents[-1] != last.get("percent")
            if last.get("state") in ("queued", "running") and moving:
                percents.append(int(last.get("percent") or 0))
            if last.get("state") in ENDED:
                return last, running_at, time.perf_counter(), percents
        time.sleep(0.25)
    return last, running_at, time.perf_counter(), percents


def days_stored(env: dict[str, str], walker: str, span: tuple[dt.date, dt.date] | None) -> int:
    """Imported days of the walker (within ``span``), read with ``walkrx days --json``."""
    cmd = [str(WALKRX), "days", walker, "--json"]
    if span is not None:
        cmd += ["--from", span[0].isoformat(), "--to", span[1].isoformat()]
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    return sum(1 for r in json.loads(out) if r.get("origin") == "imported")


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--export", type=Path, help="an export.zip (or export.xml) to upload")
    ap.add_argument("--days", type=int, default=2200, help="days of a generated export")
    ap.add_argument("--size-mb", type=int, default=1000, help="MB of a generated export.xml")
    ap.add_argument("--cache", type=Path, default=None, help="where generated exports are kept")
    ap.add_argument("--clients", type=int, default=1, help="clients per page")
    ap.add_argument("--think-ms", type=float, default=250, help="pause between a client's requests")
    ap.add_argument(
        "--threads", type=int, default=DEFAULT_THREADS, help="walkrx serve --threads (its default)"
    )
    ap.add_argument("--baseline-s", type=float, default=20)
    ap.add_argument("--after-s", type=float, default=10)
    ap.add_argument("--max-import-s", type=float, default=1800)
    ap.add_argument("--history-days", type=int, default=365, help="the walker's seeded history")
    ap.add_argument("--postgres", action="store_true", help="start a throwaway PostgreSQL")
    ap.add_argument("--keep-home", action="store_true", help="keep the throwaway WALKRX_HOME")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    generated = None if args.export else args.days
    export = args.export or generated_export(args.cache or default_cache(), args.days, args.size_mb)
    xml_bytes = unpacked_bytes(export)
    span = export_span(export, generated)
    want_days = None if span is None else (span[1] - span[0]).days + 1
    upload_mb = export.stat().st_size / 1e6

    load_before = os.getloadavg()[0]
    home = tempfile.mkdtemp(prefix="walkrx-bench-import-")
    env = dict(
        os.environ,
        WALKRX_HOME=home,
        WALKRX_DEBUG="0",
        WALKRX_LOG_LEVEL="WARNING",
        WALKRX_MAX_UPLOAD_MB=str(max(1024, int(export.stat().st_size / 2**20) + 64)),
    )
    pgdir = None
    if args.postgres and not env.get("DATABASE_URL"):
        pgdir = tempfile.mkdtemp(prefix="walkrx-bench-pg-")
        env["DATABASE_URL"] = subprocess.run(
            ["bash", str(REPO / "scripts/pg.sh"), "start", pgdir],
            # not this run's WALKRX_HOME: the server's leftovers are looked up by it
            env=dict(os.environ, PGPORT_WALKRX=str(free_port())),
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    backend = "postgresql" if env.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    log = Path(home) / "serve.log"
    server = None
    run = Run()
    threads: list[threading.Thread] = []
    left: list[str] = []
    finished = False  # otherwise the home (and its serve.log) is kept to look into
    try:
        seed(env, args.history_days, walks=min(200, args.history_days // 2))
        server, port = start_server(env, log, args.threads)
        walker = Session(port, timeout=max(600.0, upload_mb))
        walker.sign_in(bench_progress.USER, bench_progress.PASSWORD)
        physio = Session(port)
        physio.sign_in(CLINICIAN, CLINICIAN_PASSWORD)
        run.pages[:] = [
            ("Today", "/today/", "walker"),
            ("Progress", "/progress/", "walker"),
            ("My data", "/data/", "walker"),
            ("Clinician: walker page", f"/clinic/walkers/{bench_progress.USER}/", "clinician"),
        ]
        cookies = {"walker": walker.cookies, "clinician": physio.cookies}
        think = args.think_ms / 1000
        threads = [
            threading.Thread(target=client, args=(port, run, cookies, think, page), daemon=True)
            for page in range(len(run.pages) + 1)  # the last one: the upload's status page
            for _ in range(args.clients)
        ]
        for t in threads:
            t.start()
        time.sleep(3)  # warm-up (not counted): each server thread opens its connection
        run.phase = "baseline"
        time.sleep(args.baseline_s)
        run.phase = "upload"
        t0 = time.perf_counter()
        status_path = walker.upload(export)
        upload_s = time.perf_counter() - t0
        run.phase = "import"
        run.pages.append(("Upload status page", status_path, "walker"))
        final, running_at, ended_at, percents = watch_import(
            walker, status_path, run, args.max_import_s
        )
        run.phase = "after"
        time.sleep(args.after_s)
        run.stop.set()
        for t in threads:
            t.join(timeout=120)
        stored = days_stored(env, bench_progress.USER, span)
        finished = True
    finally:
        run.stop.set()
        if server is not None:
            left = stop_server(server, home)
        if pgdir:
            subprocess.run(["bash", str(REPO / "scripts/pg.sh"), "stop", pgdir], check=False)
            shutil.rmtree(pgdir, ignore_errors=True)
        if finished and not args.keep_home:  # the database and the export's copy: large
            shutil.rmtree(home, ignore_errors=True)
    import_s = None if running_at is None else ended_at - running_at
    slowest = sorted(
        (s for s in run.samples if s.phase == "import"), key=lambda s: s.ms, reverse=True
    )[:5]
    table = summarise(run)
    during = table.get("import", {})
    touched = sum(
        int(final.get("counts", {}).get(k, 0) or 0)
        for k in ("days_added", "days_updated", "days_unchanged")
    )
    # an export's first and last day may fall on the day before/after in the walker's zone
    imported_ok = final.get("state") == "done" and (
        stored >= want_days - 2 if want_days else touched > 0
    )
    fast = bool(during) and all(v["p95"] <= TARGET_MS and v["errors"] == 0 for v in during.values())
    result: dict[str, Any] = {
        "backend": backend,
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "load_avg_1m_before": round(load_before, 2),
        "load_avg_1m_after": round(os.getloadavg()[0], 2),
        "export": {
            "file": export.name,
            "upload_mb": round(upload_mb, 1),
            "xml_mb": round(xml_bytes / 1e6, 1),
            "days": want_days,
        },
        "clients": args.clients,
        "think_ms": args.think_ms,
        "upload_s": round(upload_s, 1),
        "import_s": None if import_s is None else round(import_s, 1),
        "import_mb_per_s": None if not import_s else round(xml_bytes / 1e6 / import_s, 1),
        "job": {k: final.get(k) for k in ("state", "message", "counts")},
        "percent_seen_while_running": percents,
        "days_stored": stored,
        "days_touched": touched,
        "pages_ms": table,
        "slowest_during_import": [
            {
                "page": s.page,
                "ms": round(s.ms, 1),
                "sent_s_after_running": None if running_at is None else round(s.at - running_at, 1),
            }
            for s in slowest
        ],
        "processes_left_after_stop": left,
        "target": f"every page's p95 during the import <= {TARGET_MS:.0f} ms, no errors",
        "pages_pass": fast,
        "import_ok": imported_ok,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        report(result)
    return 0 if fast and imported_ok and not left else 1


def report(r: dict[str, Any]) -> None:
    e = r["export"]
    print(
        f"pages while the worker imports a {e['xml_mb']} MB Apple Health export "
        f"({e['file']}, {e['upload_mb']} MB uploaded), {r['backend']}"
    )
    print(
        f"CPU: {r['cpu']} x {r['cores']} cores; Python {r['python']}; load average before "
        f"{r['load_avg_1m_before']}, after {r['load_avg_1m_after']} (other work skews results)"
    )
    print(f"{r['clients']} client(s) per page, {r['think_ms']:g} ms between a client's requests")
    mbs = r["import_mb_per_s"]
    print(
        f"upload: {r['upload_s']} s; import (job running -> ended): {r['import_s']} s"
        + (f" = {mbs} MB/s of export.xml" if mbs else "")
    )
    job = r["job"]
    print(f"job: {job['state']}: {job['message']}")
    print(
        f"days stored: {r['days_stored']}"
        + (f" of the {e['days']} days of the export" if e["days"] else "")
        + f" ({r['days_touched']} days added, updated or unchanged by the job)"
        + f"; progress seen while running: {r['percent_seen_while_running']}"
    )
    print(f"{'page':24s} {'phase':9s} {'n':>5s} {'p50':>8s} {'p95':>8s} {'max':>8s} {'errors':>6s}")
    names = list(dict.fromkeys(n for ph in r["pages_ms"].values() for n in ph))
    for name in names:
        for phase in PHASES:
            v = r["pages_ms"].get(phase, {}).get(name)
            if v:
                print(
                    f"{name[:24]:24s} {phase:9s} {v['n']:5d} {v['p50']:8.1f} {v['p95']:8.1f} "
                    f"{v['max']:8.1f} {v['errors']:6d}"
                )
    slow = ", ".join(
        f"{s['page']} {s['ms']:.0f} ms at {s['sent_s_after_running']} s"
        for s in r["slowest_during_import"]
    )
    print(f"slowest during the import (sent this long after the job started running): {slow}")
    if r["processes_left_after_stop"]:
        print(f"processes still running after the server stopped: {r['processes_left_after_stop']}")
    print(f"import stored the export's days: {'yes' if r['import_ok'] else 'NO'}")
    print(f"target: {r['target']}: {'PASS' if r['pages_pass'] else 'FAIL'}")


if __name__ == "__main__":
    sys.exit(main())
