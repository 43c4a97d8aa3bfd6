"""The fast path: the body read in large blocks, wanted records found by byte patterns."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import IO

from walkrx.consumer.batch import IntervalBatch
from walkrx.consumer.records import ImportFileError, Interval, ParseReport, Record
from walkrx.ingest.limits import current

from .build import RouteResolver, _interval_from_layout, interval_from_attrs, workout_from_parts
from .syntax import (
    _ANY_TAG_RE,
    _APPLE_LAYOUT_RE,
    _RECORD_TAG_RE,
    _WANTED_RE,
    _WORKOUT_START_RE,
    DISTANCE_TYPE,
    STEP_TYPE,
    _count_wanted,
    _Fallback,
    _fast_record_attrs,
    _FastCounts,
    _parse_attrs,
    _too_long,
)
from .vector import find_layout_records, layout_batch


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


def _has_declaration(buf: bytes, end: int) -> bool:
    """Whether ``buf[:end]`` holds ``<!`` or ``<?`` (a comment, CDATA, a DOCTYPE, a PI).

    Looks for the rare ``!`` and ``?`` bytes (a ``memchr`` scan) rather than for the pairs.
    """
    for mark in (b"!", b"?"):
        at = buf.find(mark, 0, end)
        seen = 0
        while at >= 0:
            if at > 0 and buf[at - 1] == 0x3C:  # "<"
                return True
            seen += 1
            if seen > 64:  # a common byte here: look for the pair itself
                return buf.find(b"<" + mark, at, end) >= 0
            at = buf.find(mark, at + 1, end)
    return False


_WANTED_NAMES = (STEP_TYPE.encode(), DISTANCE_TYPE.encode())


def _only_layout_records(
    buf: bytes, cut: int, workouts: list[tuple[int, int, bool]], layout_rows: int
) -> bool:
    """Whether the ``layout_rows`` records in Apple's layout are all the wanted records.

    Every such record holds one wanted type name closed by a quote; outside workouts, no other
    may be in ``buf[:cut]``. The bare names are counted first (two scans): when they match,
    so do the quoted ones, which are counted only otherwise.
    """
    bare = sum(buf.count(n, 0, cut) for n in _WANTED_NAMES)
    for s, e, _closing in workouts:
        bare -= sum(buf.count(n, s, e) for n in _WANTED_NAMES)
    if bare == layout_rows:
        return True
    hits = _count_wanted(buf, 0, cut)
    for s, e, _closing in workouts:
        hits -= _count_wanted(buf, s, e)
    return hits == layout_rows


def _iter_fast(
    stream: IO[bytes],
    body_start: bytes,
    body_offset: int,
    path: str,
    report: ParseReport,
    resolve_route: RouteResolver | None,
    counts: _FastCounts,
    block_bytes: int,
    stop: int | None = None,
) -> Iterator[Record | IntervalBatch]:
    """Scan the body in blocks; see the package docstring. ``body_start`` begins at the root.

    ``stop``: read only the tags that start before this file offset (the start of a tag: a
    part of a file split for parallel reading); a workout that starts before it is read to its
    end. Without it, read to the end and check the end of the document.
    """
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
        final = True
        if stop is not None and stop - consumed <= len(buf):
            cut = stop - consumed
        elif eof:
            cut = len(buf)
        else:
            final = False
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
                final = False
                break
            workouts.append((s, e + len(b"</Workout>"), False))
        if _has_declaration(buf, cut):
            raise _Fallback

        def where(pos: int, base: int = consumed) -> Callable[[], str]:
            return lambda: f"byte {base + pos}"

        rows = find_layout_records(buf, cut)
        if _only_layout_records(buf, cut, workouts, len(rows)):
            # Every wanted record of the block is in Apple's layout: read them in one pass,
            # as columns, or one by one when the block holds something to skip or repair.
            batch = layout_batch(rows, report) if rows else None
            if batch is not None:
                counts.intervals += len(batch)
                yield batch
            else:
                for lay in _APPLE_LAYOUT_RE.finditer(buf, 0, cut):
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
        if final:
            tail = buf[-64:] if stop is None else b"</HealthData>"
            break
        consumed += cut
        report.bytes_read = consumed
        buf = buf[cut:]
    if not tail.rstrip().endswith(b"</HealthData>"):
        raise ImportFileError(
            path, "unexpected end of file: the export does not end with </HealthData> (truncated?)"
        )
