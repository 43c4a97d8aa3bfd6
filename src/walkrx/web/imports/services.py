"""Import consumer files for a walker: parse (pure), store records, recompute merged days.

:func:`import_files` inserts every record of every file (ignoring records already stored, so
re-importing is a no-op and an overlapping later export adds only what is new), re-merges the
local days the files touch from ALL the walker's stored records (:mod:`walkrx.consumer.merge`),
and adds or updates ``DailyActivity(origin="imported")`` rows. It is all or nothing: any error (a
damaged file, a refused hostile XML, a database error) removes what it stored and the copies of
the files, and re-raises.

Short transactions: a 1 GB export takes tens of seconds to import, and SQLite has one writer at
a time, so the records are stored in one short transaction per batch while the file's row is
marked pending (:mod:`.pending`), and the days are written, and the file rows completed, in one
short transaction at the end. Pages that write (sign-in, a check-in, the clinician's audit row,
the worker's heartbeat) wait at most one batch. Records of a pending file are not the walker's
data yet: a failed import deletes them; a killed one's are swept by the next import of the
walker and by the worker. Called inside a transaction (``transaction.atomic``), the import
stays inside it instead, as one unit.

The original files are copied under ``MEDIA_ROOT/imports/`` (``SourceFile``), hashed and copied
by a helper thread while the main thread parses.

Speed: large files (:data:`PARSER_PROCESS_MIN_BYTES`) are parsed in a forked process that sends
pickled record batches through a pipe (whose buffer bounds what is in flight), while this process
builds flat row tuples and inserts them with ``cursor.executemany`` (``ON CONFLICT DO NOTHING``,
SQLite and PostgreSQL) inside the one transaction. Only this process touches the database; a
parse error in the child is re-raised here and rolls everything back.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import multiprocessing as mp
import os
import pickle
import queue
import shutil
import signal
import sys
import threading
import time
import uuid
from array import array
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.db import connection, transaction

from walkrx.consumer.columns import (
    KIND_CODES,
    ColumnBuilder,
    Columns,
    columns_from_rows,
    first_of_each_key,
    select,
)
from walkrx.consumer.merge import MergePolicy, merge_columns_days
from walkrx.consumer.records import (
    ImportFileError,
    Interval,
    ParseReport,
    Workout,
    local_date,
)
from walkrx.importers import detect_format, iter_records
from walkrx.web.walking.models import DailyActivity, Walker

from . import pending
from .models import ConsumerInterval, SourceFile

BATCH = 5000
#: SQLite rows per batch and write transaction while storing: the import runs at a low CPU
#: priority, so on a busy machine each transaction's few milliseconds of work can stretch; a
#: page that writes waits for about one of them.
COMMIT_ROWS = 1000
MAX_RECORD_S = 7 * 86400  # longer "intervals" are implausible and refused
WINDOW_DAYS = 31
ZONE_MARGIN_S = 14 * 3600  # UTC offsets lie within +-14 h
_EPOCH_DATE = dt.date(1970, 1, 1)
Progress = Callable[[int, int, str], None]
#: Insert from a helper thread while parsing (experimental: may help on an idle multi-core
#: machine; off by default because it could not be shown to help on a shared one).
WRITER_THREAD = os.environ.get("WALKRX_IMPORT_WRITER_THREAD", "0") == "1"
#: Parse large files in a forked process while this one inserts (two cores at work).
#: Linux only (fork without exec is unsafe elsewhere); ``WALKRX_IMPORT_PARSER_PROCESS=0`` turns
#: it off.
PARSER_PROCESS = (
    os.environ.get("WALKRX_IMPORT_PARSER_PROCESS", "1") != "0" and sys.platform == "linux"
)
PARSER_PROCESS_MIN_BYTES = 8 * 1024 * 1024


class ImportAborted(Exception):
    """Raised by a test hook to simulate a failure in the middle of an import."""


@dataclass
class FileSummary:
    """What one file contributed."""

    path: str
    format: str
    sha256: str = ""
    size: int = 0
    records: int = 0
    new_records: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    already_imported: bool = False


@dataclass
class ImportSummary:
    """Outcome of :func:`import_files`."""

    walker: str
    files: list[FileSummary] = field(default_factory=list)
    days_added: list[dt.date] = field(default_factory=list)
    days_updated: list[dt.date] = field(default_factory=list)
    days_unchanged: list[dt.date] = field(default_factory=list)

    @property
    def skipped(self) -> dict[str, int]:
        """Records skipped over all files, by reason."""
        total: Counter[str] = Counter()
        for f in self.files:
            total.update(f.skipped)
        return dict(total)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready summary."""
        return {
            "walker": self.walker,
            "totals": {
                "days_added": len(self.days_added),
                "days_updated": len(self.days_updated),
                "days_unchanged": len(self.days_unchanged),
                "records": sum(f.records for f in self.files),
                "new_records": sum(f.new_records for f in self.files),
                "records_skipped": sum(self.skipped.values()),
            },
            "days_added": [d.isoformat() for d in self.days_added],
            "days_updated": [d.isoformat() for d in self.days_updated],
            "skipped": self.skipped,
            "files": [
                {
                    "path": f.path,
                    "format": f.format,
                    "sha256": f.sha256,
                    "size": f.size,
                    "records": f.records,
                    "new_records": f.new_records,
                    "skipped": f.skipped,
                    "notes": f.notes,
                    "already_imported": f.already_imported,
                }
                for f in self.files
            ],
        }


# --------------------------------------------------------------------------- DB time helpers

_HOUR_STR: dict[int, str] = {}
_MMSS = [f"{m:02d}:{sec:02d}" for m in range(60) for sec in range(60)]


def _hour_text(hour: int) -> str:
    """``YYYY-MM-DD HH:`` of an hour since the epoch (cached)."""
    text = _HOUR_STR.get(hour)
    if text is None:
        day, h = divmod(hour, 24)
        text = f"{(dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat()} {h:02d}:"
        if len(_HOUR_STR) > 200_000:
            _HOUR_STR.clear()
        _HOUR_STR[hour] = text
    return text


def _sqlite_time(seconds: int) -> str:
    """Django's SQLite text form of a UTC instant (``YYYY-MM-DD HH:MM:SS``)."""
    hour, rem = divmod(int(seconds), 3600)
    return _hour_text(hour) + _MMSS[rem]


def _pg_time(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(seconds), dt.UTC)


def _time_adapter() -> Callable[[int], Any]:
    return _sqlite_time if connection.vendor == "sqlite" else _pg_time


def _epoch_sql(column: str) -> str:
    if connection.vendor == "sqlite":
        return f"CAST(strftime('%%s', {column}) AS INTEGER)"
    return f"CAST(EXTRACT(EPOCH FROM {column}) AS BIGINT)"


# --------------------------------------------------------------------------- file copy


class _HashCopy(threading.Thread):
    """Hash a file and copy it to ``dest`` in a helper thread (hashlib and I/O release the GIL)."""

    def __init__(self, src: Path, dest: Path) -> None:
        super().__init__(daemon=True)
        self.src = src
        self.dest = dest
        self.sha256 = ""
        self.size = 0
        self.error: BaseException | None = None
        self.stop = False

    def run(self) -> None:
        try:
            h = hashlib.sha256()
            self.dest.parent.mkdir(parents=True, exist_ok=True)
            with open(self.src, "rb") as fin, open(self.dest, "wb") as fout:
                while not self.stop:
                    block = fin.read(1024 * 1024)
                    if not block:
                        break
                    h.update(block)
                    fout.write(block)
                    self.size += len(block)
            self.sha256 = h.hexdigest()
        except BaseException as exc:  # reported by the main thread
            self.error = exc


# --------------------------------------------------------------------------- import


_INSERT_COLUMNS = (
    "walker_id",
    "source_file_id",
    "source_name",
    "device",
    "device_kind",
    "kind",
    "activity",
    "start_utc",
    "end_utc",
    "value",
    "unit",
    "utc_offset_minutes",
    "distance_m",
    "steps",
)


def _insert_sql() -> str:
    table = ConsumerInterval._meta.db_table
    cols = ", ".join(_INSERT_COLUMNS)
    marks = ", ".join(["%s"] * len(_INSERT_COLUMNS))
    return f"INSERT INTO {table} ({cols}) VALUES ({marks}) ON CONFLICT DO NOTHING"


def _count(walker_id: int) -> int:
    return ConsumerInterval.objects.filter(walker_id=walker_id).count()


def _row(
    rec: Interval | Workout, walker_id: int, file_id: int, t: Callable[[int], Any]
) -> tuple[Any, ...]:
    if isinstance(rec, Interval):
        return (
            walker_id,
            file_id,
            rec.source_name[:200],
            rec.device[:200],
            rec.device_kind,
            rec.kind,
            "",
            t(rec.start_s),
            t(rec.end_s),
            rec.value,
            rec.unit,
            rec.utc_offset_minutes,
            None,
            None,
        )
    return (
        walker_id,
        file_id,
        rec.source_name[:200],
        rec.device[:200],
        rec.device_kind,
        "workout",
        rec.activity,
        t(rec.start_s),
        t(rec.end_s),
        rec.duration_s,
        "s",
        rec.utc_offset_minutes,
        rec.distance_m,
        rec.steps,
    )


def _dates_of(rec: Interval | Workout) -> tuple[dt.date, dt.date]:
    end = rec.end_s - 1 if rec.end_s > rec.start_s else rec.start_s
    return (
        local_date(rec.start_s, rec.utc_offset_minutes),
        local_date(end, rec.utc_offset_minutes),
    )


class _Writer(threading.Thread):
    """Insert batches on the import's database connection, optionally from a helper thread.

    The main thread parses while this thread inserts: SQLite's B-tree work runs without the
    GIL, so the two overlap on a multi-core machine. The connection is the main thread's
    (SQLite connections are opened with ``check_same_thread=False``). Each batch is one short
    transaction of its own, unless the import runs inside a caller's transaction.
    """

    def __init__(self, sql: str) -> None:
        super().__init__(daemon=True)
        connection.ensure_connection()
        self.raw = connection.connection
        self.sqlite = connection.vendor == "sqlite"
        self.sql = sql.replace("%s", "?") if self.sqlite else sql
        self.stage = ""  # PostgreSQL: the temporary table batches are copied into
        self.queue: queue.Queue[list[tuple[Any, ...]] | None] = queue.Queue(maxsize=4)
        self.error: BaseException | None = None
        self.threaded = WRITER_THREAD
        self.own_tx = not connection.in_atomic_block
        self._cursor = None if self.threaded else self.raw.cursor()
        self.synchronous: int | None = None
        if self.own_tx and self.sqlite:
            # many short transactions: in WAL mode NORMAL syncs at checkpoints, not at every
            # commit (a power cut may lose the last batches: they are pending, the sweep's)
            cur = self.raw.cursor()
            self.synchronous = int(cur.execute("PRAGMA synchronous").fetchone()[0])
            cur.execute("PRAGMA synchronous = NORMAL")
            cur.close()

    def run(self) -> None:
        if not self.threaded:
            return
        cursor = self.raw.cursor()
        try:
            while True:
                batch = self.queue.get()
                if batch is None:
                    return
                if self.error is None:
                    self._insert(cursor, batch)
        except BaseException as exc:  # re-raised in the main thread
            self.error = exc
            while self.queue.get() is not None:  # drain so that put() never blocks
                pass
        finally:
            cursor.close()

    def put(self, batch: list[tuple[Any, ...]]) -> None:
        if self.error is not None:
            raise self.error
        if self._cursor is not None:
            self._insert(self._cursor, batch)
        else:
            self.queue.put(batch)

    def _insert(self, cursor: Any, batch: list[tuple[Any, ...]]) -> None:
        """Insert one batch in a transaction of its own (or in the caller's)."""
        if not self.own_tx:
            self._insert_rows(cursor, batch)
        elif self.sqlite:  # the one write lock: held for COMMIT_ROWS rows at a time
            for i in range(0, len(batch), COMMIT_ROWS):
                cursor.execute("BEGIN IMMEDIATE")
                try:
                    self._insert_rows(cursor, batch[i : i + COMMIT_ROWS])
                except BaseException:
                    cursor.execute("ROLLBACK")
                    raise
                cursor.execute("COMMIT")
        else:
            with self.raw.transaction():
                self._insert_rows(cursor, batch)
            self.stage = ""  # dropped at the commit

    def _insert_rows(self, cursor: Any, batch: list[tuple[Any, ...]]) -> None:
        """Insert one batch, ignoring records already stored.

        SQLite: ``executemany`` (``ON CONFLICT DO NOTHING``). PostgreSQL: ``COPY`` into a
        temporary table, then one ``INSERT ... SELECT ... ON CONFLICT DO NOTHING`` in file order
        (so that, as with SQLite, the first of duplicate records is the one kept).
        """
        if self.sqlite:
            cursor.executemany(self.sql, batch)
            return
        table = ConsumerInterval._meta.db_table
        cols = ", ".join(_INSERT_COLUMNS)
        if not self.stage:
            self.stage = f"walkrx_import_stage_{uuid.uuid4().hex}"
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.stage} ON COMMIT DROP AS "
                f"SELECT {cols} FROM {table} WITH NO DATA"
            )
            cursor.execute(f"ALTER TABLE {self.stage} ADD COLUMN ord bigserial")
        with cursor.copy(f"COPY {self.stage} ({cols}) FROM STDIN") as copy:
            for row in batch:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {self.stage} ORDER BY ord "
            "ON CONFLICT DO NOTHING"
        )
        cursor.execute(f"TRUNCATE {self.stage}")

    def finish(self) -> None:
        if self._cursor is not None:
            self._cursor.close()
            self._cursor = None
        if self.threaded:
            self.queue.put(None)
        self.join()
        if self.synchronous is not None:
            cur = self.raw.cursor()
            cur.execute(f"PRAGMA synchronous = {self.synchronous}")
            cur.close()
            self.synchronous = None
        if self.error is not None:
            raise self.error


def _touched_days(
    lo: npt.NDArray[np.int64], hi: npt.NDArray[np.int64], touched: set[dt.date]
) -> None:
    """Add every local date between each record's first and last local second."""
    if not len(lo):
        return
    d0 = lo // 86400
    d1 = hi // 86400
    days = set(np.unique(d0).tolist()) | set(np.unique(d1).tolist())
    spans = d1 > d0 + 1
    for a, b in zip(d0[spans].tolist(), d1[spans].tolist(), strict=True):
        days.update(range(a + 1, b))
    touched.update(_EPOCH_DATE + dt.timedelta(days=d) for d in days)


class _Producer:
    """Turn a file's records into insert batches: flat row tuples plus packed columns.

    The hot loop keeps no per-record Python object besides the row tuple for ``executemany``;
    step/distance records also go to compact columns (what the merge consumes) or, for other
    records, to their local first/last second (for the touched dates). Each batch carries the
    columns as bytes, so it can cross a process boundary cheaply (:func:`_parse_in_child`).
    """

    def __init__(
        self,
        walker_id: int,
        file_id: int,
        index: dict[tuple[str, str], int] | None,
        t: Callable[[int], Any],
        sqlite: bool,
    ) -> None:
        self.walker_id = walker_id
        self.file_id = file_id
        self.index = index  # source keys of the ColumnBuilder (None: no columns wanted)
        self.new_keys: list[tuple[tuple[str, str], int]] = []
        self.t = t
        self.sqlite = sqlite
        self.cols = ColumnBuilder()
        self.batch_size = BATCH
        self.lo = array("q")
        self.hi = array("q")

    def batches(
        self, records: Iterable[Any], report: ParseReport
    ) -> Generator[tuple[list[tuple[Any, ...]], tuple[Any, ...], int], None, None]:
        """Yield ``(rows, packed, yielded so far)`` every :data:`BATCH` rows and at the end.

        ``records``: :class:`Workout` records and step/distance records (:class:`Interval`
        or a plain tuple in its field order).
        """
        walker_id, file_id, t = self.walker_id, self.file_id, self.t
        want_columns = self.index is not None
        index: dict[tuple[str, str], int] = self.index if self.index is not None else {}
        sqlite = self.sqlite
        hour_text = _HOUR_STR
        mmss = _MMSS
        kind_codes = KIND_CODES
        lo_append, hi_append = self.lo.append, self.hi.append
        cols = self.cols
        c_start, c_end = cols.start.append, cols.end.append
        c_value, c_kind = cols.value.append, cols.kind.append
        c_offset, c_source = cols.offset.append, cols.source.append
        batch: list[tuple[Any, ...]] = []
        yielded = 0
        for rec in records:
            yielded += 1
            if type(rec) is Workout:
                start, end = rec.start_s, rec.end_s
                if end - start > MAX_RECORD_S:
                    report.skip("record longer than 7 days (implausible)")
                    continue
                shift = rec.utc_offset_minutes * 60
                lo_append(start + shift)
                hi_append((end - 1 if end > start else start) + shift)
                batch.append(_row(rec, walker_id, file_id, t))
            else:
                source, device, device_kind, kind, start, end, value, unit, offset = rec
                if end - start > MAX_RECORD_S:
                    report.skip("record longer than 7 days (implausible)")
                    continue
                code = kind_codes.get(kind) if want_columns else None
                if code is not None:  # its columns give the touched dates
                    key = (source, device_kind)
                    i = index.get(key)
                    if i is None:
                        i = index[key] = len(index)
                        self.new_keys.append((key, i))
                    c_start(start)
                    c_end(end)
                    c_value(value)
                    c_kind(code)
                    c_offset(offset)
                    c_source(i)
                else:
                    shift = offset * 60
                    lo_append(start + shift)
                    hi_append((end - 1 if end > start else start) + shift)
                if sqlite:  # inlined _sqlite_time
                    h, rem = divmod(start, 3600)
                    text = hour_text.get(h)
                    ts = (text if text is not None else _hour_text(h)) + mmss[rem]
                    h, rem = divmod(end, 3600)
                    text = hour_text.get(h)
                    te = (text if text is not None else _hour_text(h)) + mmss[rem]
                else:
                    ts, te = t(start), t(end)
                batch.append(
                    (
                        walker_id,
                        file_id,
                        source if len(source) <= 200 else source[:200],
                        device if len(device) <= 200 else device[:200],
                        device_kind,
                        kind,
                        "",
                        ts,
                        te,
                        value,
                        unit,
                        offset,
                        None,
                        None,
                    )
                )
            if len(batch) >= self.batch_size:
                yield batch, self._pack(), yielded
                batch = []
        yield batch, self._pack(), yielded

    def _pack(self) -> tuple[Any, ...]:
        """The columns collected since the last batch, as bytes (the buffers are emptied)."""
        c = self.cols
        arrays = (c.start, c.end, c.value, c.kind, c.offset, c.source, self.lo, self.hi)
        packed = tuple(x.tobytes() for x in arrays)
        for x in arrays:
            del x[:]
        keys, self.new_keys = self.new_keys, []
        return (*packed, keys)


class _Sink:
    """Unpack the columns of :class:`_Producer` batches (in the importing process)."""

    def __init__(self, collect: ColumnBuilder | None) -> None:
        self.collect = collect
        self.lo = array("q")
        self.hi = array("q")

    def add(self, packed: tuple[Any, ...]) -> None:
        start, end, value, kind, offset, source, lo, hi, keys = packed
        c = self.collect
        if c is not None:
            c.start.frombytes(start)
            c.end.frombytes(end)
            c.value.frombytes(value)
            c.kind.frombytes(kind)
            c.offset.frombytes(offset)
            c.source.frombytes(source)
            for key, i in keys:
                c.index.setdefault(key, i)
        self.lo.frombytes(lo)
        self.hi.frombytes(hi)


def _die_with_parent(parent_pid: int) -> None:
    """Make the kernel kill this (forked) process when its parent dies; leave if it already has.

    ``PR_SET_PDEATHSIG`` (Linux, where the parser process is used): without it, a parent killed
    mid-import would leave the parser running on the file to its end.
    """
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def _parse_in_child(
    path: Path, report: ParseReport, tz: str | None, conn: Any, parent_pid: int = 0
) -> None:
    """Body of the parser process: send pickled record batches, then the report.

    Step/distance records travel as plain tuples (cheaper to pickle than named tuples).
    Runs in a forked child: it never touches the database connection (inherited, owned by the
    parent) and leaves with ``os._exit`` (multiprocessing), so no finalizer closes it. It dies
    with its parent (:func:`_die_with_parent`).
    """
    if parent_pid:
        _die_with_parent(parent_pid)
    try:
        out: list[Any] = []
        for rec in iter_records(path, report, tz=tz):
            out.append(rec[:] if type(rec) is Interval else rec)
            if len(out) >= BATCH:
                conn.send_bytes(pickle.dumps(("batch", out, report.bytes_read), protocol=5))
                out = []
        if out:
            conn.send_bytes(pickle.dumps(("batch", out, report.bytes_read), protocol=5))
        state = (report.format, report.records, dict(report.skipped), report.notes)
        conn.send_bytes(pickle.dumps(("done", state)))
    except ImportFileError as exc:
        conn.send_bytes(pickle.dumps(("ife", exc.path, exc.problem, exc.where)))
    except BaseException as exc:  # re-raised in the parent
        try:
            msg = pickle.dumps(("exc", exc))
            pickle.loads(msg)
        except Exception:
            msg = pickle.dumps(("exc", RuntimeError(f"{type(exc).__name__}: {exc}")))
        conn.send_bytes(msg)
    finally:
        conn.close()


def _child_records(path: Path, report: ParseReport, tz: str | None) -> Iterator[Any]:
    """The file's records, parsed in a forked process (the second core) while this one inserts.

    Step/distance records come as plain tuples in :class:`Interval` field order. ``report`` is
    filled in as the child's report arrives (skips counted here are kept).
    """
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)  # the pipe's buffer bounds the batches in flight
    proc = ctx.Process(
        target=_parse_in_child, args=(path, report, tz, send, os.getpid()), daemon=True
    )
    proc.start()
    send.close()
    try:
        while True:
            try:
                msg = pickle.loads(recv.recv_bytes())
            except EOFError:
                proc.join()
                raise ImportFileError(
                    path, f"the parser process ended unexpectedly (exit code {proc.exitcode})"
                ) from None
            if msg[0] == "batch":
                report.bytes_read = msg[2]
                yield from msg[1]
            elif msg[0] == "done":
                report.format, report.records, skipped, report.notes = msg[1]
                report.skipped.update(skipped)
                return
            elif msg[0] == "ife":
                raise ImportFileError(msg[1], msg[2], msg[3])
            else:
                raise msg[1]
    finally:
        recv.close()
        if proc.is_alive():
            proc.kill()
        proc.join()


def _parse_insert(
    path: Path,
    report: ParseReport,
    tz: str | None,
    walker_id: int,
    file_id: int,
    touched: set[dt.date],
    progress: Progress | None,
    fail_after: int | None,
    collect: ColumnBuilder | None = None,
) -> int:
    """Stream the file's records into the database in batches; collect the touched dates.

    Files of :data:`PARSER_PROCESS_MIN_BYTES` or more are parsed in a forked process while
    this one inserts (unless ``WALKRX_IMPORT_PARSER_PROCESS=0``); the batches are the same.
    """
    producer = _Producer(
        walker_id,
        file_id,
        None if collect is None else collect.index,
        _time_adapter(),
        connection.vendor == "sqlite",
    )
    if producer.sqlite and not connection.in_atomic_block:
        # one write transaction per batch, with the next batch's packing between them: a page
        # that writes gets in between (SQLite's busy handler polls; a burst would shut it out)
        producer.batch_size = min(BATCH, COMMIT_ROWS)
    sink = _Sink(collect)
    size = path.stat().st_size
    seen = 0
    yielded = 0
    if PARSER_PROCESS and size >= PARSER_PROCESS_MIN_BYTES:
        records = _child_records(path, report, tz)
    else:
        records = iter_records(path, report, tz=tz)
    batches = producer.batches(records, report)
    writer = _Writer(_insert_sql())
    writer.start()
    done = False
    try:
        for batch, packed, count in batches:
            yielded = count
            sink.add(packed)
            if not batch:
                continue
            writer.put(batch)
            seen += len(batch)
            if progress is not None:
                progress(min(report.bytes_read, size), size, path.name)
            if fail_after is not None and seen >= fail_after:
                raise ImportAborted(f"{path}: simulated failure after {seen} records")
        done = True
    finally:
        batches.close()
        close = getattr(records, "close", None)
        if close is not None:
            close()  # stops the parser process, if any
        if done:
            writer.finish()
        else:  # an error is in flight: stop the writer, keep the original error
            with contextlib.suppress(BaseException):  # the first error is the one to report
                writer.finish()
    _touched_days(
        np.frombuffer(sink.lo, dtype=np.int64), np.frombuffer(sink.hi, dtype=np.int64), touched
    )
    if collect is not None and len(collect):
        offsets = np.frombuffer(collect.offset, dtype=np.int32)
        starts = np.frombuffer(collect.start, dtype=np.int64)
        ends = np.frombuffer(collect.end, dtype=np.int64)
        step = 1 << 16  # in slices: whole-column temporaries would raise the peak RSS
        for i in range(0, len(starts), step):
            shift = offsets[i : i + step].astype(np.int64) * 60
            start = starts[i : i + step]
            end = ends[i : i + step]
            _touched_days(start + shift, np.maximum(end - 1, start) + shift, touched)
    return yielded


def _store_file(
    walker: Walker,
    path: Path,
    summary: FileSummary,
    touched: set[dt.date],
    tz: str | None,
    progress: Progress | None,
    created_files: list[Path],
    fail_after: int | None,
    collect: ColumnBuilder | None = None,
    sources: list[SourceFile] | None = None,
) -> None:
    """Store one file's records under a pending file row (appended to ``sources``).

    The row gets its hash, size and stored copy in memory only; :func:`import_files` saves
    them with the days, which ends its pending state.
    """
    sources = [] if sources is None else sources
    media = Path(settings.MEDIA_ROOT)
    tmp_copy = temp_dir(walker.pk) / f"{os.getpid()}-{uuid.uuid4().hex}{path.suffix}"
    created_files.append(tmp_copy)
    copier = _HashCopy(path, tmp_copy)
    copier.start()
    source = SourceFile.objects.create(
        walker=walker,
        kind=summary.format,
        original_name=path.name[:255],
        sha256=pending.marker(),
        size=path.stat().st_size,
        stored="",
    )
    sources.append(source)
    report = ParseReport(str(path))
    before = _count(walker.id)
    try:
        yielded = _parse_insert(
            path, report, tz, walker.id, source.id, touched, progress, fail_after, collect
        )
    except BaseException:
        copier.stop = True
        copier.join()
        raise
    copier.join()
    if copier.stop:
        raise ImportFileError(path, "the copy was interrupted")
    if copier.error is not None:
        raise ImportFileError(path, f"cannot copy the original file: {copier.error}")
    summary.sha256 = copier.sha256
    summary.size = copier.size
    summary.records = yielded
    summary.new_records = _count(walker.id) - before
    summary.skipped = dict(report.skipped)
    summary.notes = list(report.notes)
    existing = next((s for s in sources if s.sha256 == copier.sha256), None)
    if existing is None:
        existing = SourceFile.objects.filter(walker=walker, sha256=copier.sha256).first()
    if existing is not None:
        summary.already_imported = True
        with transaction.atomic():
            ConsumerInterval.objects.filter(source_file=source).update(source_file=existing)
            source.delete()
            sources.remove(source)
            existing.records = max(existing.records, yielded)
            if existing not in sources:
                existing.save(update_fields=["records"])
    else:
        rel = Path("imports") / str(walker.id) / copier.sha256[:2] / copier.sha256 / path.name
        final = media / rel
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp_copy, final)
        created_files.append(final)
        source.sha256 = copier.sha256
        source.size = copier.size
        source.stored.name = str(rel)
        source.records = yielded  # saved by import_files with the days (no longer pending)
    if progress is not None:
        progress(source.size, source.size, path.name)


def _epoch_of(d: dt.date) -> int:
    return (d - dt.date(1970, 1, 1)).days * 86400


def _windows(dates: Iterable[dt.date]) -> Iterator[list[dt.date]]:
    current: list[dt.date] = []
    for d in sorted(dates):
        if current and (d - current[0]).days >= WINDOW_DAYS:
            yield current
            current = []
        current.append(d)
    if current:
        yield current


def _where(walker_id: int, lo_s: int, hi_s: int) -> tuple[str, list[Any]]:
    t = _time_adapter()
    where = "walker_id = %s AND start_utc >= %s AND start_utc < %s AND end_utc > %s"
    return where, [walker_id, t(lo_s - MAX_RECORD_S), t(hi_s), t(lo_s)]


def load_workouts(walker_id: int, lo_s: int, hi_s: int) -> list[Workout]:
    """Stored workouts of a walker overlapping ``[lo_s, hi_s)`` (UTC epoch seconds)."""
    table = ConsumerInterval._meta.db_table
    where, params = _where(walker_id, lo_s, hi_s)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT source_name, device, device_kind, activity, {_epoch_sql('start_utc')}, "
            f"{_epoch_sql('end_utc')}, value, distance_m, steps, utc_offset_minutes FROM {table} "
            f"WHERE {where} AND kind = 'workout'",
            params,
        )
        return [
            Workout(src, dev, dkind, activity, s, e, value, dist, steps, off)
            for src, dev, dkind, activity, s, e, value, dist, steps, off in cursor.fetchall()
        ]


def load_records(walker_id: int, lo_s: int, hi_s: int) -> tuple[Columns, list[Workout]]:
    """Stored records of a walker overlapping ``[lo_s, hi_s)`` (UTC epoch seconds).

    Step/distance records come back as :class:`Columns` (what the merge consumes), workouts
    as :class:`Workout` records.
    """
    table = ConsumerInterval._meta.db_table
    where, params = _where(walker_id, lo_s, hi_s)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT source_name, device_kind, kind, {_epoch_sql('start_utc')}, "
            f"{_epoch_sql('end_utc')}, value, utc_offset_minutes FROM {table} "
            f"WHERE {where} AND kind IN ('steps', 'distance')",
            params,
        )
        cols = columns_from_rows(cursor.fetchall())
    return cols, load_workouts(walker_id, lo_s, hi_s)


def walker_policy(walker: Walker) -> MergePolicy:
    """Merge policy of a walker: ``preferences["source_priority"]`` names sources first."""
    prefs = walker.preferences if isinstance(walker.preferences, dict) else {}
    order = prefs.get("source_priority") or ()
    return MergePolicy(source_order=tuple(str(x) for x in order))


_FIELDS = ("steps", "walk_min", "distance_m", "steps_by_source")


def recompute_days(
    walker: Walker,
    dates: Iterable[dt.date],
    summary: ImportSummary | None = None,
    note: str = "",
    stored: Columns | None = None,
    dedupe: bool = False,
) -> None:
    """Re-merge the given local dates from stored records and upsert imported daily rows.

    ``stored``: ALL the walker's stored step/distance records, already in memory (the first
    import of a walker); the database is then read for workouts only. ``dedupe``: ``stored``
    may hold records the store refused as duplicates (the first one of each key is kept).
    """
    statements = _day_statements(*_merge_days(walker, dates, summary, note, stored, dedupe))
    with transaction.atomic():
        _write_days(statements)


Statements = list[tuple[str, list[tuple[Any, ...]]]]


def _day_statements(new_rows: list[DailyActivity], changed: list[DailyActivity]) -> Statements:
    """The SQL and parameters that write the days, prepared before the write transaction.

    Preparing 2,200 days' values (the ORM's ``bulk_create``/``bulk_update`` do it inside the
    call) takes a tenth of a second of Python, which a low-priority import on a busy machine
    stretches to seconds: with SQLite every page that writes would wait that long.
    """
    meta = DailyActivity._meta
    qn = connection.ops.quote_name
    out: Statements = []
    if new_rows:
        fields = [f for f in meta.concrete_fields if f is not meta.pk]
        cols = ", ".join(qn(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        out.append(
            (
                f"INSERT INTO {qn(meta.db_table)} ({cols}) VALUES ({marks})",
                [
                    tuple(f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields)
                    for row in new_rows
                ],
            )
        )
    if changed:
        fields = [meta.get_field(name) for name in (*_FIELDS, "source_file", "updated_at")]
        sets = ", ".join(f"{qn(f.column)} = %s" for f in fields)
        out.append(
            (
                f"UPDATE {qn(meta.db_table)} SET {sets} WHERE {qn(meta.pk.column)} = %s",
                [
                    (
                        *(f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields),
                        row.pk,
                    )
                    for row in changed
                ],
            )
        )
    return out


def _write_days(statements: Statements) -> None:
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.executemany(sql, params)


def _merge_days(
    walker: Walker,
    dates: Iterable[dt.date],
    summary: ImportSummary | None,
    note: str,
    stored: Columns | None,
    dedupe: bool,
) -> tuple[list[DailyActivity], list[DailyActivity]]:
    """The imported daily rows to add and to change for ``dates`` (nothing is written)."""
    policy = walker_policy(walker)
    new_rows: list[DailyActivity] = []
    changed: list[DailyActivity] = []
    for window in _windows(dates):
        wanted = set(window)
        lo = _epoch_of(window[0]) - ZONE_MARGIN_S
        hi = _epoch_of(window[-1] + dt.timedelta(days=1)) + ZONE_MARGIN_S
        if stored is None:
            cols, workouts = load_records(walker.id, lo, hi)
        else:
            mask = (stored.start >= lo - MAX_RECORD_S) & (stored.start < hi) & (stored.end > lo)
            cols, workouts = select(stored, mask), load_workouts(walker.id, lo, hi)
            if dedupe:
                cols = first_of_each_key(cols)
        days = merge_columns_days(cols, workouts, policy, dates=wanted)
        existing = {
            row.date: row
            for row in DailyActivity.objects.filter(
                walker=walker, origin="imported", date__in=window
            )
        }
        for day, totals in days.items():
            values = {
                "steps": totals.steps,
                "walk_min": totals.walk_min,
                "distance_m": totals.distance_m,
                "steps_by_source": totals.steps_by_source,
            }
            row = existing.get(day)
            if row is None:
                new_rows.append(
                    DailyActivity(
                        walker=walker, date=day, origin="imported", source_file=note[:255], **values
                    )
                )
                if summary is not None:
                    summary.days_added.append(day)
            elif any(getattr(row, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(row, k, v)
                row.source_file = note[:255]
                row.updated_at = dt.datetime.now(dt.UTC)  # bulk_update does not apply auto_now
                changed.append(row)
                if summary is not None:
                    summary.days_updated.append(day)
            elif summary is not None:
                summary.days_unchanged.append(day)
    return new_rows, changed


def import_files(
    walker_name: str,
    paths: Sequence[str | Path],
    progress: Progress | None = None,
    *,
    tz: str | None = None,
    fail_after_records: int | None = None,
) -> ImportSummary:
    """Import consumer files for a walker, all or nothing; see the module docstring.

    ``tz`` (IANA) places records of formats without UTC offsets (Fitbit, some CSV, GPX);
    default the walker's zone. ``fail_after_records`` is a test hook: raise
    :class:`ImportAborted` after that many records were inserted.
    Raises ``Walker.DoesNotExist`` or :class:`ImportFileError` (nothing is stored then).
    """
    walker = Walker.objects.get(name=walker_name)
    sweep_temp(walker.pk)
    own = not connection.in_atomic_block  # short transactions of its own (see the module doc)
    if own:
        pending.sweep(walker.pk)  # a killed import's records; waits for the walker's other one
    zone = tz or walker.tz
    summary = ImportSummary(walker=walker.name)
    files = [Path(p) for p in paths]
    for path in files:
        if not path.is_file():
            raise ImportFileError(path, "no such file")
        summary.files.append(FileSummary(str(path), detect_format(path)))
    created: list[Path] = []
    sources: list[SourceFile] = []
    try:
        with contextlib.nullcontext() if own else transaction.atomic():
            touched: set[dt.date] = set()
            # A walker's first import: keep the records in memory too (compact columns), so
            # that merging does not read them back from the database.
            first = not ConsumerInterval.objects.filter(walker=walker).exists()
            collect = ColumnBuilder() if first else None
            for path, fs in zip(files, summary.files, strict=True):
                _store_file(
                    walker,
                    path,
                    fs,
                    touched,
                    zone,
                    progress,
                    created,
                    fail_after_records,
                    collect,
                    sources,
                )
            names = ", ".join(p.name for p in files)
            stored = None
            dedupe = False
            if collect is not None:
                stored = collect.columns()
                in_db = ConsumerInterval.objects.filter(
                    walker=walker, kind__in=("steps", "distance")
                ).count()
                # duplicates in the files: keep what the store kept (per window, small)
                dedupe = in_db != len(stored)
            statements = _day_statements(
                *_merge_days(walker, touched, summary, names, stored, dedupe)
            )
            with transaction.atomic():  # short: the days, and the files are no longer pending
                for source in sources:
                    source.save(update_fields=["sha256", "size", "stored", "records"])
                _write_days(statements)
    except BaseException:
        if own:  # what the batches stored goes again; the first error is the one to report
            with contextlib.suppress(Exception):
                for source in sources:
                    pending.remove(walker.pk, source.pk)
        for p in created:
            p.unlink(missing_ok=True)
        raise
    finally:
        tmp = temp_dir(walker.pk)
        for p in created:
            if p.parent == tmp:
                p.unlink(missing_ok=True)
        if tmp.is_dir() and not any(tmp.iterdir()):
            shutil.rmtree(tmp, ignore_errors=True)
    return summary


def temp_dir(walker_pk: int) -> Path:
    """Where copies of a walker's files wait while they are imported.

    Inside the walker's own ``imports/<id>/`` folder, so erasing the walker's folders (account
    deletion) removes them too, even those an import killed mid-way left behind.
    """
    return Path(settings.MEDIA_ROOT) / "imports" / str(walker_pk) / "tmp"


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


def sweep_temp(walker_pk: int) -> list[Path]:
    """Remove the copies left by this walker's imports whose process is gone; return them.

    A copy is named ``<pid>-<random><suffix>`` by the process importing it; a killed import
    (out of memory, a restart, ``kill -9``) leaves it behind, and the next import sweeps it.
    Copies in the old shared ``imports/tmp/`` folder (before walker folders) older than a day
    go too.
    """
    removed: list[Path] = []
    folder = temp_dir(walker_pk)
    for p in folder.glob("*-*") if folder.is_dir() else []:
        pid = p.name.split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            p.unlink(missing_ok=True)
            removed.append(p)
    legacy = Path(settings.MEDIA_ROOT) / "imports" / "tmp"
    now = time.time()
    for p in legacy.iterdir() if legacy.is_dir() else []:
        with contextlib.suppress(OSError):
            if p.is_file() and now - p.stat().st_mtime > 86_400:
                p.unlink()
                removed.append(p)
    return removed
