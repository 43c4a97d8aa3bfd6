"""Imports in progress: the mark on their file row, and the removal of killed ones' records.

An import stores its records in short transactions (so that a long import never holds the
database: with SQLite, one writer at a time, every page that writes would wait for it). Until
its days are written, its ``SourceFile`` row carries a *pending* mark naming the host and the
process: ``pending-<host>-<pid>-<random>`` in place of the file's hash. Records of a pending
file are not yet part of the walker's data: a failed import removes them itself; those of a
killed one (out of memory, a time limit, cancelled, ``kill -9``) are removed by :func:`sweep`,
which the next import of the walker and the import worker (when a job ended without an
outcome) run. The sweep also waits for another live import of the same walker, so one
walker's imports never interleave.

Light on purpose (no numpy): the worker's supervisor imports it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import socket
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import ConsumerInterval, SourceFile

PREFIX = "pending-"
DELETE_CHUNK = 20_000
#: A pending import of another host cannot be checked; after this long it is taken as dead.
OTHER_HOST_STALE = dt.timedelta(days=1)
_HOST = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]


def marker(pid: int | None = None) -> str:
    """The pending mark of an import run by ``pid`` (default: this process) on this host."""
    return f"{PREFIX}{_HOST}-{pid or os.getpid()}-{uuid.uuid4().hex[:16]}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError):  # a zombie is dead
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    return True


def _state(mark: str, started: dt.datetime) -> str:
    """``mine``, ``live`` or ``dead`` for one pending mark."""
    parts = mark[len(PREFIX) :].split("-")
    if len(parts) != 3 or not parts[1].isdigit():
        return "dead"  # an older, unnamed mark: its import is long gone
    host, pid = parts[0], int(parts[1])
    if host != _HOST:
        return "dead" if timezone.now() - started > OTHER_HOST_STALE else "live"
    if pid == os.getpid():
        return "mine"
    return "live" if _alive(pid) else "dead"


def remove(walker_pk: int, file_pk: int) -> None:
    """Delete one file row and its records, in short transactions (a big file has millions)."""
    table = ConsumerInterval._meta.db_table
    sql = (
        f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} "
        f"WHERE walker_id = %s AND source_file_id = %s LIMIT {DELETE_CHUNK})"
    )
    while True:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [walker_pk, file_pk])
            if cur.rowcount < DELETE_CHUNK:
                break
    SourceFile.objects.filter(pk=file_pk).delete()


def sweep(walker_pk: int, *, wait: bool = True, timeout_s: float | None = None) -> list[int]:
    """Remove the records of the walker's killed imports; return their file rows' ids.

    With ``wait``, return only when no other import of the walker is running (polls every
    half second, at most ``timeout_s``, default the worker's time limit).
    """
    limit = float(timeout_s or getattr(settings, "WALKRX_JOB_TIMEOUT_S", 1800))
    end = time.monotonic() + limit
    removed: list[int] = []
    while True:
        live = False
        rows = SourceFile.objects.filter(walker_id=walker_pk, sha256__startswith=PREFIX)
        for pk, mark, started in rows.values_list("pk", "sha256", "imported_at"):
            state = _state(mark, started)
            if state == "dead":
                remove(walker_pk, pk)
                removed.append(pk)
            live = live or state == "live"
        if not (wait and live) or time.monotonic() > end:
            return removed
        time.sleep(0.5)
