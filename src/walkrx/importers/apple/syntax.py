"""Constants, regular expressions and attribute parsing shared by both readers."""

from __future__ import annotations

import re
from collections.abc import Callable

from walkrx.consumer.records import DISTANCE, STEPS, ImportFileError
from walkrx.ingest.limits import ENV

BLOCK_BYTES = 1024 * 1024
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


def _too_long(path: str, at: int, cap: int) -> ImportFileError:
    return ImportFileError(
        path,
        f"a single XML tag, attribute or text runs past {cap / 1024**2:,.0f} MiB "
        f"(limit {ENV['max_xml_token_bytes']}); an Apple export holds nothing that long",
        f"byte {at}",
    )
