"""The walker's stored records: step/distance records in columnar chunk files, workouts as rows.

Every record is stored once per (kind, source name, start, end): an import keeps only the
records no earlier import stored (:func:`new_records`), in one chunk file
(:func:`write_chunk`), so the union of a walker's chunks is the walker's record store and
re-importing a file adds nothing. Step/distance rows that imports made before the chunks
existed (``ConsumerInterval``) are still read, before the chunks.
"""

from __future__ import annotations

import datetime as dt
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.db import connection

from walkrx.consumer.batch import (
    COLUMN_DTYPES,
    NAME_MAX,
    BatchBuilder,
    IntervalBatch,
    concat,
    first_of_each_key,
)
from walkrx.consumer.columns import KIND_NAMES
from walkrx.consumer.records import ImportFileError, Interval, Workout
from walkrx.web.walking.models import Walker

from ..models import ConsumerInterval, IntervalChunk, SourceFile
from .files import chunk_dir, own_name
from .parse import MAX_RECORD_S

_COLUMNS = tuple(COLUMN_DTYPES)  # start, end, value, kind, offset, source


def _sqlite_time(seconds: int) -> str:
    return dt.datetime.fromtimestamp(int(seconds), dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def _pg_time(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(seconds), dt.UTC)


def _time_adapter() -> Callable[[int], Any]:
    return _sqlite_time if connection.vendor == "sqlite" else _pg_time


def _epoch_sql(column: str) -> str:
    if connection.vendor == "sqlite":
        return f"CAST(strftime('%%s', {column}) AS INTEGER)"
    return f"CAST(EXTRACT(EPOCH FROM {column}) AS BIGINT)"


def _where(walker_id: int, lo_s: int, hi_s: int) -> tuple[str, list[Any]]:
    t = _time_adapter()
    where = "walker_id = %s AND start_utc >= %s AND start_utc < %s AND end_utc > %s"
    return where, [walker_id, t(lo_s - MAX_RECORD_S), t(hi_s), t(lo_s)]


# --------------------------------------------------------------------------- chunks


def write_chunk(
    walker: Walker, source: SourceFile, batch: IntervalBatch, created: list[Path]
) -> IntervalChunk:
    """Store ``batch`` as a new chunk file of the walker (named in ``created`` until commit)."""
    folder = chunk_dir(walker.pk)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / own_name(".npz")
    created.append(path)
    names, devices, kinds = zip(*batch.sources, strict=True)
    with open(path, "wb") as fh:
        np.savez(
            fh,
            **{c: getattr(batch, c) for c in _COLUMNS},
            source_name=np.array(names, dtype=str),
            device=np.array(devices, dtype=str),
            device_kind=np.array(kinds, dtype=str),
        )
    return IntervalChunk.objects.create(
        walker=walker,
        source_file=source,
        stored=str(path.relative_to(settings.MEDIA_ROOT)),
        records=len(batch),
        first_start_s=int(batch.start.min()),
        last_end_s=int(batch.end.max()),
    )


_SOURCE_COLUMNS = ("source_name", "device", "device_kind")


def _chunk_error(chunk: IntervalChunk, path: Path, problem: str) -> ImportFileError:
    """The error of a chunk file that cannot be used: names the file, its import, the problem."""
    origin = chunk.source_file.original_name if chunk.source_file_id else "an earlier import"
    where = f"stored records of the import of {origin} (chunk {chunk.pk})"
    return ImportFileError(
        path,
        f"{problem}; nothing was changed: restore the file from a backup "
        "(the original export of that import is kept)",
        where,
    )


def _check_chunk(chunk: IntervalChunk, cols: dict[str, Any], table: list[Any]) -> str | None:
    """What is wrong with the arrays of a chunk file, or ``None``."""
    for c, dtype in COLUMN_DTYPES.items():
        a = cols[c]
        if a.ndim != 1:
            return f"array {c!r} has shape {a.shape}, not one column"
        if a.dtype != np.dtype(dtype):
            return f"array {c!r} is {a.dtype}, not {np.dtype(dtype)}"
    n = len(cols["start"])
    for c in _COLUMNS:
        if len(cols[c]) != n:
            return f"array {c!r} has {len(cols[c])} rows, not {n} as 'start'"
    if n != chunk.records:
        return f"it holds {n} records, not {chunk.records} as its database row says"
    for c, a in zip(_SOURCE_COLUMNS, table, strict=True):
        if a.ndim != 1 or a.dtype.kind != "U":
            return f"array {c!r} is not a column of text"
        if len(a) != len(table[0]):
            return f"array {c!r} has {len(a)} rows, not {len(table[0])} as 'source_name'"
    if n:
        kinds = cols["kind"]
        bad = ~np.isin(kinds, list(KIND_NAMES))
        if bad.any():
            i = int(np.argmax(bad))
            return f"record {i} has unknown kind code {int(kinds[i])} in array 'kind'"
        src = cols["source"]
        bad = (src < 0) | (src >= len(table[0]))
        if bad.any():
            i = int(np.argmax(bad))
            return (
                f"record {i} has source index {int(src[i])} in array 'source', "
                f"outside the table of {len(table[0])} sources"
            )
        if (cols["end"] < cols["start"]).any():
            i = int(np.argmax(cols["end"] < cols["start"]))
            return f"record {i} ends before it starts (arrays 'start' and 'end')"
    return None


def read_chunk(chunk: IntervalChunk) -> IntervalBatch:
    """The records of one chunk file, checked (numbers and text only: no pickles are loaded).

    Raises :class:`ImportFileError` naming the file, the import it came from and the problem
    if the file is missing, cannot be read or holds arrays that do not fit together.
    """
    path = Path(settings.MEDIA_ROOT) / str(chunk.stored.name)
    if not path.is_file():
        raise _chunk_error(chunk, path, "the file is missing")
    try:
        loaded = np.load(path, allow_pickle=False)
        if not isinstance(loaded, np.lib.npyio.NpzFile):  # a lone .npy array
            raise _chunk_error(chunk, path, "the file is one array, not an .npz archive")
        with loaded as z:
            missing = [c for c in (*_COLUMNS, *_SOURCE_COLUMNS) if c not in z.files]
            if missing:
                raise _chunk_error(chunk, path, f"array {missing[0]!r} is missing")
            cols = {c: z[c] for c in _COLUMNS}
            table = [z[c] for c in _SOURCE_COLUMNS]
    except ImportFileError:
        raise
    except (OSError, EOFError, KeyError, ValueError, zipfile.BadZipFile, zlib.error) as exc:
        if isinstance(exc, zipfile.BadZipFile | EOFError | zlib.error):
            problem = f"the file cannot be read: it is damaged or cut short ({exc or 'no detail'})"
        elif "pickle" in str(exc).lower():
            problem = "the file cannot be read: it holds pickled data, which is never loaded"
        else:
            problem = f"the file cannot be read ({exc or type(exc).__name__})"
        raise _chunk_error(chunk, path, problem) from exc
    wrong = _check_chunk(chunk, cols, table)
    if wrong:
        raise _chunk_error(chunk, path, wrong)
    sources = list(zip(*(a.tolist() for a in table), strict=True))
    return IntervalBatch(sources=sources, **cols)


def _legacy_rows(walker_id: int, lo: int | None, hi: int | None) -> IntervalBatch:
    """Step/distance rows stored before chunks existed, as a batch."""
    table = ConsumerInterval._meta.db_table
    where, params = "walker_id = %s", [walker_id]
    if lo is not None and hi is not None:
        where, params = _where(walker_id, lo, hi)
    builder = BatchBuilder()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT source_name, device, device_kind, kind, {_epoch_sql('start_utc')}, "
            f"{_epoch_sql('end_utc')}, value, unit, utc_offset_minutes FROM {table} "
            f"WHERE {where} AND kind IN ('steps', 'distance') ORDER BY id",
            params,
        )
        for row in cursor.fetchall():
            builder.add(Interval(*row))
    return builder.take()


def stored_batch(walker_id: int, lo: int | None = None, hi: int | None = None) -> IntervalBatch:
    """The walker's stored step/distance records, oldest first.

    With ``lo``/``hi`` (UTC epoch seconds): at least those overlapping ``[lo, hi)``.
    """
    chunks = IntervalChunk.objects.filter(walker_id=walker_id)
    if lo is not None and hi is not None:
        chunks = chunks.filter(first_start_s__lt=hi, last_end_s__gte=lo - MAX_RECORD_S)
    parts = [_legacy_rows(walker_id, lo, hi)]
    parts.extend(read_chunk(c) for c in chunks.order_by("id"))
    return concat(parts)


def new_records(known: IntervalBatch, batch: IntervalBatch) -> npt.NDArray[np.bool_]:
    """Mask of the records of ``batch`` not in ``known`` and not repeated earlier in ``batch``."""
    if not len(batch):
        return np.zeros(0, dtype=bool)
    lo, hi = int(batch.start.min()), int(batch.start.max())
    near = known.select((known.start >= lo) & (known.start <= hi)) if len(known) else known
    return first_of_each_key(concat([near, batch]), before=len(near))


def chunk_names(walker_pk: int) -> set[str]:
    """File names of the walker's chunks that rows name (for the sweep of left-overs)."""
    return {
        Path(n).name
        for n in IntervalChunk.objects.filter(walker_id=walker_pk).values_list("stored", flat=True)
    }


# --------------------------------------------------------------------------- workouts


_WORKOUT_COLUMNS = (
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


def insert_workouts(walker_id: int, file_id: int, workouts: list[Workout]) -> int:
    """Store the workouts not stored yet (the first of equal ones); return how many were new."""
    if not workouts:
        return 0
    t = _time_adapter()
    rows = [
        (
            walker_id,
            file_id,
            w.source_name[:NAME_MAX],
            w.device[:NAME_MAX],
            w.device_kind,
            "workout",
            w.activity,
            t(w.start_s),
            t(w.end_s),
            w.duration_s,
            "s",
            w.utc_offset_minutes,
            w.distance_m,
            w.steps,
        )
        for w in workouts
    ]
    table = ConsumerInterval._meta.db_table
    cols = ", ".join(_WORKOUT_COLUMNS)
    marks = ", ".join(["%s"] * len(_WORKOUT_COLUMNS))
    before = ConsumerInterval.objects.filter(walker_id=walker_id, kind="workout").count()
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({cols}) VALUES ({marks}) ON CONFLICT DO NOTHING", rows
        )
    return ConsumerInterval.objects.filter(walker_id=walker_id, kind="workout").count() - before


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


def stored_records(walker: Walker) -> list[Interval | Workout]:
    """Every stored record of a walker, step/distance records first (for listings and tests)."""
    out: list[Interval | Workout] = list(stored_batch(walker.pk).intervals())
    for row in ConsumerInterval.objects.filter(walker=walker, kind="workout").order_by("id"):
        out.append(
            Workout(
                row.source_name,
                row.device,
                row.device_kind,
                row.activity,
                int(row.start_utc.timestamp()),
                int(row.end_utc.timestamp()),
                row.value,
                row.distance_m,
                row.steps,
                row.utc_offset_minutes,
            )
        )
    return out
