"""The import worker: django-tasks-db's ``db_worker`` on the ``uploads`` queue.

``walkrx worker`` runs it (one process per concurrent job: ``WALKRX_JOB_CONCURRENCY``,
1 or 2); ``walkrx serve`` starts ``walkrx worker`` beside the web server.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
from types import FrameType

from django.conf import settings

log = logging.getLogger("walkrx.jobs")
WORKER_ARGS = ["--queue-name", "uploads", "--interval", "0.5", "--no-reload"]


def _die_with_parent() -> None:  # pragma: no cover - runs between fork and exec
    """A worker process stops (gracefully, SIGTERM) when the process that started it dies."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)


def _db_worker_cmd(n: int) -> list[str]:
    code = (
        "import django, sys; django.setup(); from django.core.management import call_command; "
        "call_command('db_worker', *sys.argv[1:])"
    )
    return [sys.executable, "-c", code, *WORKER_ARGS, "--worker-id", f"walkrx-{os.getpid()}-{n}"]


def run_worker(concurrency: int | None = None) -> None:
    """Run until SIGTERM/SIGINT: ``concurrency`` db_worker processes, each one job at a time."""
    n = concurrency or int(settings.WALKRX_JOB_CONCURRENCY)
    if n not in (1, 2):
        raise ValueError("WALKRX_JOB_CONCURRENCY must be 1 or 2")
    from .supervise import sweep_stale

    sweep_stale()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="walkrx.web.settings")
    stopping = False

    def spawn(i: int) -> subprocess.Popen[bytes]:
        return subprocess.Popen(_db_worker_cmd(i), env=env, preexec_fn=_die_with_parent)  # noqa: PLW1509

    procs = [spawn(i) for i in range(n)]

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    ticks = 0
    while not stopping:
        time.sleep(1.0)
        ticks += 1
        if ticks % 5 == 0:  # jobs whose worker was killed mid-run get their error
            from django.db import close_old_connections

            close_old_connections()
            sweep_stale()
        for i, p in enumerate(procs):
            if p.poll() is not None and not stopping:  # a crashed worker is replaced
                log.warning("import worker %d ended with code %s; restarting it", i, p.returncode)
                procs[i] = spawn(i)
    for p in procs:
        p.wait()


def start_worker_process() -> subprocess.Popen[bytes]:
    """Start ``walkrx worker`` as a separate process (used by ``walkrx serve``)."""
    code = "from walkrx.cli import entry; entry()"
    return subprocess.Popen(
        [sys.executable, "-c", code, "worker"],
        env=dict(os.environ),
        preexec_fn=_die_with_parent,  # noqa: PLW1509
    )
