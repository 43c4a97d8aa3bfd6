"""Read one file into columns: every step/distance record as one batch, workouts as a list.

A large plain Apple ``export.xml`` is read by this process and a helper process at once
(:mod:`walkrx.importers.apple.split`); other files are read here. Nothing here touches the
database.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from walkrx.consumer.batch import BatchBuilder, BatchJoiner, IntervalBatch
from walkrx.consumer.records import Interval, ParseReport, Workout
from walkrx.importers import detect_format, iter_records
from walkrx.importers.apple import iter_apple_items
from walkrx.importers.apple.split import PART_BYTES, OnePassNeeded, iter_apple_parallel

from .summary import Progress

MAX_RECORD_S = 7 * 86400  # longer "intervals" are implausible and skipped
_EPOCH_DATE = dt.date(1970, 1, 1)
#: Processes reading a large Apple export (this one and helpers): ``WALKRX_IMPORT_PARSERS``,
#: default the number of cores, at most 2; more than 2 reads like 2 (one helper, ~50 MB).
PARSERS = min(2, os.cpu_count() or 1)
if os.environ.get("WALKRX_IMPORT_PARSERS", "").strip().isdigit():
    PARSERS = max(1, int(os.environ["WALKRX_IMPORT_PARSERS"]))
#: Smaller files are read in one pass, here.
PARALLEL_MIN_BYTES = 8 * 1024 * 1024
#: Size of the parts a large export is cut into (see :mod:`walkrx.importers.apple.split`).
PARTS_OF = PART_BYTES
#: Records per batch while records are gathered one by one.
BATCH = 50_000


@dataclass
class ParsedFile:
    """A file's records: step/distance as one batch (file order), workouts, and the count."""

    batch: IntervalBatch
    workouts: list[Workout]
    records: int  # records read (before skipping implausibly long ones)
    too_long: int = 0  # records skipped as longer than seven days


def _items(path: Path, report: ParseReport, tz: str | None, progress: Any) -> Any:
    fmt = detect_format(path)
    if fmt == "apple-health":
        if PARSERS > 1 and path.stat().st_size >= PARALLEL_MIN_BYTES:
            return iter_apple_parallel(path, report, part_bytes=PARTS_OF, progress=progress)
        return iter_apple_items(path, report)
    return iter_records(path, report, tz=tz)


def parse_file(
    path: Path, report: ParseReport, tz: str | None, progress: Progress | None = None
) -> ParsedFile:
    """Read ``path``; records longer than seven days are counted as skipped and left out."""
    size = path.stat().st_size

    def tick(done: int) -> None:
        if progress is not None:
            progress(min(done, size), size, path.name)

    collecting = gc.isenabled()
    gc.disable()  # millions of short-lived tuples, no cycles: collections would only cost time
    try:
        parsed = _gather(_items(path, report, tz, tick), report, tick, size)
    except OnePassNeeded:
        report.records = 0
        report.skipped.clear()
        report.notes.clear()
        parsed = _gather(iter_apple_items(path, report), report, tick, size)
    finally:
        if collecting:
            gc.enable()
    if parsed.too_long:
        report.skip("record longer than 7 days (implausible)", parsed.too_long)
    return parsed


def _gather(items: Any, report: ParseReport, tick: Callable[[int], None], size: int) -> ParsedFile:
    """Records of ``items`` as one batch (file order) and a list of workouts."""
    batches = BatchJoiner()
    builder = BatchBuilder()
    workouts: list[Workout] = []
    records = 0
    skipped_long = 0
    for item in items:
        if type(item) is IntervalBatch:
            if len(builder):
                batches.add(builder.take())
            batches.add(item)
            records += len(item)
            tick(report.bytes_read)
        elif type(item) is Workout:
            records += 1
            if item.end_s - item.start_s > MAX_RECORD_S:
                skipped_long += 1
            else:
                workouts.append(item)
        elif isinstance(item, Interval):
            records += 1
            builder.add(item)
            if len(builder) >= BATCH:
                batches.add(builder.take())
                tick(report.bytes_read)
    if len(builder):
        batches.add(builder.take())
    tick(size)
    batch = batches.take()
    long = (batch.end - batch.start) > MAX_RECORD_S
    if long.any():
        skipped_long += int(long.sum())
        batch = batch.select(~long)
    return ParsedFile(batch, workouts, records, skipped_long)


def _days_between(lo: npt.NDArray[np.int64], hi: npt.NDArray[np.int64]) -> set[int]:
    """Every day number between each ``lo`` and ``hi`` (local seconds), both included."""
    if not len(lo):
        return set()
    d0 = lo // 86400
    d1 = hi // 86400
    days = set(np.unique(d0).tolist()) | set(np.unique(d1).tolist())
    spans = d1 > d0 + 1
    for a, b in zip(d0[spans].tolist(), d1[spans].tolist(), strict=True):
        days.update(range(a + 1, b))
    return days


def touched_days(parsed: ParsedFile) -> set[dt.date]:
    """The local dates a file's records touch (from their own offsets)."""
    b = parsed.batch
    days: set[int] = set()
    step = 1 << 16  # in slices: whole-column temporaries would raise the peak RSS
    for i in range(0, len(b), step):
        shift = b.offset[i : i + step].astype(np.int64) * 60
        start = b.start[i : i + step]
        end = np.maximum(b.end[i : i + step] - 1, start)
        days |= _days_between(start + shift, end + shift)
    if parsed.workouts:
        lo = np.array([w.start_s + w.utc_offset_minutes * 60 for w in parsed.workouts])
        hi = np.array(
            [
                (w.end_s - 1 if w.end_s > w.start_s else w.start_s) + w.utc_offset_minutes * 60
                for w in parsed.workouts
            ]
        )
        days |= _days_between(lo.astype(np.int64), hi.astype(np.int64))
    return {_EPOCH_DATE + dt.timedelta(days=d) for d in days}
