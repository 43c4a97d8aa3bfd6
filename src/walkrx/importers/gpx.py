"""GPX tracks (a walk recorded by a phone app or watch): duration, moving time and distance.

Parsed with :mod:`defusedxml` (no DTD, no entities, no network). Distance is the haversine sum
over consecutive track points; moving time counts the time between consecutive points whose
speed is at least ``moving_speed_mps`` (default 0.5 m/s, well below a slow walk of ~0.8 m/s and
above GPS jitter while standing), ignoring gaps longer than ``max_gap_s`` (a paused recording).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from walkrx.consumer.records import (
    DISTANCE,
    ImportFileError,
    Interval,
    ParseReport,
    Record,
    RoutePoint,
    Workout,
)
from walkrx.ingest.limits import EARLIEST_NS, ENV, LATEST_NS, current

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG)
MOVING_SPEED_MPS = 0.5
MAX_GAP_S = 300.0


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two WGS84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse_time(text: str) -> int:
    value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:  # GPX times are UTC by definition
        value = value.replace(tzinfo=dt.UTC)
    seconds = int(value.timestamp())
    if not EARLIEST_NS <= seconds * 1_000_000_000 < LATEST_NS:
        raise ValueError(f"{text!r} is outside 1970-2099")
    return seconds


def read_points(source: str | Path | IO[bytes], name: str | None = None) -> list[RoutePoint]:
    """Read every ``trkpt`` (and ``rtept``) of a GPX document, in document order."""
    label = name or str(source)
    points: list[RoutePoint] = []
    cap = current().max_records
    try:
        for _event, elem in DET.iterparse(source, events=("end",), forbid_dtd=True):
            tag = _local(elem.tag)
            if tag not in ("trkpt", "rtept"):
                continue
            try:
                lat = float(elem.attrib["lat"])
                lon = float(elem.attrib["lon"])
            except (KeyError, ValueError) as exc:
                raise ImportFileError(
                    label, f"track point without a valid lat/lon: {exc}", f"point {len(points)}"
                ) from exc
            if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
                raise ImportFileError(
                    label,
                    f"track point at lat={elem.attrib['lat']!r}, lon={elem.attrib['lon']!r} "
                    "is not on Earth (latitude -90..90, longitude -180..180)",
                    f"point {len(points)}",
                )
            if len(points) >= cap:
                raise ImportFileError(
                    label, f"more than {cap:,} track points (limit {ENV['max_records']})"
                )
            time_s: int | None = None
            ele: float | None = None
            for child in elem:
                ctag = _local(child.tag)
                if ctag == "time" and child.text:
                    try:
                        time_s = _parse_time(child.text)
                    except (ValueError, OverflowError) as exc:
                        raise ImportFileError(
                            label, f"bad time {child.text[:40]!r}", f"point {len(points)}"
                        ) from exc
                elif ctag == "ele" and child.text:
                    try:
                        ele = float(child.text)
                    except ValueError:
                        ele = None
                    if ele is not None and not math.isfinite(ele):
                        ele = None
            points.append(RoutePoint(time_s, lat, lon, ele))
            elem.clear()
    except ParseError as exc:
        line, col = getattr(exc, "position", (0, 0))
        raise ImportFileError(label, f"malformed GPX: {exc}", f"line {line}, column {col}") from exc
    except DefusedXmlException as exc:
        raise ImportFileError(
            label, f"refused: GPX with a DTD or entity declaration ({exc})"
        ) from exc
    except LookupError as exc:  # an encoding name Python does not know, e.g. "UTF-0"
        raise ImportFileError(label, f"unknown text encoding: {exc}", "XML declaration") from exc
    except (ValueError, UnicodeError) as exc:
        raise ImportFileError(label, f"unreadable GPX text: {exc}") from exc
    return points


def route_stats(
    points: list[RoutePoint],
    moving_speed_mps: float = MOVING_SPEED_MPS,
    max_gap_s: float = MAX_GAP_S,
) -> tuple[float, float, float]:
    """Return ``(distance_m, duration_s, moving_s)`` of a route."""
    distance = 0.0
    moving = 0.0
    for a, b in zip(points, points[1:], strict=False):
        step = haversine_m(a.lat, a.lon, b.lat, b.lon)
        distance += step
        if a.time_s is not None and b.time_s is not None:
            gap = b.time_s - a.time_s
            if 0 < gap <= max_gap_s and step / gap >= moving_speed_mps:
                moving += gap
    times = [p.time_s for p in points if p.time_s is not None]
    duration = float(max(times) - min(times)) if times else 0.0
    return distance, duration, moving


def iter_gpx(
    path: str | Path,
    report: ParseReport | None = None,
    *,
    utc_offset_minutes: int = 0,
    activity: str = "walking",
    source_name: str | None = None,
) -> Iterator[Record]:
    """Yield one walking :class:`Workout` and one distance :class:`Interval` for a GPX track.

    GPX carries no UTC offset: ``utc_offset_minutes`` (from the walker's ``--tz``) sets the
    local date. A track without timed points cannot be placed in time and is refused.
    """
    path = Path(path)
    report = report if report is not None else ParseReport(str(path))
    report.format = "gpx"
    points = read_points(path)
    timed = [p.time_s for p in points if p.time_s is not None]
    if not timed:
        raise ImportFileError(path, "no timed track points: the walk cannot be placed in time")
    distance, duration, moving = route_stats(points)
    start, end = min(timed), max(timed)
    name = source_name or f"GPX {path.name}"
    report.records += 2
    yield Workout(
        source_name=name,
        device="",
        device_kind="app",
        activity=activity,
        start_s=start,
        end_s=end,
        duration_s=duration,
        distance_m=distance,
        steps=None,
        utc_offset_minutes=utc_offset_minutes,
        moving_s=moving,
        route=tuple(points),
    )
    if end > start:
        yield Interval(name, "", "app", DISTANCE, start, end, distance, "m", utc_offset_minutes)
