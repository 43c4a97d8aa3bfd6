"""Reading an export: the fast path with its fallback to the standard parser."""

from __future__ import annotations

import codecs
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from walkrx.consumer.batch import IntervalBatch
from walkrx.consumer.records import ImportFileError, ParseReport, Record
from walkrx.ingest.archive import ZIP_ERRORS, open_member, open_zip

from .build import RouteResolver
from .container import _dir_route_resolver, _zip_route_resolver, find_export_member
from .fast import _iter_fast
from .prolog import _declared_encoding, _read_prolog
from .standard import _iter_standard
from .syntax import BLOCK_BYTES, _Fallback, _FastCounts


def iter_apple(
    path: str | Path,
    report: ParseReport | None = None,
    *,
    parser: str = "auto",
    block_bytes: int = BLOCK_BYTES,
) -> Iterator[Record]:
    """Yield step/distance :class:`Interval` s and walking :class:`Workout` s of an export.

    ``parser``: ``"auto"`` (fast path with fallback), ``"xml"`` (standard parser only).
    Raises :class:`ImportFileError` naming the file and the problem.
    """
    for item in iter_apple_items(path, report, parser=parser, block_bytes=block_bytes):
        if type(item) is IntervalBatch:
            yield from item.intervals()
        else:
            yield item  # type: ignore[misc]


def iter_apple_items(
    path: str | Path,
    report: ParseReport | None = None,
    *,
    parser: str = "auto",
    block_bytes: int = BLOCK_BYTES,
) -> Iterator[Record | IntervalBatch]:
    """As :func:`iter_apple`, but runs of step/distance records may come as column batches."""
    path = Path(path)
    label = str(path)
    report = report if report is not None else ParseReport(label)
    report.format = "apple-health"
    if zipfile.is_zipfile(path):
        with open_zip(path, ImportFileError) as zf:
            info = find_export_member(zf)
            if info is None:
                raise ImportFileError(path, "no Apple Health export XML (<HealthData>) in the zip")
            resolver = _zip_route_resolver(zf, info.filename, label)
            inner = f"{label}!{info.filename}"
            yield from _iter_stream(
                lambda: open_member(zf, info, label, ImportFileError),
                inner,
                report,
                resolver,
                parser,
                block_bytes,
            )
    else:
        resolver = _dir_route_resolver(path.parent)
        yield from _iter_stream(
            lambda: open(path, "rb"),  # noqa: SIM115 - opened in a with block by the callee
            label,
            report,
            resolver,
            parser,
            block_bytes,
        )


def _iter_stream(
    opener: Callable[[], IO[bytes]],
    label: str,
    report: ParseReport,
    resolver: RouteResolver,
    parser: str,
    block_bytes: int,
) -> Iterator[Record | IntervalBatch]:
    try:
        with opener() as stream:
            prolog, root_at, data = _read_prolog(stream, label)
            encoding = _declared_encoding(prolog)
            utf8 = encoding in ("utf-8", "utf8")
            decl_end = (
                prolog.find(b"?>") + 2 if prolog.lstrip(codecs.BOM_UTF8).startswith(b"<?xml") else 0
            )
            # The DTD is dropped; keep the declaration and the line count.
            prefix = prolog[:decl_end] + b"\n" * prolog.count(b"\n", decl_end) + data[root_at:]
            counts = _FastCounts()
            if parser == "auto" and utf8:
                start_records = report.records
                start_skipped = report.skipped.copy()
                try:
                    yield from _iter_fast(
                        stream,
                        data[root_at:],
                        root_at,
                        label,
                        report,
                        resolver,
                        counts,
                        block_bytes,
                    )
                    return
                except _Fallback:
                    report.notes.append("unusual XML content: switched to the standard parser")
                    report.records = start_records
                    report.skipped = start_skipped
        with opener() as stream:
            stream.read(len(data))
            yield from _iter_standard(
                stream, prefix, label, report, resolver, utf8, counts.intervals, counts.workouts
            )
    except (OSError, LookupError) as exc:
        raise ImportFileError(label, f"cannot read: {exc}") from exc
    except ZIP_ERRORS as exc:
        raise ImportFileError(
            label, f"cannot read the export: {type(exc).__name__}: {exc}"
        ) from exc
