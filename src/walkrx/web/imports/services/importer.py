"""Import consumer files for a walker in one short transaction (see :func:`import_files`)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from walkrx.consumer.batch import IntervalBatch, concat
from walkrx.consumer.records import ImportFileError, ParseReport
from walkrx.importers import detect_format
from walkrx.web.walking.models import Walker

from ..models import ConsumerInterval, IntervalChunk, SourceFile
from .days import merge_days, recompute_days, upsert_days
from .files import HashCopy, own_name, sweep_temp, temp_dir
from .parse import parse_file, touched_days
from .store import chunk_names, insert_workouts, new_records, stored_batch, write_chunk
from .summary import FileSummary, ImportAborted, ImportSummary, Progress


def import_files(
    walker_name: str,
    paths: Sequence[str | Path],
    progress: Progress | None = None,
    *,
    tz: str | None = None,
    fail_after_records: int | None = None,
) -> ImportSummary:
    """Import consumer files for a walker in one short transaction.

    Each file is read into columns (a large Apple export by two processes at once) while a
    helper thread hashes and copies it; the records no earlier import stored go to one chunk
    file (workouts to rows); the local days the files touch are re-merged from all the
    walker's records and the ``DailyActivity(origin="imported")`` rows added or updated.
    Re-importing a file adds nothing; an overlapping later export adds only what is new.

    ``tz`` (IANA) places records of formats without UTC offsets (Fitbit, some CSV, GPX);
    default the walker's zone. ``fail_after_records`` is a test hook: raise
    :class:`ImportAborted` once a file of at least that many records was stored.
    Raises ``Walker.DoesNotExist`` or :class:`ImportFileError`; then nothing is stored, and
    the files written so far are removed.

    The files are read (the long part) before the transaction opens: SQLite has one writer
    at a time, and a transaction held across the reading of a 1 GB export made every page
    that writes, and the import worker's heartbeat, wait for it (issue 14).
    """
    walker = Walker.objects.get(name=walker_name)
    sweep_temp(walker.pk, chunk_names(walker.pk))
    zone = tz or walker.tz
    summary = ImportSummary(walker=walker.name)
    files = [Path(p) for p in paths]
    for path in files:
        if not path.is_file():
            raise ImportFileError(path, "no such file")
        summary.files.append(FileSummary(str(path), detect_format(path)))
    created: list[Path] = []
    try:
        mark = _store_mark(walker.pk)
        known = stored_batch(walker.pk)
        reads = []
        for path, fs in zip(files, summary.files, strict=True):  # no transaction: the long part
            read = _read_file(walker, path, fs, zone, progress, created, known)
            known = concat([known, read.new])
            reads.append(read)
        touched: set[dt.date] = set()
        for read in reads:
            touched |= touched_days(read.parsed)
        dates = sorted(touched)
        extra = [w for read in reads for w in read.parsed.workouts]
        days = merge_days(walker, dates, known.columns(), extra) if dates else {}
        names = ", ".join(p.name for p in files)
        with transaction.atomic():
            again = _store_mark(walker.pk) != mark  # another import of the walker committed
            if again:
                known = stored_batch(walker.pk)
                for read in reads:
                    read.select_new(known)
                    known = concat([known, read.new])
            for read, fs in zip(reads, summary.files, strict=True):
                _store_file(walker, read, fs, progress, created, fail_after_records)
            if again:  # merge again, inside (rare)
                recompute_days(walker, dates, summary, note=names, stored=known.columns())
            elif dates:
                upsert_days(walker, dates, days, summary, names)
    except BaseException:
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


def _store_mark(walker_pk: int) -> tuple[int, int, int | None]:
    """What changes when an import of the walker commits (chunks, workouts, file rows)."""
    chunks = IntervalChunk.objects.filter(walker_id=walker_pk).count()
    workouts = ConsumerInterval.objects.filter(walker_id=walker_pk, kind="workout").count()
    files = SourceFile.objects.filter(walker_id=walker_pk).order_by("-pk")
    return chunks, workouts, files.values_list("pk", flat=True).first()


class _Read:
    """One file read (and hashed and copied), before anything is stored."""

    def __init__(self, path: Path, parsed: Any, report: ParseReport, copier: HashCopy) -> None:
        self.path = path
        self.parsed = parsed
        self.report = report
        self.copier = copier
        self.new: IntervalBatch = parsed.batch

    def select_new(self, known: IntervalBatch) -> None:
        """Keep the step/distance records ``known`` does not hold."""
        fresh = new_records(known, self.parsed.batch)
        self.new = self.parsed.batch if fresh.all() else self.parsed.batch.select(fresh)


def _read_file(
    walker: Walker,
    path: Path,
    summary: FileSummary,
    tz: str | None,
    progress: Progress | None,
    created: list[Path],
    known: IntervalBatch,
) -> _Read:
    """Read, hash and copy one file and find its new records; nothing is stored."""
    tmp_copy = temp_dir(walker.pk) / own_name(path.suffix)
    created.append(tmp_copy)
    copier = HashCopy(path, tmp_copy)
    copier.start()
    report = ParseReport(str(path))
    try:
        read = _Read(path, parse_file(path, report, tz, progress), report, copier)
        read.select_new(known)
    except BaseException:
        copier.stop = True
        copier.join()
        raise
    copier.join()
    if copier.stop:
        raise ImportFileError(path, "the copy was interrupted")
    if copier.error is not None:
        raise ImportFileError(path, f"cannot copy the original file: {copier.error}")
    return read


def _store_file(
    walker: Walker,
    read: _Read,
    summary: FileSummary,
    progress: Progress | None,
    created: list[Path],
    fail_after: int | None,
) -> None:
    """Store one file that was read (inside the import's transaction)."""
    path, parsed, report, copier, new = read.path, read.parsed, read.report, read.copier, read.new
    tmp_copy = copier.dest
    source = SourceFile.objects.create(
        walker=walker,
        kind=summary.format,
        original_name=path.name[:255],
        sha256=f"pending-{uuid.uuid4().hex}",
        size=path.stat().st_size,
        stored="",
    )
    added = insert_workouts(walker.id, source.id, parsed.workouts)
    if len(new):
        write_chunk(walker, source, new, created)
    if fail_after is not None and parsed.records >= fail_after:
        raise ImportAborted(f"{path}: simulated failure after {parsed.records} records")
    summary.sha256 = copier.sha256
    summary.size = copier.size
    summary.records = parsed.records
    summary.new_records = len(new) + added
    summary.skipped = dict(report.skipped)
    summary.notes = list(report.notes)
    existing = SourceFile.objects.filter(walker=walker, sha256=copier.sha256).first()
    if existing is not None:
        summary.already_imported = True
        ConsumerInterval.objects.filter(source_file=source).update(source_file=existing)
        IntervalChunk.objects.filter(source_file=source).update(source_file=existing)
        source.delete()
        existing.records = max(existing.records, parsed.records)
        existing.save(update_fields=["records"])
    else:
        rel = Path("imports") / str(walker.id) / copier.sha256[:2] / copier.sha256 / path.name
        final = Path(settings.MEDIA_ROOT) / rel
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp_copy, final)
        created.append(final)
        source.sha256 = copier.sha256
        source.size = copier.size
        source.stored.name = str(rel)
        source.records = parsed.records
        source.save(update_fields=["sha256", "size", "stored", "records"])
    if progress is not None:
        progress(source.size, source.size, path.name)
