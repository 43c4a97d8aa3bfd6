"""Records from attributes: step/distance intervals and walking workouts; device kinds."""

from __future__ import annotations

import re
from collections.abc import Callable

from walkrx.consumer.records import (
    DISTANCE,
    STEPS,
    ImportFileError,
    Interval,
    ParseReport,
    RoutePoint,
    Workout,
)
from walkrx.importers import gpx as gpx_io

from .syntax import (
    _DEVICE_FIELD_RE,
    _TRACKER_WORDS,
    DISTANCE_TYPE,
    DURATION_TO_S,
    LENGTH_TO_M,
    MAX_RECORD_VALUE,
    STEP_TYPE,
    WANTED_TYPES,
    WORKOUT_ACTIVITIES,
    _check_refs,
    _Fallback,
    _parse_attrs,
    _unescape,
)
from .times import _parse_time_b, parse_apple_time

_DEVICE_CACHE: dict[tuple[str, str], tuple[str, str]] = {}


def describe_device(source_name: str, device: str) -> tuple[str, str]:
    """Return ``(device label, device kind)`` from Apple's ``sourceName`` and ``device``.

    The kind is ``watch`` when the device model (or, without a device, the source name) says
    Watch, ``phone`` for an iPhone, ``tracker`` for a known wearable brand, else ``app``.
    """
    at = device.find(", name:")
    key = (source_name, device[at:] if at >= 0 else device)
    hit = _DEVICE_CACHE.get(key)
    if hit is not None:
        return hit
    if "&" in device:
        device = _unescape(device)
    fields = dict(_DEVICE_FIELD_RE.findall(device)) if device else {}
    model = fields.get("model", "").strip()
    hardware = fields.get("hardware", "").strip()
    label = " ".join(x for x in (fields.get("name", "").strip() or model, hardware) if x)
    probe = f"{model} {fields.get('manufacturer', '')} {fields.get('name', '')}".lower()
    name = source_name.lower()
    if model.lower().startswith("watch") or (not model and "watch" in name):
        kind = "watch"
    elif model.lower().startswith("iphone") or (not model and "iphone" in name):
        kind = "phone"
    elif any(w in probe or w in name for w in _TRACKER_WORDS):
        kind = "tracker"
    elif "watch" in probe:
        kind = "watch"
    elif "iphone" in probe:
        kind = "phone"
    else:
        kind = "app"
    if len(_DEVICE_CACHE) < 10_000:
        _DEVICE_CACHE[key] = (label, kind)
    return label, kind


def interval_from_attrs(attrs: dict[str, str], report: ParseReport) -> Interval | None:
    """Build a step/distance interval from a ``<Record>``'s attributes (``None`` = skipped)."""
    kind = WANTED_TYPES.get(attrs.get("type", ""))
    if kind is None:
        return None
    try:
        start, offset = parse_apple_time(attrs["startDate"])
        end, _ = parse_apple_time(attrs["endDate"])
        value = float(attrs["value"])
    except KeyError as exc:
        report.skip(f"record without {exc.args[0]}")
        return None
    except ValueError:
        report.skip("record with an unreadable date or value")
        return None
    if not 0 <= value <= MAX_RECORD_VALUE:
        report.skip("record with a negative, non-finite or implausibly large value")
        return None
    if end < start:
        report.skip("record ending before it starts")
        return None
    unit = attrs.get("unit", "")
    if kind == STEPS:
        if unit not in ("count", ""):
            report.skip(f"step record in unit {unit!r}")
            return None
        unit = "count"
    else:
        factor = LENGTH_TO_M.get(unit)
        if factor is None:
            report.skip(f"distance record in unknown unit {unit!r}")
            return None
        value *= factor
        unit = "m"
    source = attrs.get("sourceName", "")
    label, device_kind = describe_device(source, attrs.get("device", ""))
    report.records += 1
    return Interval(source, label, device_kind, kind, start, end, value, unit, offset)


_LAYOUT_SOURCE: dict[bytes, tuple[str, str, str]] = {}


def _interval_from_layout(m: re.Match[bytes], report: ParseReport) -> Interval | None:
    """Same result as :func:`interval_from_attrs` for a record in Apple's attribute layout."""
    kind_b, source_b, device_b, unit_b, start_b, end_b, value_b = m.groups()
    try:
        start, offset = _parse_time_b(start_b)
        end, _ = _parse_time_b(end_b)
        value = float(value_b)
        key = source_b + b"\0" + (device_b[device_b.find(b", name:") :] if device_b else b"")
        described = _LAYOUT_SOURCE.get(key)
        if described is None:
            source = source_b.decode("utf-8")
            device = device_b.decode("utf-8") if device_b else ""
            if "&" in device:
                _check_refs(device, lambda: "", "")
            label, device_kind = describe_device(source, device)
            described = (source, label, device_kind)
            if len(_LAYOUT_SOURCE) < 10_000:
                _LAYOUT_SOURCE[key] = described
    except ImportFileError:
        raise _Fallback from None  # an undefined entity: the standard parser reports it
    except (ValueError, UnicodeDecodeError):
        return interval_from_attrs(_generic_attrs_from_layout(m), report)
    if not 0 <= value <= MAX_RECORD_VALUE or end < start:
        return interval_from_attrs(_generic_attrs_from_layout(m), report)
    if kind_b == b"StepCount":
        if unit_b != b"count":
            return interval_from_attrs(_generic_attrs_from_layout(m), report)
        kind = STEPS
        unit = "count"
    else:
        factor = LENGTH_TO_M.get(unit_b.decode("ascii", "replace"))
        if factor is None:
            return interval_from_attrs(_generic_attrs_from_layout(m), report)
        value *= factor
        kind = DISTANCE
        unit = "m"
    report.records += 1
    source, label, device_kind = described
    return Interval(source, label, device_kind, kind, start, end, value, unit, offset)


def _generic_attrs_from_layout(m: re.Match[bytes]) -> dict[str, str]:
    tag = m.group(0)
    return _parse_attrs(tag[len(b"<Record") :], lambda: "", "")


RouteResolver = Callable[[str], list[RoutePoint] | None]


def workout_from_parts(
    attrs: dict[str, str],
    children: list[tuple[str, dict[str, str]]],
    report: ParseReport,
    resolve_route: RouteResolver | None,
) -> Workout | None:
    """Build a walking/hiking :class:`Workout` from its attributes and child elements."""
    raw_type = attrs.get("workoutActivityType", "")
    activity = WORKOUT_ACTIVITIES.get(raw_type)
    if activity is None:
        report.skip(f"workout of type {raw_type.removeprefix('HKWorkoutActivityType') or '?'}")
        return None
    try:
        start, offset = parse_apple_time(attrs["startDate"])
        end, _ = parse_apple_time(attrs["endDate"])
    except (KeyError, ValueError):
        report.skip("workout with an unreadable date")
        return None
    duration = float(end - start)
    try:
        if "duration" in attrs:
            duration = float(attrs["duration"]) * DURATION_TO_S[attrs.get("durationUnit", "min")]
    except (KeyError, ValueError):
        pass
    distance: float | None = None
    steps: int | None = None
    try:
        if attrs.get("totalDistance"):
            distance = (
                float(attrs["totalDistance"]) * LENGTH_TO_M[attrs.get("totalDistanceUnit", "km")]
            )
    except (KeyError, ValueError):
        distance = None
    route: list[RoutePoint] = []
    for name, child in children:
        if name == "WorkoutStatistics":
            try:
                if child.get("type") == DISTANCE_TYPE and distance is None:
                    distance = float(child["sum"]) * LENGTH_TO_M[child.get("unit", "km")]
                elif child.get("type") == STEP_TYPE:
                    steps = round(float(child["sum"]))
            except (KeyError, ValueError):
                pass
        elif name == "FileReference" and resolve_route is not None:
            try:
                points = resolve_route(child.get("path", ""))
            except ImportFileError as exc:  # a damaged route loses the route, not the workout
                report.notes.append(f"workout route skipped: {exc}")
                continue
            if points is None:
                report.notes.append(f"workout route {child.get('path')!r} not found in the export")
            else:
                route.extend(points)
        elif name == "Location":
            try:
                t, _ = parse_apple_time(child["date"])
                route.append(
                    RoutePoint(t, float(child["latitude"]), float(child["longitude"]), None)
                )
            except (KeyError, ValueError):
                pass
    moving: float | None = None
    if route:
        route_distance, _, moving = gpx_io.route_stats(route)
        if distance is None:
            distance = route_distance
    source = attrs.get("sourceName", "")
    label, device_kind = describe_device(source, attrs.get("device", ""))
    report.records += 1
    return Workout(
        source_name=source,
        device=label,
        device_kind=device_kind,
        activity=activity,
        start_s=start,
        end_s=end,
        duration_s=duration,
        distance_m=distance,
        steps=steps,
        utc_offset_minutes=offset,
        moving_s=moving,
        route=tuple(route),
    )
