"""Apple Health ``export.zip`` / ``export.xml``: step counts, walking distance, walking workouts.

Streaming, flat memory, hostile XML refused:

* **Prolog first.** The bytes before the root ``<HealthData`` element (XML declaration and the
  internal DTD Apple writes) are scanned and then *dropped*: no parser ever sees the DTD. Any
  ``<!ENTITY`` / ``<!NOTATION`` declaration, parameter-entity reference or external identifier
  (``SYSTEM``/``PUBLIC``) is refused at once with :class:`ImportFileError` (billion laughs, XXE).
  Because the DTD is never parsed, the broken DTDs some iOS versions wrote do not matter.
* **Fast path.** The body is read in large blocks and the wanted ``<Record>`` start tags are found
  with a compiled bytes regex on the type name; their attributes are parsed generically (any
  order, either quote, predefined and character references only; an undefined entity is an
  error). ``<Workout>`` elements are parsed with their children. A block holding anything unusual
  for an Apple export (a comment, CDATA, a processing instruction, a DOCTYPE, a non-UTF-8
  encoding, a tag the regex cannot read) switches to the standard parser, which then skips the
  records the fast path already yielded (both paths share the record-building code, so they
  agree record for record; the tests check that).
* **Standard path.** :func:`defusedxml.ElementTree.iterparse` with DTDs forbidden, over the body
  with the DTD replaced by blank lines (line numbers in errors stay right), through a filter
  that strips characters XML forbids (stray control characters are a known export defect).

The fast path does not check the well-formedness of everything it skips (heart-rate records and
so on); it does check that the document ends with ``</HealthData>`` (a truncated export is an
error). Use ``parser="xml"`` for the strict standard parser.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from walkrx.consumer.records import (
    DISTANCE,
    STEPS,
    ImportFileError,
    Interval,
    ParseReport,
    Record,
    RoutePoint,
    Workout,
)
from walkrx.importers import gpx as gpx_io
from walkrx.ingest.archive import ZIP_ERRORS, open_member, open_zip
from walkrx.ingest.limits import ENV, current

BLOCK_BYTES = 4 * 1024 * 1024
_MAX_SNIFFED_MEMBERS = 64  # members of a zip looked into for the export XML
PROLOG_MAX_BYTES = 4 * 1024 * 1024
SNIFF_BYTES = 64 * 1024
#: Largest step count or distance (in its unit) one record may carry; larger is skipped.
MAX_RECORD_VALUE = 1e9

STEP_TYPE = "HKQuantityTypeIdentifierStepCount"
DISTANCE_TYPE = "HKQuantityTypeIdentifierDistanceWalkingRunning"
WANTED_TYPES = {STEP_TYPE: STEPS, DISTANCE_TYPE: DISTANCE}
WORKOUT_ACTIVITIES = {
    "HKWorkoutActivityTypeWalking": "walking",
    "HKWorkoutActivityTypeHiking": "hiking",
}
LENGTH_TO_M = {
    "m": 1.0,
    "km": 1000.0,
    "cm": 0.01,
    "mi": 1609.344,
    "ft": 0.3048,
    "yd": 0.9144,
}
DURATION_TO_S = {"s": 1.0, "min": 60.0, "hr": 3600.0, "h": 3600.0, "ms": 0.001}

_ROOT_RE = re.compile(rb"<HealthData[\s/>]")
_OTHER_ROOT_RE = re.compile(rb"<(?!\?|!)([A-Za-z_][\w.:-]*)")
_COMMENT_RE = re.compile(rb"<!--.*?-->", re.S)
_ENTITY_DECL_RE = re.compile(rb"<!\s*(ENTITY|NOTATION)\b", re.I)
_EXTERNAL_ID_RE = re.compile(rb"<!DOCTYPE\s+[^\s\[>]+\s+(SYSTEM|PUBLIC)\b", re.I)
_PE_REF_RE = re.compile(rb"%[A-Za-z_:][\w.:-]*;")
_ENCODING_RE = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")

_WANTED_RE = re.compile(rb"HKQuantityTypeIdentifier(?:StepCount|DistanceWalkingRunning)\b")
_ATTRS = rb"""((?:\s+[^\s=/<>"']+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(/?)>"""
_RECORD_TAG_RE = re.compile(rb"<Record" + _ATTRS)
# Apple's own attribute layout, read in one regex pass; any other layout goes generic.
_V = rb'[^"<&\x00-\x08\x0b\x0c\x0e-\x1f]'  # an attribute value byte: no markup, no control
_APPLE_LAYOUT_RE = re.compile(
    rb'<Record type="HKQuantityTypeIdentifier(StepCount|DistanceWalkingRunning)"'
    rb' sourceName="(' + _V + rb'*)"(?: sourceVersion="' + _V + rb'*")?'
    rb' (?:device="([^"<\x00-\x08\x0b\x0c\x0e-\x1f]*)" )?'
    rb'unit="(' + _V + rb'*)"(?: creationDate="' + _V + rb'*")? startDate="(' + _V + rb'{25})"'
    rb' endDate="(' + _V + rb'{25})" value="([0-9.eE+-]+)" ?/?>'
)
_WORKOUT_START_RE = re.compile(rb"<Workout[\s/>]")
_ANY_TAG_RE = re.compile(rb"<([A-Za-z_][\w.:-]*)" + _ATTRS)
_ATTR_RE = re.compile(rb"""([^\s=/<>"']+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')""")
_ATTR_STR_RE = re.compile(r"""([^\s=/<>"']+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')""")
_REF_RE = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z_:][\w.:-]*);?")
_PREDEFINED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
# Characters XML 1.0 forbids (C0 controls except tab, LF, CR).
_CTRL = bytes(range(0x00, 0x09)) + b"\x0b\x0c" + bytes(range(0x0E, 0x20))
_CTRL_RE = re.compile(b"[" + re.escape(_CTRL) + b"]")
_DEVICE_FIELD_RE = re.compile(
    r"(name|manufacturer|model|hardware|software):(.*?)(?=, (?:name|manufacturer|model|hardware|software|localIdentifier|UDIDeviceIdentifier):|>|$)"
)
_TRACKER_WORDS = ("fitbit", "garmin", "polar", "withings", "oura", "whoop", "xiaomi", "amazfit")


class _Fallback(Exception):
    """The fast path met something unusual; the standard parser takes over."""


# --------------------------------------------------------------------------- times, devices


_HOUR_CACHE: dict[str, tuple[int, int]] = {}
_EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal()


def _parse_hour(text: str) -> tuple[int, int]:
    import datetime as dt

    if text[10] != " " or text[13] != ":" or text[16] != ":" or text[19] != " ":
        raise ValueError(text)
    days = dt.date.fromisoformat(text[:10]).toordinal() - _EPOCH_ORDINAL
    sign = text[20]
    offset = int(text[21:23]) * 60 + int(text[23:25])
    if sign == "-":
        offset = -offset
    elif sign != "+" or not text[11:13].isdigit() or not text[21:25].isdigit():
        raise ValueError(text)
    return days * 86400 + int(text[11:13]) * 3600 - offset * 60, offset


def parse_apple_time(text: str) -> tuple[int, int]:
    """Parse ``"2019-06-11 15:00:00 -0700"`` to ``(UTC epoch seconds, offset minutes)``."""
    try:
        if len(text) != 25:
            raise ValueError(text)
        key = text[:13] + text[19:]
        hit = _HOUR_CACHE.get(key)
        if hit is None:
            hit = _parse_hour(text)
            if len(_HOUR_CACHE) > 200_000:
                _HOUR_CACHE.clear()
            _HOUR_CACHE[key] = hit
        mm = text[14:16]
        ss = text[17:19]
        if text[13] != ":" or text[16] != ":" or not (mm + ss).isdigit():
            raise ValueError(text)
        return hit[0] + int(mm) * 60 + int(ss), hit[1]
    except (ValueError, IndexError):
        raise ValueError(f"not an Apple Health date: {text!r}") from None


_HOUR_CACHE_B: dict[bytes, tuple[int, int]] = {}


def _parse_time_b(raw: bytes) -> tuple[int, int]:
    """:func:`parse_apple_time` of 25 ASCII bytes (the layout fast path; no decode)."""
    key = raw[:13] + raw[19:]
    hit = _HOUR_CACHE_B.get(key)
    if hit is None:
        hit = parse_apple_time(raw.decode("ascii"))  # validates the whole text
        if len(_HOUR_CACHE_B) > 200_000:
            _HOUR_CACHE_B.clear()
        _HOUR_CACHE_B[key] = (hit[0] - int(raw[14:16]) * 60 - int(raw[17:19]), hit[1])
        return hit
    mmss = raw[14:16] + raw[17:19]
    if raw[13:14] != b":" or raw[16:17] != b":" or not mmss.isdigit():
        raise ValueError(raw)
    return hit[0] + int(mmss[:2]) * 60 + int(mmss[2:]), hit[1]


_DEVICE_CACHE: dict[tuple[str, str], tuple[str, str]] = {}


def describe_device(source_name: str, device: str) -> tuple[str, str]:
    """Return ``(device label, device kind)`` from Apple's ``sourceName`` and ``device``.

    The kind is ``watch`` when the device model (or, without a device, the source name) says
    Watch, ``phone`` for an iPhone, ``tracker`` for a known wearable brand, else ``app``.
    """
    key = (source_name, device[device.find(", name:") :] if device else "")
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


# --------------------------------------------------------------------------- records


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


# --------------------------------------------------------------------------- fast path


def _check_refs(text: str, where: Callable[[], str], path: str) -> None:
    """Refuse undefined entity references and malformed references anywhere in ``text``."""
    for m in _REF_RE.finditer(text):
        ref = m.group(1)
        if not m.group(0).endswith(";"):
            raise ImportFileError(path, f"malformed reference {m.group(0)!r}", where())
        if not ref.startswith("#") and ref not in _PREDEFINED:
            raise ImportFileError(path, f"undefined entity &{ref}; (entities are refused)", where())


def _unescape(value: str) -> str:
    def repl(m: re.Match[str]) -> str:
        ref = m.group(1)
        if ref.startswith("#x"):
            return chr(int(ref[2:], 16))
        if ref.startswith("#"):
            return chr(int(ref[1:]))
        return _PREDEFINED[ref]

    return _REF_RE.sub(repl, value)


_WS_TABLE = {9: 32, 10: 32, 13: 32}


def _parse_attrs(raw: bytes, where: Callable[[], str], path: str) -> dict[str, str]:
    """Parse the attributes of one start tag generically (any order, either quote)."""
    if _CTRL_RE.search(raw):
        raw = raw.translate(None, _CTRL)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportFileError(path, f"invalid UTF-8 ({exc.reason})", where()) from exc
    pairs = _ATTR_STR_RE.findall(text)
    if "&" in text:
        _check_refs(text, where, path)
        attrs = {k: _unescape(a or b) if "&" in (a or b) else (a or b) for k, a, b in pairs}
    else:
        attrs = {k: a or b for k, a, b in pairs}
    if "\t" in text or "\n" in text or "\r" in text:
        attrs = {k: v.replace("\r\n", " ").translate(_WS_TABLE) for k, v in attrs.items()}
    return attrs


_BAD_REF_RE = re.compile(r"&(?!lt;|gt;|amp;|quot;|apos;|#[0-9]+;|#x[0-9A-Fa-f]+;)")


def _fast_record_attrs(buf: bytes, s: int) -> dict[str, str] | None:
    """Attributes of the start tag at ``buf[s]`` for the common case; ``None`` = use the regex.

    Handles double-quoted attributes in any order. Values keep their references only for
    ``device`` (resolved by :func:`describe_device`); undefined entities raise ``KeyError``.
    """
    e = buf.find(b">", s)
    if e < 0:
        return None
    seg = buf[s:e]
    if seg.count(b'"') & 1 or b"'" in seg or b"<" in seg[1:]:
        return None
    if _CTRL_RE.search(seg):
        seg = seg.translate(None, _CTRL)
    text = seg.decode("utf-8")
    if "\t" in text or "\n" in text or "\r" in text:
        return None
    parts = text.split('"')
    names = parts[0:-1:2]
    tail = parts[-1]
    if tail and tail.strip() not in ("", "/"):
        return None
    head = names[0]
    space = head.find(" ")
    if space < 0:
        return None
    names[0] = head[space:]
    keys = [n.strip() for n in names]
    for k in keys:
        if k[-1:] != "=" or " " in k[:-1]:
            return None
    values = parts[1::2]
    if "&" in text:
        if _BAD_REF_RE.search(text):
            raise KeyError("reference")
        return {
            k[:-1].rstrip(): (_unescape(v) if "&" in v and k != "device=" else v)
            for k, v in zip(keys, values, strict=True)
        }
    return {k[:-1].rstrip(): v for k, v in zip(keys, values, strict=True)}


class _FastCounts:
    def __init__(self) -> None:
        self.intervals = 0
        self.workouts = 0


_WANTED_QUOTED = tuple(
    (name + quote).encode() for name in (STEP_TYPE, DISTANCE_TYPE) for quote in ('"', "'")
)


def _count_wanted(buf: bytes, start: int, end: int) -> int:
    """Wanted type names closed by a quote, i.e. attribute values (fast ``bytes.count``).

    Every record in Apple's layout holds exactly one; so when this count equals the number of
    layout matches, no wanted record in another layout can be in the range.
    """
    return sum(buf.count(needle, start, end) for needle in _WANTED_QUOTED)


def _records_generic(
    buf: bytes,
    cut: int,
    path: str,
    report: ParseReport,
    counts: _FastCounts,
    where: Callable[[int], Callable[[], str]],
    workouts: list[tuple[int, int, bool]],
) -> Iterator[Interval]:
    """Wanted records of a block, one hit at a time, any attribute layout."""
    last = -1
    for m in _WANTED_RE.finditer(buf, 0, cut):
        p = m.start()
        s = buf.rfind(b"<", 0, p)
        if s == last:
            continue
        last = s
        if buf[s + 1 : s + 7] != b"Record" or buf[s + 7 : s + 8] not in b" \t\r\n":
            continue
        lay = _APPLE_LAYOUT_RE.match(buf, s)
        if lay is not None:
            rec = _interval_from_layout(lay, report)
        else:
            try:
                fast = _fast_record_attrs(buf, s)
            except (KeyError, UnicodeDecodeError):
                fast = None  # the generic parser below names the problem
            if fast is not None:
                attrs = fast
            else:
                tag = _RECORD_TAG_RE.match(buf, s)
                if tag is None or tag.end() < p:
                    raise _Fallback
                attrs = _parse_attrs(tag.group(1), where(s), path)
            rec = interval_from_attrs(attrs, report)
        if rec is not None:
            counts.intervals += 1
            yield rec


def _iter_fast(
    stream: IO[bytes],
    body_start: bytes,
    body_offset: int,
    path: str,
    report: ParseReport,
    resolve_route: RouteResolver | None,
    counts: _FastCounts,
    block_bytes: int,
) -> Iterator[Record]:
    """Scan the body in blocks; see the module docstring. ``body_start`` begins at the root."""
    buf = body_start
    consumed = body_offset  # file offset of buf[0]
    token_cap = current().max_xml_token_bytes
    eof = False
    tail = b""
    while True:
        if not eof:
            chunk = stream.read(block_bytes)
            if chunk:
                buf += chunk
            else:
                eof = True
        if eof:
            cut = len(buf)
        else:
            cut = buf.rfind(b"<")
            if cut <= 0:
                if len(buf) > token_cap:
                    raise _too_long(path, consumed, token_cap)
                continue
        # Workouts whose end tag is not yet in the buffer are left for the next round.
        workouts: list[tuple[int, int, bool]] = []
        for m in _WORKOUT_START_RE.finditer(buf, 0, cut):
            s = m.start()
            tag = _ANY_TAG_RE.match(buf, s)
            if tag is None:  # complete (it starts before the last "<") but unreadable
                raise _Fallback
            if tag.group(3):  # self-closing
                workouts.append((s, tag.end(), True))
                continue
            e = buf.find(b"</Workout>", tag.end())
            if e < 0:
                if eof:
                    raise ImportFileError(path, "unexpected end of file inside a <Workout>")
                cut = s
                break
            workouts.append((s, e + len(b"</Workout>"), False))
        if buf.find(b"<!", 0, cut) >= 0 or buf.find(b"<?", 0, cut) >= 0:
            raise _Fallback

        def where(pos: int, base: int = consumed) -> Callable[[], str]:
            return lambda: f"byte {base + pos}"

        layouts = list(_APPLE_LAYOUT_RE.finditer(buf, 0, cut))
        hits = _count_wanted(buf, 0, cut)
        for s, e, _closing in workouts:
            hits -= _count_wanted(buf, s, e)
        if hits == len(layouts):
            # Every wanted record of the block is in Apple's layout: read them in one pass.
            for lay in layouts:
                rec = _interval_from_layout(lay, report)
                if rec is not None:
                    counts.intervals += 1
                    yield rec
        else:
            yield from _records_generic(buf, cut, path, report, counts, where, workouts)
        for s, e, selfclosing in workouts:
            tag = _ANY_TAG_RE.match(buf, s)
            assert tag is not None
            attrs = _parse_attrs(tag.group(2), where(s), path)
            children: list[tuple[str, dict[str, str]]] = []
            if not selfclosing:
                for c in _ANY_TAG_RE.finditer(buf, tag.end(), e):
                    children.append(
                        (
                            c.group(1).decode("ascii", "replace"),
                            _parse_attrs(c.group(2), where(c.start()), path),
                        )
                    )
            w = workout_from_parts(attrs, children, report, resolve_route)
            if w is not None:
                counts.workouts += 1
                yield w
        if eof:
            tail = buf[-64:]
            break
        consumed += cut
        report.bytes_read = consumed
        buf = buf[cut:]
    if not tail.rstrip().endswith(b"</HealthData>"):
        raise ImportFileError(
            path, "unexpected end of file: the export does not end with </HealthData> (truncated?)"
        )


# --------------------------------------------------------------------------- standard path


def _too_long(path: str, at: int, cap: int) -> ImportFileError:
    return ImportFileError(
        path,
        f"a single XML tag, attribute or text runs past {cap / 1024**2:,.0f} MiB "
        f"(limit {ENV['max_xml_token_bytes']}); an Apple export holds nothing that long",
        f"byte {at}",
    )


class _CleanStream(io.RawIOBase):
    """Byte stream: ``prefix`` then ``raw``, with characters XML forbids removed.

    It also refuses a run of more than ``max_xml_token_bytes`` without ``<`` or ``>`` (one
    text, attribute or tag), before the parser would have to hold it whole.
    """

    def __init__(self, prefix: bytes, raw: IO[bytes], strip: bool, path: str = "") -> None:
        self._prefix = prefix
        self._raw = raw
        self._strip = strip
        self._path = path
        self._cap = current().max_xml_token_bytes
        self._run = 0  # bytes since the last "<" or ">"
        self._pos = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self._prefix:
            out, self._prefix = self._prefix, b""
        else:
            out = self._raw.read(size if size and size > 0 else BLOCK_BYTES)
        self._check(out)
        return out.translate(None, _CTRL) if self._strip else out

    def _check(self, data: bytes) -> None:
        first = min((i for i in (data.find(b"<"), data.find(b">")) if i >= 0), default=-1)
        if first < 0:
            self._run += len(data)
        else:
            if self._run + first > self._cap:
                raise _too_long(self._path, self._pos, self._cap)
            self._run = len(data) - 1 - max(data.rfind(b"<"), data.rfind(b">"))
        if self._run > self._cap:
            raise _too_long(self._path, self._pos, self._cap)
        self._pos += len(data)

    def readinto(self, b: bytearray) -> int:  # type: ignore[override]
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)


def _iter_standard(
    stream: IO[bytes],
    prefix: bytes,
    path: str,
    report: ParseReport,
    resolve_route: RouteResolver | None,
    strip: bool,
    skip_intervals: int = 0,
    skip_workouts: int = 0,
) -> Iterator[Record]:
    clean = _CleanStream(prefix, stream, strip, path)
    depth = 0
    root = None
    try:
        for event, elem in DET.iterparse(
            clean, events=("start", "end"), forbid_dtd=True, forbid_entities=True
        ):
            if event == "start":
                if root is None:
                    root = elem
                    if elem.tag != "HealthData":
                        raise ImportFileError(
                            path, f"root element is <{elem.tag}>, not <HealthData>"
                        )
                depth += 1
                continue
            depth -= 1
            tag = elem.tag
            if tag == "Record":
                rec = interval_from_attrs(dict(elem.attrib), report)
                if rec is not None:
                    if skip_intervals:
                        skip_intervals -= 1
                    else:
                        yield rec
            elif tag == "Workout":
                children = [(c.tag, dict(c.attrib)) for c in elem.iter() if c is not elem]
                w = workout_from_parts(dict(elem.attrib), children, report, resolve_route)
                if w is not None:
                    if skip_workouts:
                        skip_workouts -= 1
                    else:
                        yield w
            if depth == 1 and root is not None:
                root.clear()
    except ParseError as exc:
        line, col = getattr(exc, "position", (0, 0))
        msg = str(exc).split(":")[0]
        if "no element found" in msg or "unclosed token" in msg:
            msg = f"unexpected end of file ({msg})"
        raise ImportFileError(path, f"malformed XML: {msg}", f"line {line}, column {col}") from exc
    except DefusedXmlException as exc:
        raise ImportFileError(path, f"refused: {exc} (DTDs and entities are not accepted)") from exc


# --------------------------------------------------------------------------- prolog


def _check_prolog(prolog: bytes, path: str) -> None:
    """Refuse entity/notation declarations, parameter entities and external DTD identifiers."""
    if _ENTITY_DECL_RE.search(prolog):
        raise ImportFileError(
            path,
            "refused: the DTD declares an entity; entity declarations are never accepted "
            "(entity-expansion and external-entity attacks)",
            "prolog",
        )
    if _EXTERNAL_ID_RE.search(prolog):
        raise ImportFileError(
            path, "refused: the DOCTYPE references an external DTD (SYSTEM/PUBLIC)", "prolog"
        )
    if _PE_REF_RE.search(_COMMENT_RE.sub(b"", prolog)):
        raise ImportFileError(path, "refused: the DTD uses a parameter entity reference", "prolog")


def _read_prolog(stream: IO[bytes], path: str) -> tuple[bytes, int, bytes]:
    """Read until the root start tag. Return ``(prolog, root offset, bytes read so far)``."""
    data = b""
    while True:
        m = _ROOT_RE.search(data)
        if m is not None:
            prolog = data[: m.start()]
            _check_prolog(prolog, path)
            return prolog, m.start(), data
        other = _OTHER_ROOT_RE.search(_COMMENT_RE.sub(b"", data))
        if other is not None and other.group(1) != b"HealthData":
            _check_prolog(data, path)
            raise ImportFileError(
                path,
                f"not an Apple Health export: the root element is <{other.group(1).decode('ascii', 'replace')}>",
            )
        if len(data) > PROLOG_MAX_BYTES:
            _check_prolog(data, path)
            raise ImportFileError(
                path, f"no <HealthData> root in the first {PROLOG_MAX_BYTES} bytes"
            )
        chunk = stream.read(SNIFF_BYTES)
        if not chunk:
            _check_prolog(data, path)
            raise ImportFileError(path, "not an Apple Health export: no <HealthData> element")
        data += chunk


def _declared_encoding(prolog: bytes) -> str:
    m = _ENCODING_RE.match(prolog.lstrip(codecs.BOM_UTF8))
    return m.group(1).decode("ascii").lower() if m else "utf-8"


# --------------------------------------------------------------------------- containers


def _sniff_is_health(head: bytes) -> bool:
    head = head.lstrip(codecs.BOM_UTF8)
    return bool(_ROOT_RE.search(head)) or (
        head.lstrip().startswith(b"<?xml") and b"HealthData" in head
    )


def find_export_member(zf: zipfile.ZipFile) -> zipfile.ZipInfo | None:
    """The zip member holding the export, found by content (root ``<HealthData``), not by name.

    Localised exports name it e.g. ``Exportieren.xml``; ``export_cda.xml`` (root
    ``ClinicalDocument``) is not it.
    """
    candidates = [i for i in zf.infolist() if not i.is_dir()]
    candidates.sort(key=lambda i: (not i.filename.lower().endswith(".xml"), -i.file_size))
    label = zf.filename or "the zip"
    for info in candidates[:_MAX_SNIFFED_MEMBERS]:
        with open_member(zf, info, label, ImportFileError) as fh:
            head = fh.read(SNIFF_BYTES)
        if _sniff_is_health(head):
            return info
    return None


def _zip_route_resolver(zf: zipfile.ZipFile, export_name: str, path: str) -> RouteResolver:
    names = {i.filename: i for i in zf.infolist() if not i.is_dir()}
    base = PurePosixPath(export_name).parent

    def resolve(ref: str) -> list[RoutePoint] | None:
        rel = ref.lstrip("/")
        info = names.get(str(base / rel)) or next(
            (v for k, v in names.items() if k.endswith("/" + rel) or k == rel), None
        )
        if info is None:
            return None
        with open_member(zf, info, path, ImportFileError) as fh:
            return gpx_io.read_points(fh, f"{path}!{info.filename}")

    return resolve


def _dir_route_resolver(folder: Path) -> RouteResolver:
    def resolve(ref: str) -> list[RoutePoint] | None:
        candidate = (folder / ref.lstrip("/")).resolve()
        if folder.resolve() not in candidate.parents or not candidate.is_file():
            return None
        return gpx_io.read_points(candidate)

    return resolve


def is_apple_export(path: str | Path) -> bool:
    """Sniff: a zip holding a HealthData XML, or an XML whose root is ``<HealthData``."""
    path = Path(path)
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf:
                return find_export_member(zf) is not None
        with open(path, "rb") as fh:
            return _sniff_is_health(fh.read(SNIFF_BYTES))
    except ZIP_ERRORS:
        return False


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
) -> Iterator[Record]:
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
