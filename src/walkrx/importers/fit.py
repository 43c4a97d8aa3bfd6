"""Garmin ``.fit`` files: walking activities and daily monitoring (steps per interval).

Activities: every ``session`` of a foot sport becomes a :class:`Workout` (walking and hiking) and,
for walking/hiking, a steps and a distance :class:`Interval` over the session. FIT ``cycles``
count strides for foot sports, so ``steps = 2 × total_strides`` (``total_cycles``).

Monitoring files (``monitoring_a``/``monitoring_b``): ``monitoring`` messages carry cumulative
counters per activity type (``steps``, or ``cycles`` = strides for walking/running), reset at
local midnight and whenever the device restarts. A step interval is the counter's increase since
the previous value of the same activity type, placed between the previous monitoring message (any
type) and this one; a decrease is a reset (the new value counts from zero). Compressed
``timestamp_16`` fields are resolved against the last full timestamp. Daily summary messages
(``duration_min`` set) are totals, not intervals: they are reported, not stored.

The UTC offset comes from ``activity.local_timestamp`` / ``monitoring_info.local_timestamp``
(rounded to 15 minutes), else from the zone passed in.

Errors (CRC mismatch, corrupt header, unexpected end of file) raise :class:`ImportFileError`
naming the file, the byte offset and the problem; nothing is yielded from a damaged file.
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import fitdecode

from walkrx.consumer.records import (
    DISTANCE,
    STEPS,
    ImportFileError,
    Interval,
    ParseReport,
    Record,
    Workout,
)

FOOT_SPORTS = {"walking": "walking", "hiking": "hiking"}
STEP_ACTIVITY_TYPES = ("walking", "running")
FIT_EPOCH_S = 631065600  # 1989-12-31T00:00:00Z


def _error(path: Path, exc: Exception) -> ImportFileError:
    text = str(exc)
    if isinstance(exc, fitdecode.FitCRCError):
        return ImportFileError(path, f"CRC mismatch: the file is damaged ({text})")
    if isinstance(exc, fitdecode.FitHeaderError):
        return ImportFileError(path, f"corrupt FIT header ({text})")
    if isinstance(exc, fitdecode.FitEOFError):
        return ImportFileError(path, f"unexpected end of file: truncated or missing data ({text})")
    return ImportFileError(path, f"cannot decode FIT data ({type(exc).__name__}: {text})")


def read_messages(path: str | Path) -> list[tuple[str, dict[str, Any]]]:
    """Decode all data messages (CRC checked) as ``(name, {field: value})``."""
    path = Path(path)
    messages: list[tuple[str, dict[str, Any]]] = []
    headers = 0
    try:
        with fitdecode.FitReader(
            str(path),
            check_crc=fitdecode.CrcCheck.RAISE,
            error_handling=fitdecode.ErrorHandling.RAISE,
        ) as reader:
            for frame in reader:
                if isinstance(frame, fitdecode.FitHeader):
                    headers += 1
                elif isinstance(frame, fitdecode.FitDataMessage):
                    messages.append(
                        (frame.name, {f.name: f.value for f in frame.fields if f.value is not None})
                    )
    except fitdecode.FitError as exc:
        raise _error(path, exc) from exc
    except OSError as exc:
        raise ImportFileError(path, f"cannot read: {exc}") from exc
    except (
        ValueError,
        AssertionError,
        TypeError,
        struct.error,
        IndexError,
        KeyError,
        OverflowError,
        UnicodeError,
    ) as exc:
        # fitdecode trusts sizes and types a damaged file can make up
        where = f"message {len(messages)}"
        detail = str(exc) or "the message contradicts its own definition"
        raise ImportFileError(
            path, f"damaged FIT data ({type(exc).__name__}: {detail})", where
        ) from exc
    if headers == 0:
        raise ImportFileError(path, "not a FIT file: no FIT header (no data)")
    if not messages:
        raise ImportFileError(path, "no data: the FIT file holds no messages")
    return messages


def _epoch(value: Any) -> int | None:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return int(value.timestamp())
    if isinstance(value, int):
        return value + FIT_EPOCH_S
    return None


def _offset_from(local: Any, utc: Any) -> int | None:
    a, b = _epoch(local), _epoch(utc)
    if a is None or b is None:
        return None
    minutes = (a - b) / 60
    return int(round(minutes / 15) * 15)


def _zone_offset(tz: str | None, at_s: int) -> int:
    if not tz:
        return 0
    off = dt.datetime.fromtimestamp(at_s, ZoneInfo(tz)).utcoffset()
    return int(off.total_seconds() // 60) if off else 0


def _device(messages: list[tuple[str, dict[str, Any]]]) -> tuple[str, str]:
    for name, f in messages:
        if name == "file_id":
            maker = str(f.get("manufacturer", "") or "")
            product = str(f.get("garmin_product") or f.get("product") or "")
            label = " ".join(x for x in (maker.capitalize(), product) if x) or "FIT device"
            return label, str(f.get("type", ""))
    return "FIT device", ""


def iter_fit(
    path: str | Path, report: ParseReport | None = None, *, tz: str | None = None
) -> Iterator[Record]:
    """Yield workouts and step/distance intervals of one FIT file (activity or monitoring)."""
    path = Path(path)
    report = report if report is not None else ParseReport(str(path))
    report.format = "fit"
    messages = read_messages(path)
    device, file_type = _device(messages)
    try:
        if file_type.startswith("monitoring"):
            yield from _monitoring(path, messages, device, report, tz)
        else:
            yield from _activity(path, messages, device, report, tz)
    except (TypeError, ValueError, OverflowError, KeyError, IndexError, OSError) as exc:
        # e.g. a date or count field decoded as an array, or a value out of any range
        raise ImportFileError(
            path,
            f"a message field holds a value of the wrong kind ({type(exc).__name__}: {exc})",
            f"after record {report.records}",
        ) from exc


def _activity(
    path: Path,
    messages: list[tuple[str, dict[str, Any]]],
    device: str,
    report: ParseReport,
    tz: str | None,
) -> Iterator[Record]:
    offset: int | None = None
    for name, f in messages:
        if name == "activity" and "local_timestamp" in f and "timestamp" in f:
            offset = _offset_from(f["local_timestamp"], f["timestamp"])
    sessions = [f for name, f in messages if name == "session"]
    if not sessions:
        report.skip("FIT file without a session (not an activity)")
        return
    source = f"{device} activity"
    for f in sessions:
        sport = str(f.get("sport", ""))
        activity = FOOT_SPORTS.get(sport)
        if activity is None:
            report.skip(f"activity of sport {sport or '?'} (not walking or hiking)")
            continue
        start = _epoch(f.get("start_time"))
        if start is None:
            report.skip("session without a start time")
            continue
        elapsed = float(f.get("total_elapsed_time") or f.get("total_timer_time") or 0.0)
        end = start + int(round(elapsed))
        off = offset if offset is not None else _zone_offset(tz, start)
        strides = f.get("total_strides", f.get("total_cycles"))
        if strides is None:
            strides = record_strides(messages, start, end)
        steps = int(round(2 * float(strides))) if strides is not None else None
        distance = f.get("total_distance")
        distance_m = float(distance) if distance is not None else None
        report.records += 1
        yield Workout(
            source_name=source,
            device=device,
            device_kind="watch",
            activity=activity,
            start_s=start,
            end_s=end,
            duration_s=elapsed,
            distance_m=distance_m,
            steps=steps,
            utc_offset_minutes=off,
            moving_s=float(f["total_timer_time"]) if "total_timer_time" in f else None,
        )
        if end > start and steps is not None:
            yield Interval(source, device, "watch", STEPS, start, end, steps, "count", off)
        if end > start and distance_m is not None:
            yield Interval(source, device, "watch", DISTANCE, start, end, distance_m, "m", off)


def record_strides(
    messages: list[tuple[str, dict[str, Any]]], start: int, end: int, modulus: int = 256
) -> float | None:
    """Strides of a session from the per-record ``cycles`` field, which rolls over at 256.

    Used only when the session has no ``total_strides``/``total_cycles``. The per-record value is
    a running count modulo ``modulus``; a smaller value than the previous one means a rollover.
    """
    total = 0
    previous: int | None = None
    for name, f in messages:
        if name != "record" or "cycles" not in f:
            continue
        ts = _epoch(f.get("timestamp"))
        if ts is not None and not start <= ts <= end:
            continue
        value = int(f["cycles"]) % modulus
        if previous is not None:
            total += (value - previous) % modulus
        previous = value
    return float(total) if previous is not None else None


def _monitoring(
    path: Path,
    messages: list[tuple[str, dict[str, Any]]],
    device: str,
    report: ParseReport,
    tz: str | None,
) -> Iterator[Record]:
    offset: int | None = None
    last_ts: int | None = None
    prev_msg_ts: int | None = None
    counters: dict[str, float] = {}
    source = f"{device} monitoring"
    for name, f in messages:
        ts = _epoch(f.get("timestamp"))
        if name == "monitoring_info":
            if "local_timestamp" in f and ts is not None:
                offset = _offset_from(f["local_timestamp"], f["timestamp"])
            if ts is not None:
                prev_msg_ts = ts
        if ts is None and "timestamp_16" in f and last_ts is not None:
            t16 = int(f["timestamp_16"]) & 0xFFFF
            fit_last = last_ts - FIT_EPOCH_S  # timestamp_16 counts FIT-epoch seconds
            ts = last_ts + ((t16 - (fit_last & 0xFFFF)) & 0xFFFF)
        if ts is not None:
            last_ts = ts
        if name != "monitoring":
            continue
        if ts is None:
            report.skip("monitoring message without a timestamp")
            continue
        if "duration_min" in f:
            report.skip("daily summary message (a total, not an interval)")
            continue
        activity = str(f.get("activity_type", ""))
        if "steps" in f:
            value = float(f["steps"])
        elif "cycles" in f and activity in STEP_ACTIVITY_TYPES:
            value = 2.0 * float(f["cycles"])  # cycles are strides for foot activities
        else:
            prev_msg_ts = ts
            continue
        before = counters.get(activity, 0.0)
        delta = value - before if value >= before else value  # a decrease is a reset
        counters[activity] = value
        start = prev_msg_ts if prev_msg_ts is not None and prev_msg_ts < ts else ts - 60
        prev_msg_ts = ts
        if delta <= 0:
            continue
        off = offset if offset is not None else _zone_offset(tz, ts)
        report.records += 1
        yield Interval(source, device, "tracker", STEPS, start, ts, delta, "count", off)
