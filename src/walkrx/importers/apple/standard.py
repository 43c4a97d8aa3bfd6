"""The standard path: defusedxml's parser with DTDs forbidden, over a cleaned stream."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import IO
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from walkrx.consumer.records import ImportFileError, ParseReport, Record
from walkrx.ingest.limits import current

from .build import RouteResolver, interval_from_attrs, workout_from_parts
from .syntax import _CTRL, BLOCK_BYTES, _too_long


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
