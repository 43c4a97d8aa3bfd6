"""Fitbit account-export JSON of per-minute steps (``steps-YYYY-MM-DD.json``).

Each entry is ``{"dateTime": "06/23/95 00:00:00", "value": "12"}``: a minute starting at that
LOCAL time of the account (``MM/DD/YY``; ISO dates are accepted too). Fitbit stores no offset,
so the account's IANA zone (``tz``) is required; each minute's offset comes from that zone at
that instant (DST aware; an ambiguous local time takes its first occurrence). Zero-step
minutes are not stored (a band writes zeros even when not worn, and a zero from a preferred
source would hide another source's steps); they are counted in the report.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

from walkrx.consumer.records import STEPS, ImportFileError, Interval, ParseReport, Record

FORMATS = ("%m/%d/%y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


#: More steps than anyone takes in a minute (cadence tops out near 250).
MAX_STEPS_PER_MINUTE = 1000


def parse_fitbit_time(text: str) -> dt.datetime:
    """Parse a Fitbit ``dateTime`` (naive local time)."""
    for fmt in FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
    raise ValueError(f"not a Fitbit date-time: {text!r}")


def local_to_utc(local: dt.datetime, zone: ZoneInfo) -> tuple[int, int]:
    """Naive local time in ``zone`` -> (UTC epoch seconds, offset minutes)."""
    aware = local.replace(tzinfo=zone, fold=0)
    off = aware.utcoffset() or dt.timedelta(0)
    return int(aware.timestamp()), int(off.total_seconds() // 60)


def iter_fitbit(
    path: str | Path,
    report: ParseReport | None = None,
    *,
    tz: str | None = None,
    source_name: str = "Fitbit",
) -> Iterator[Record]:
    """Yield one step :class:`Interval` per non-zero minute."""
    path = Path(path)
    report = report if report is not None else ParseReport(str(path))
    report.format = "fitbit-json"
    if not tz:
        raise ImportFileError(path, "Fitbit exports are in the account's local time: give --tz")
    zone = ZoneInfo(tz)
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except json.JSONDecodeError as exc:
        raise ImportFileError(path, f"not valid JSON: {exc.msg}", f"line {exc.lineno}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFileError(path, f"cannot read: {exc}") from exc
    except RecursionError as exc:
        raise ImportFileError(path, "not valid JSON: nested too deeply") from exc
    if not isinstance(data, list):
        raise ImportFileError(path, "expected a JSON list of {dateTime, value} entries")
    for i, entry in enumerate(data):
        try:
            local = parse_fitbit_time(str(entry["dateTime"]))
            value = float(entry["value"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ImportFileError(path, f"bad entry {entry!r} ({exc})", f"entry {i}") from exc
        if not math.isfinite(value) or value > MAX_STEPS_PER_MINUTE:
            raise ImportFileError(
                path,
                f"step count {entry['value']!r} is not a number of steps in a minute "
                f"(0-{MAX_STEPS_PER_MINUTE})",
                f"entry {i}",
            )
        if value < 0:
            report.skip("negative step count")
            continue
        if value == 0:
            report.skip("zero-step minute (not stored)")
            continue
        start, off = local_to_utc(local, zone)
        report.records += 1
        yield Interval(
            source_name, "Fitbit", "tracker", STEPS, start, start + 60, value, "count", off
        )
