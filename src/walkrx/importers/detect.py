"""Open any consumer walking file: detect its format by content and yield its records."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

from walkrx.consumer.records import ImportFileError, ParseReport, Record
from walkrx.ingest.limits import EARLIEST_NS, ENV, LATEST_NS, current

FORMATS = ("apple-health", "fit", "gpx", "fitbit-json", "step-csv")


def detect_format(path: str | Path) -> str:
    """Return one of :data:`FORMATS`, judged by content (names can be localised or wrong)."""
    try:
        return _detect_format(path)
    except (ImportFileError, MemoryError):
        raise
    except Exception as exc:
        raise ImportFileError(path, _unforeseen(exc), "the first bytes") from exc


def _unforeseen(exc: BaseException) -> str:
    return (
        f"the file is damaged in a way walkrx cannot decode ({type(exc).__name__}: {exc}); "
        "nothing was stored"
    )


def _detect_format(path: str | Path) -> str:
    from walkrx.importers import apple, stepcsv

    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise ImportFileError(path, f"cannot read: {exc}") from exc
    if not head:
        raise ImportFileError(path, "empty file")
    if len(head) >= 12 and head[8:12] == b".FIT":
        return "fit"
    if zipfile.is_zipfile(path) or b"<HealthData" in head or apple.is_apple_export(path):
        if apple.is_apple_export(path):
            return "apple-health"
        raise ImportFileError(path, "a zip without an Apple Health export in it")
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<") and b"<gpx" in head:
        return "gpx"
    if text.startswith(b"[") or text.startswith(b"{"):
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
        except (ValueError, UnicodeDecodeError, RecursionError):
            data = None
        if isinstance(data, list) and (
            not data or (isinstance(data[0], dict) and "dateTime" in data[0])
        ):
            return "fitbit-json"
    if stepcsv.is_step_csv(path):
        return "step-csv"
    raise ImportFileError(
        path, "unknown format (expected Apple Health, FIT, GPX, Fitbit JSON or the step CSV)"
    )


def iter_records(
    path: str | Path, report: ParseReport | None = None, *, tz: str | None = None
) -> Iterator[Record]:
    """Yield the records of any supported consumer file (``tz`` for formats without offsets).

    Raises only :class:`ImportFileError`: the importers name what they know can go wrong, and
    anything else (damage nobody foresaw) is turned into one too, naming the record reached.
    More than ``max_records`` records (:mod:`walkrx.ingest.limits`) refuse the file.
    """
    cap = current().max_records
    report = report if report is not None else ParseReport(str(path))
    n = 0
    try:
        for record in _iter_records(path, report, tz=tz):
            problem = _implausible(record.start_s, record.end_s)
            if problem:
                report.skip(problem)
                report.records -= 1
                continue
            n += 1
            if n > cap:
                raise ImportFileError(
                    path,
                    f"more than {cap:,} records (limit {ENV['max_records']}); the file is "
                    "refused rather than imported in part",
                    f"record {n:,}",
                )
            yield record
    except (ImportFileError, MemoryError):
        raise
    except Exception as exc:
        raise ImportFileError(path, _unforeseen(exc), f"after record {n:,}") from exc


#: Longest span one record may cover (a record is a count over an interval or one workout).
MAX_RECORD_SPAN_S = 31 * 86_400


def _implausible(start_s: int, end_s: int) -> str | None:
    """Why a record's interval cannot be stored (None when it can)."""
    if not (EARLIEST_NS <= start_s * 1_000_000_000 < LATEST_NS):
        return "record dated outside 1970-2099"
    if end_s - start_s > MAX_RECORD_SPAN_S:
        return "record covering more than 31 days"
    return None


def _iter_records(
    path: str | Path, report: ParseReport | None = None, *, tz: str | None = None
) -> Iterator[Record]:
    from walkrx.importers import apple, fit, fitbit, gpx, stepcsv

    path = Path(path)
    report = report if report is not None else ParseReport(str(path))
    fmt = detect_format(path)
    if fmt == "apple-health":
        yield from apple.iter_apple(path, report)
    elif fmt == "fit":
        yield from fit.iter_fit(path, report, tz=tz)
    elif fmt == "gpx":
        offset = 0
        if tz:
            import datetime as dt
            from zoneinfo import ZoneInfo

            points = gpx.read_points(path)
            first = next((p.time_s for p in points if p.time_s is not None), None)
            if first is not None:
                off = dt.datetime.fromtimestamp(first, ZoneInfo(tz)).utcoffset()
                offset = int(off.total_seconds() // 60) if off else 0
        yield from gpx.iter_gpx(path, report, utc_offset_minutes=offset)
    elif fmt == "fitbit-json":
        yield from fitbit.iter_fitbit(path, report, tz=tz)
    else:
        yield from stepcsv.iter_stepcsv(path, report, tz=tz)
