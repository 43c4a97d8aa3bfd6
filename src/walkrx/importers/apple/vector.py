"""A block's wanted records in Apple's own layout, read as columns without a Python object each.

One ``findall`` pass collects the attribute values of every step/distance record of the block;
dates, values, units and kinds are then checked and converted with numpy, and sources are
described once per distinct (source, device). The result is exactly what reading the same
records one by one gives (:func:`~.build._interval_from_layout`); whenever a block holds
anything that path would skip, repair or report, :func:`layout_batch` returns ``None`` and the
block is read record by record instead.
"""

from __future__ import annotations

import re

import numpy as np

from walkrx.consumer.batch import IntervalBatch, Source
from walkrx.consumer.records import ImportFileError, ParseReport

from .build import describe_device
from .syntax import _V, LENGTH_TO_M, MAX_RECORD_VALUE, _check_refs, _Fallback
from .times import parse_times

# The same records as ``_APPLE_LAYOUT_RE`` (the optional device pointer is a subset of the
# device's characters), with the device's fresh pointer ("<<HKDevice: 0x2f3a...>") left out of
# the captured text, so that one device of one source is one key.
_BATCH_RE = re.compile(
    rb'<Record type="HKQuantityTypeIdentifier(StepCount|DistanceWalkingRunning)"'
    rb' sourceName="(' + _V + rb'*)"(?: sourceVersion="' + _V + rb'*")?'
    rb' (?:device="(?:&lt;&lt;HKDevice: 0x[0-9A-Fa-f]{1,16}&gt;)?'
    rb'([^"<\x00-\x08\x0b\x0c\x0e-\x1f]*)" )?'
    rb'unit="(' + _V + rb'*)"(?: creationDate="' + _V + rb'*")? startDate="(' + _V + rb'{25})"'
    rb' endDate="(' + _V + rb'{25})" value="([0-9.eE+-]+)" ?/?>'
)

_SOURCES: dict[tuple[bytes, bytes], Source | None] = {}


def _describe(source_b: bytes, device_b: bytes) -> Source | None:
    """``(name, label, kind)`` of a source and device; ``None``: not UTF-8 (read per record)."""
    key = (source_b, device_b)
    if key in _SOURCES:
        return _SOURCES[key]
    try:
        source = source_b.decode("utf-8")
        device = device_b.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "&" in device:
        try:
            _check_refs(device, lambda: "", "")
        except ImportFileError:
            raise _Fallback from None  # an undefined entity: the standard parser reports it
    label, kind = describe_device(source, device)
    described = (source, label, kind)
    if len(_SOURCES) < 10_000:
        _SOURCES[key] = described
    return described


def find_layout_records(buf: bytes, end: int) -> list[tuple[bytes, ...]]:
    """Attribute values of the wanted records in Apple's layout in ``buf[:end]``."""
    return _BATCH_RE.findall(buf, 0, end)


def layout_batch(rows: list[tuple[bytes, ...]], report: ParseReport) -> IntervalBatch | None:
    """The records of :func:`find_layout_records` as a batch, or ``None`` (read per record)."""
    n = len(rows)
    kinds, sources, devices, units, starts, ends, values = zip(*rows, strict=True)
    start = parse_times(b"".join(starts), n)
    end = parse_times(b"".join(ends), n)
    if start is None or end is None:
        return None
    try:
        value = np.array(values, dtype=np.bytes_).astype(np.float64)
    except ValueError:
        return None
    if not ((value >= 0) & (value <= MAX_RECORD_VALUE) & (end[0] >= start[0])).all():
        return None
    steps = np.array(kinds, dtype=np.bytes_) == b"StepCount"
    unit = np.array(units, dtype=np.bytes_)
    if not (unit[steps] == b"count").all():
        return None
    if not steps.all():
        factor = np.ones(n)
        for u in set(unit[~steps].tolist()):
            f = LENGTH_TO_M.get(u.decode("ascii", "replace"))
            if f is None:
                return None
            factor[~steps & (unit == u)] = f
        value = value * factor  # the same product, element by element, as one by one
    table: dict[tuple[bytes, bytes], int] = {}
    described: list[Source] = []
    for key in dict.fromkeys(zip(sources, devices, strict=True)):
        d = _describe(*key)
        if d is None:
            return None
        table[key] = len(described)
        described.append(d)
    index = np.fromiter(
        map(table.__getitem__, zip(sources, devices, strict=True)), dtype=np.int32, count=n
    )
    report.records += n
    return IntervalBatch(
        start[0],
        end[0],
        value,
        (~steps).astype(np.int8),
        start[1],
        index,
        described,
    )
