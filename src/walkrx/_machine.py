"""What machine a benchmark ran on (benchmark scripts print it with their figures)."""

from __future__ import annotations

import platform
import subprocess
from collections.abc import Sequence
from pathlib import Path


def cpu_model() -> str:
    """The CPU's model name (from /proc/cpuinfo on Linux)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def peak_rss_mb() -> float:
    """Peak resident memory of the calling process, in MB.

    Reads ``VmHWM`` from /proc (``ru_maxrss`` can carry the parent's high-water mark
    across fork+exec on Linux), falling back to ``ru_maxrss``.
    """
    import resource

    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (for a benchmark's own server)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank ``p``-th percentile of ``values`` (benchmarks print p50/p95/p99)."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


def start_bench_server(
    walkrx: Path,
    env: dict[str, str],
    threads: int,
    wait_s: float = 30.0,
    extra: Sequence[str] = (),
) -> tuple[subprocess.Popen[bytes], int]:
    """Start ``walkrx serve`` on a free loopback port and wait until it accepts connections.

    ``extra`` adds options, e.g. ``["--server", "waitress"]`` or ``["--processes", "2"]``.
    """
    import socket
    import time

    port = free_port()
    server = subprocess.Popen(
        [str(walkrx), "serve", "--port", str(port), "--threads", str(threads), *extra],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    end = time.monotonic() + wait_s
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return server, port
