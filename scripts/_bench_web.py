"""HTTP helpers shared by the web benchmarks (``bench_progress.py``, ``bench_caseload.py``).

Signing in over HTTP as a browser does, timing GETs of one page, and the latency figures the
benchmarks report.
"""

from __future__ import annotations

import http.client
import re
import statistics
import time
from collections.abc import Callable

from walkrx._machine import percentile as pct


def sign_in(port: int, user: str, password: str, next_path: str) -> str:
    """Sign in through ``/accounts/login/``; return the Cookie header of the signed-in session."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/accounts/login/")
    r = conn.getresponse()
    body = r.read().decode()
    csrf = re.search(r"csrftoken=([^;]+)", r.getheader("Set-Cookie") or "").group(1)  # type: ignore[union-attr]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)  # type: ignore[union-attr]
    form = f"csrfmiddlewaretoken={token}&username={user}&password={password}&next={next_path}"
    conn.request(
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
            "Referer": f"http://127.0.0.1:{port}/accounts/login/",
        },
    )
    r = conn.getresponse()
    r.read()
    m = re.search(r"sessionid=([^;]+)", r.getheader("Set-Cookie") or "")
    if r.status != 302 or not m:
        raise SystemExit(f"sign-in failed: HTTP {r.status}")
    return f"sessionid={m.group(1)}; csrftoken={csrf}"


def timed_gets(
    port: int,
    path: str,
    cookie: str,
    n: int,
    out: list[float],
    errors: list[str],
    good: Callable[[bytes], bool],
    timeout: float,
) -> None:
    """GET ``path`` ``n`` times on one keep-alive connection.

    The time (ms) of each HTTP 200 whose body is ``good`` goes to ``out``; any other answer, or
    none, to ``errors`` (a lost connection is opened again).
    """
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    for _ in range(n):
        t0 = time.perf_counter()
        try:
            conn.request("GET", path, headers={"Cookie": cookie})
            r = conn.getresponse()
            body = r.read()
        except (OSError, http.client.HTTPException) as exc:
            errors.append(repr(exc))
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
            continue
        ms = (time.perf_counter() - t0) * 1000
        if r.status != 200 or not good(body):
            errors.append(f"HTTP {r.status}")
        else:
            out.append(ms)
    conn.close()


def single_client_ms(single: list[float]) -> dict[str, float]:
    """p50 and p95 (ms) of one client's requests."""
    return {"p50": round(statistics.median(single), 1), "p95": round(pct(single, 95), 1)}


def concurrent_ms(lat: list[float]) -> dict[str, float]:
    """p50, p95, p99 and max (ms) of the concurrent clients' requests."""
    return {
        "p50": round(pct(lat, 50), 1),
        "p95": round(pct(lat, 95), 1),
        "p99": round(pct(lat, 99), 1),
        "max": round(max(lat), 1),
    }
