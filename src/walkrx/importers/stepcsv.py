"""The documented step CSV: ``time,steps[,minutes][,distance_m]`` (see ``docs/import-csv.md``).

One row per interval: ``time`` is its start (ISO 8601; with an offset such as ``+01:00`` or
``Z``, or local time in the zone given by ``tz``), ``steps`` a whole number, ``minutes`` its
length (default 1), ``distance_m`` metres walked (optional). Zero-step rows without distance are
not stored. Errors name the line.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

from walkrx.consumer.records import (
    DISTANCE,
    STEPS,
    ImportFileError,
    Interval,
    ParseReport,
    Record,
)

REQUIRED = ("time", "steps")
OPTIONAL = ("minutes", "distance_m")


#: Largest values one row may hold (a day's steps of a very active person is ~50,000).
MAX_STEPS = 1_000_000
MAX_MINUTES = 31 * 1440
MAX_DISTANCE_M = 1_000_000.0


def _instant(text: str, zone: ZoneInfo | None, path: Path, line: int) -> tuple[int, int]:
    try:
        value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise ImportFileError(path, f"time {text!r} is not ISO 8601", f"line {line}") from exc
    if value.tzinfo is None:
        if zone is None:
            raise ImportFileError(
                path, f"time {text!r} has no UTC offset: give --tz", f"line {line}"
            )
        value = value.replace(tzinfo=zone, fold=0)
    off = value.utcoffset() or dt.timedelta(0)
    return int(value.timestamp()), int(off.total_seconds() // 60)


def is_step_csv(path: str | Path) -> bool:
    """Sniff the header line."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            header = [h.strip().lower() for h in next(csv.reader(fh), [])]
    except (OSError, UnicodeDecodeError, csv.Error):
        return False
    return header[:2] == list(REQUIRED)


def iter_stepcsv(
    path: str | Path,
    report: ParseReport | None = None,
    *,
    tz: str | None = None,
    source_name: str | None = None,
) -> Iterator[Record]:
    """Yield step (and distance) intervals of a step CSV."""
    path = Path(path)
    report = report if report is not None else ParseReport(str(path))
    report.format = "step-csv"
    zone = ZoneInfo(tz) if tz else None
    name = source_name or f"CSV {path.name}"
    try:
        fh = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed by "with fh"
    except OSError as exc:
        raise ImportFileError(path, f"cannot read: {exc}") from exc
    with fh:
        reader = csv.reader(fh)
        try:
            header = [h.strip().lower() for h in next(reader)]
        except StopIteration:
            raise ImportFileError(path, "empty file") from None
        except UnicodeDecodeError as exc:
            raise ImportFileError(path, "not UTF-8 text", "line 1") from exc
        except csv.Error as exc:
            raise ImportFileError(path, f"not a readable CSV ({exc})", "line 1") from exc
        if header[:2] != list(REQUIRED) or any(h not in OPTIONAL for h in header[2:]):
            raise ImportFileError(
                path,
                f"header must be time,steps[,minutes][,distance_m], not {','.join(header)}",
                "line 1",
            )
        cols = {h: i for i, h in enumerate(header)}
        try:
            for row in reader:
                line = reader.line_num
                if not row or all(not c.strip() for c in row):
                    continue
                if len(row) != len(header):
                    raise ImportFileError(
                        path, f"expected {len(header)} fields, found {len(row)}", f"line {line}"
                    )
                start, off = _instant(row[cols["time"]], zone, path, line)
                try:
                    steps = float(row[cols["steps"]])
                    minutes = float(row[cols["minutes"]]) if "minutes" in cols else 1.0
                    dist = row[cols["distance_m"]].strip() if "distance_m" in cols else ""
                    distance = float(dist) if dist else None
                except ValueError as exc:
                    raise ImportFileError(path, f"not a number ({exc})", f"line {line}") from exc
                if not (
                    0 <= steps <= MAX_STEPS
                    and 0 < minutes <= MAX_MINUTES
                    and (distance is None or 0 <= distance <= MAX_DISTANCE_M)
                ):
                    raise ImportFileError(
                        path,
                        f"steps must be 0-{MAX_STEPS:,}, minutes above 0 and at most "
                        f"{MAX_MINUTES:,} (31 days), distance_m 0-{MAX_DISTANCE_M:,.0f}; "
                        f"found {row[cols['steps']]!r}, {minutes!r}, {distance!r}",
                        f"line {line}",
                    )
                end = start + int(round(minutes * 60))
                if steps == 0 and not distance:
                    report.skip("zero-step row (not stored)")
                    continue
                report.records += 1
                yield Interval(name, "", "app", STEPS, start, end, steps, "count", off)
                if distance:
                    yield Interval(name, "", "app", DISTANCE, start, end, distance, "m", off)
        except UnicodeDecodeError as exc:
            raise ImportFileError(path, "not UTF-8 text", f"line {reader.line_num}") from exc
        except csv.Error as exc:
            raise ImportFileError(
                path, f"not a readable CSV ({exc})", f"line {reader.line_num}"
            ) from exc
