"""Streaming decoder of the ``log.bin`` member of an ActiGraph ``.gt3x`` file.

The log is a sequence of records: separator ``0x1E``, type (1 byte), timestamp (uint32,
seconds of the device's local clock), payload size (uint16), payload, checksum (one's
complement of the XOR of header and payload, so that the XOR of a whole valid record is
``0xFF``). Acceleration comes one second per record:

* ``0x00`` ACTIVITY: 12-bit two's-complement values packed two per three bytes, Y, X, Z
  per sample; a 1-byte payload marks a USB connection, not data.
* ``0x1A`` ACTIVITY2: int16 little-endian, X, Y, Z per sample.
* ``0x1B`` ACTIVITY3: 12-bit packed like ACTIVITY, but X, Y, Z.

Events (``0x03``) with payload ``0x08`` / ``0x09`` mark the start and end of idle sleep mode,
during which the device stores nothing; the seconds from the one after the last stored second
up to the end event are filled with the last stored sample, as ActiGraph's software does (and
counted). If samples resume without an end event, nothing is filled. Other record types are
skipped.

The decoder reads the zip member as a stream in blocks, so memory does not grow with the
file. A record with a bad checksum, a record whose second does not follow the last one, and
bytes that are not a record are skipped and reported, never guessed.

Format knowledge from ActiGraph's published GT3X file-format description and its ``pygt3x``
package; walkrx's own implementation, checked sample for sample against ``pygt3x`` in the
tests.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

import numpy as np
import numpy.typing as npt

SEPARATOR = 0x1E
ACTIVITY, EVENT, ACTIVITY2, ACTIVITY3 = 0x00, 0x03, 0x1A, 0x1B
_ISM_START, _ISM_END = b"\x08", b"\x09"
_HEADER = struct.Struct("<BBIH")
_BLOCK = 8 << 20


@dataclass
class LogProblem:
    """A skipped part of the log: byte offset, kind, message and the device second."""

    offset: int
    kind: str
    message: str
    local_s: int | None = None


@dataclass
class LogSeconds:
    """Decoded acceleration: one row per sample, raw integer counts."""

    local_s: npt.NDArray[np.int64]  # the second each sample belongs to (device clock)
    index: npt.NDArray[np.int64]  # position of the sample within its second
    counts: npt.NDArray[np.int16]  # (n, 3) X, Y, Z
    idle_fill: int = 0  # samples filled in for idle sleep mode
    problems: list[LogProblem] = field(default_factory=list)


def unpack12(raw: bytes | npt.NDArray[np.uint8], n_values: int) -> npt.NDArray[np.int16]:
    """Unpack ``n_values`` 12-bit two's-complement integers packed two per three bytes."""
    b = np.frombuffer(raw, dtype=np.uint8) if isinstance(raw, bytes) else raw
    pad = (-b.size) % 3
    if pad:
        b = np.concatenate([b, np.zeros(pad, dtype=np.uint8)])
    t = b.reshape(-1, 3).astype(np.int16)
    first = (t[:, 0] << 4) | (t[:, 1] >> 4)
    second = ((t[:, 1] & 0x0F) << 8) | t[:, 2]
    v = np.empty(t.shape[0] * 2, dtype=np.int16)
    v[0::2] = first
    v[1::2] = second
    v = v[:n_values]
    v[v > 2047] -= 4096
    return v


def _decode(rtype: int, payload: bytes, rate: int) -> npt.NDArray[np.int16] | None:
    """X, Y, Z counts of one activity record (None for a 1-byte USB marker)."""
    if len(payload) <= 1:
        return None
    if rtype == ACTIVITY2:
        n = len(payload) // 6
        return np.frombuffer(payload, dtype="<i2", count=3 * n).reshape(n, 3).astype(np.int16)
    n = min(rate, (len(payload) * 8) // 36)
    v = unpack12(payload, 3 * n).reshape(n, 3)
    if rtype == ACTIVITY:
        v = v[:, [1, 0, 2]]  # stored Y, X, Z
    return v


class LogDecoder:
    """Iterate over :class:`LogSeconds` batches of about ``batch_samples`` samples."""

    def __init__(self, stream: IO[bytes], sample_rate_hz: int, batch_samples: int = 1_000_000):
        self.stream = stream
        self.rate = int(sample_rate_hz)
        self.batch = max(1, int(batch_samples))
        self.last_s: int | None = None
        self.last_values: npt.NDArray[np.int16] | None = None
        self.ism_open = False
        self.idle_fill_total = 0

    def _fill(self, until_s: int) -> npt.NDArray[np.int16] | None:
        """Idle-sleep samples from the second after the last stored one up to ``until_s``."""
        if self.last_s is None or self.last_values is None or until_s <= self.last_s + 1:
            return None
        n_sec = until_s - self.last_s - 1
        return np.tile(self.last_values, (n_sec * self.rate, 1))

    def __iter__(self) -> Iterator[LogSeconds]:
        secs: list[npt.NDArray[np.int64]] = []
        idx: list[npt.NDArray[np.int64]] = []
        vals: list[npt.NDArray[np.int16]] = []
        problems: list[LogProblem] = []
        pending = 0
        fill_here = 0

        def emit_second(second: int, v: npt.NDArray[np.int16]) -> None:
            nonlocal pending
            secs.append(np.full(v.shape[0], second, dtype=np.int64))
            idx.append(np.arange(v.shape[0], dtype=np.int64))
            vals.append(v)
            pending += v.shape[0]

        def emit_fill(until_s: int) -> None:
            nonlocal pending, fill_here
            f = self._fill(until_s)
            if f is None or self.last_s is None:
                return
            n_sec = f.shape[0] // self.rate
            s = np.repeat(
                np.arange(self.last_s + 1, self.last_s + 1 + n_sec, dtype=np.int64), self.rate
            )
            secs.append(s)
            idx.append(np.tile(np.arange(self.rate, dtype=np.int64), n_sec))
            vals.append(f)
            pending += f.shape[0]
            fill_here += f.shape[0]
            self.idle_fill_total += f.shape[0]
            self.last_s += n_sec

        def flush() -> LogSeconds:
            nonlocal pending, fill_here
            out = LogSeconds(
                np.concatenate(secs) if secs else np.zeros(0, np.int64),
                np.concatenate(idx) if idx else np.zeros(0, np.int64),
                np.concatenate(vals) if vals else np.zeros((0, 3), np.int16),
                fill_here,
                list(problems),
            )
            secs.clear()
            idx.clear()
            vals.clear()
            problems.clear()
            pending = 0
            fill_here = 0
            return out

        buf = b""
        base = 0  # file offset of buf[0]
        last_ts = 0
        eof = False
        while not eof or buf:
            if not eof and len(buf) < _BLOCK:
                more = self.stream.read(_BLOCK)
                if not more:
                    eof = True
                buf += more
            pos = 0
            n = len(buf)
            while pos < n:
                if buf[pos] != SEPARATOR:
                    nxt = buf.find(bytes([SEPARATOR]), pos + 1)
                    stop = n if nxt < 0 else nxt
                    if nxt < 0 and not eof:
                        break  # keep the rest; the separator may come in the next block
                    problems.append(
                        LogProblem(
                            base + pos,
                            "bad-header",
                            f"{stop - pos} byte(s) that are not a record skipped",
                            last_ts or None,
                        )
                    )
                    pos = stop
                    continue
                if pos + 8 > n:
                    break
                _, rtype, ts, size = _HEADER.unpack_from(buf, pos)
                end = pos + 8 + size + 1
                if end > n:
                    if eof:
                        problems.append(
                            LogProblem(
                                base + pos,
                                "truncated",
                                f"record of type 0x{rtype:02X} cut short by the end of the log",
                                ts,
                            )
                        )
                        pos = n
                    break
                rec = np.frombuffer(buf, dtype=np.uint8, count=end - pos, offset=pos)
                if int(np.bitwise_xor.reduce(rec)) != 0xFF:
                    problems.append(
                        LogProblem(
                            base + pos,
                            "checksum",
                            f"record of type 0x{rtype:02X} fails its checksum; skipped",
                            ts,
                        )
                    )
                    # the size is trusted when a record follows it; else resynchronise
                    # on the next separator byte
                    pos = (
                        end
                        if (end == n and eof) or (end < n and buf[end] == SEPARATOR)
                        else pos + 1
                    )
                    continue
                payload = buf[pos + 8 : end - 1]
                last_ts = ts
                if rtype == EVENT:
                    if payload == _ISM_START:
                        self.ism_open = True
                    elif payload == _ISM_END and self.ism_open:
                        emit_fill(ts)
                        self.ism_open = False
                elif rtype in (ACTIVITY, ACTIVITY2, ACTIVITY3):
                    v = _decode(rtype, payload, self.rate)
                    if v is not None and v.shape[0]:
                        if self.last_s is not None and ts <= self.last_s:
                            problems.append(
                                LogProblem(
                                    base + pos,
                                    "out-of-order",
                                    f"samples of second {ts} come after second {self.last_s}; "
                                    "skipped",
                                    ts,
                                )
                            )
                        else:
                            # data without an end-of-sleep event: the sleep is over, but
                            # nothing says when it ended, so nothing is filled
                            self.ism_open = False
                            emit_second(ts, v)
                            self.last_s = ts
                            self.last_values = v[-1].copy()
                pos = end
                if pending >= self.batch:
                    buf, base = buf[pos:], base + pos
                    pos, n = 0, len(buf)
                    yield flush()
            buf, base = buf[pos:], base + pos
            if eof and buf and pos == 0:
                problems.append(
                    LogProblem(base, "truncated", f"{len(buf)} byte(s) of a cut-off record", None)
                )
                break
        if self.ism_open:  # the recording ended asleep: fill up to the last record's second
            emit_fill(last_ts)
        if pending or problems:
            yield flush()
