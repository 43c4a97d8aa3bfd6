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

from walkrx.ingest.limits import EARLIEST_NS, ENV, LATEST_NS, Limits, current, describe_ns

SEPARATOR = 0x1E
ACTIVITY, EVENT, ACTIVITY2, ACTIVITY3 = 0x00, 0x03, 0x1A, 0x1B
_ISM_START, _ISM_END = b"\x08", b"\x09"
_HEADER = struct.Struct("<BBIH")
_EARLIEST_S = EARLIEST_NS // 1_000_000_000 - 86_400  # device seconds are local: a day of slack
_LATEST_S = LATEST_NS // 1_000_000_000 + 86_400
_BLOCK = 2 << 20  # bytes of log.bin decoded at a time (about 60x that in RSS at peak)


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


def _decode_group(
    arr: npt.NDArray[np.uint8], starts: npt.NDArray[np.int64], rtype: int, size: int, rate: int
) -> npt.NDArray[np.int16]:
    """X, Y, Z counts of ``k`` activity records of one type and payload size: (k, n, 3)."""
    k = starts.size
    raw = arr[starts[:, None] + np.arange(size, dtype=np.int64)]  # (k, size) payload bytes
    if rtype == ACTIVITY2:
        n = size // 6
        v = raw[:, : 6 * n].copy().view("<i2").astype(np.int16).reshape(k, n, 3)
        return v
    n = min(rate, (size * 8) // 36)
    if size % 3 == 0:  # records stay aligned on 3-byte groups: unpack all at once
        per = (size // 3) * 2
        v = unpack12(raw.reshape(-1), k * per).reshape(k, per)[:, : 3 * n].reshape(k, n, 3)
    else:
        v = np.stack([unpack12(r, 3 * n) for r in raw]).reshape(k, n, 3)
    if rtype == ACTIVITY:
        v = v[:, :, [1, 0, 2]]  # stored Y, X, Z
    return v


@dataclass
class _Framed:
    """Records found in one block of the log (positions relative to the block)."""

    pos: list[int] = field(default_factory=list)
    rtype: list[int] = field(default_factory=list)
    ts: list[int] = field(default_factory=list)
    size: list[int] = field(default_factory=list)


class LogDecoder:
    """Iterate over :class:`LogSeconds` batches of about ``batch_samples`` samples.

    Work is done a block of the log at a time: record headers are framed in one Python pass
    (cheap), checksums and sample decoding are vectorised over the whole block.
    """

    def __init__(
        self,
        stream: IO[bytes],
        sample_rate_hz: int,
        batch_samples: int = 1_000_000,
        limits: Limits | None = None,
    ):
        self.stream = stream
        self.rate = int(sample_rate_hz)
        self.batch = max(1, int(batch_samples))
        lim = limits or current()
        self.span_s = int(lim.max_span_days * 86_400)
        self.max_fill_s = int(lim.max_idle_fill_h * 3600)
        self.anchor_s: int | None = None  # first plausible second of the log
        self.last_s: int | None = None
        self.last_values: npt.NDArray[np.int16] | None = None
        self.ism_open = False
        self.idle_fill_total = 0
        self.last_ts = 0

    def _frame(
        self, buf: bytes, base: int, eof: bool, problems: list[LogProblem]
    ) -> tuple[_Framed, int]:
        """Frame the complete records of ``buf``; return them and the bytes consumed."""
        fr = _Framed()
        pos, n = 0, len(buf)
        sep = bytes([SEPARATOR])
        unpack = _HEADER.unpack_from
        while pos < n:
            if buf[pos] != SEPARATOR:
                nxt = buf.find(sep, pos + 1)
                if nxt < 0 and not eof:
                    break  # the next separator may come with the next block
                stop = n if nxt < 0 else nxt
                problems.append(
                    LogProblem(
                        base + pos,
                        "bad-header",
                        f"{stop - pos} byte(s) that are not a record skipped",
                        self.last_ts or None,
                    )
                )
                pos = stop
                continue
            if pos + 8 > n:
                break
            _, rtype, ts, size = unpack(buf, pos)
            end = pos + 9 + size
            if end > n:
                break
            if (
                end < n
                and buf[end] != SEPARATOR
                and int(np.bitwise_xor.reduce(np.frombuffer(buf, np.uint8, end - pos, pos))) != 0xFF
            ):
                # neither a next record nor a valid checksum: not a record start
                nxt = buf.find(sep, pos + 1)
                stop = n if nxt < 0 else nxt
                if nxt < 0 and not eof:
                    break
                problems.append(
                    LogProblem(
                        base + pos,
                        "bad-header",
                        f"{stop - pos} byte(s) that do not frame a record skipped",
                        self.last_ts or None,
                    )
                )
                pos = stop
                continue
            if end == n and not eof:
                break  # cannot yet check that a record follows
            fr.pos.append(pos)
            fr.rtype.append(rtype)
            fr.ts.append(ts)
            fr.size.append(size)
            pos = end
        if eof and pos < n:
            problems.append(
                LogProblem(base + pos, "truncated", f"{n - pos} byte(s) of a cut-off record", None)
            )
            pos = n
        return fr, pos

    def _block(
        self, buf: bytes, base: int, fr: _Framed, problems: list[LogProblem]
    ) -> tuple[list[npt.NDArray[np.int64]], list[npt.NDArray[np.int16]], int]:
        """Decode the framed records in order: per emitted second its time and samples."""
        rate = self.rate
        arr = np.frombuffer(buf + b"\x00", dtype=np.uint8)
        pos = np.asarray(fr.pos, dtype=np.int64)
        size = np.asarray(fr.size, dtype=np.int64)
        rtype = np.asarray(fr.rtype, dtype=np.int64)
        ends = pos + 9 + size
        bounds = np.empty(2 * pos.size, dtype=np.int64)
        bounds[0::2], bounds[1::2] = pos, ends
        ok = np.bitwise_xor.reduceat(arr, bounds)[0::2] == 0xFF if pos.size else np.zeros(0, bool)
        act = ok & np.isin(rtype, (ACTIVITY, ACTIVITY2, ACTIVITY3)) & (size > 1)
        # bulk decode of the activity records, by (type, size)
        decoded: list[npt.NDArray[np.int16] | None] = [None] * pos.size
        for t in (ACTIVITY, ACTIVITY2, ACTIVITY3):
            for sz in np.unique(size[act & (rtype == t)]).tolist():
                which = np.flatnonzero(act & (rtype == t) & (size == sz))
                vals = _decode_group(arr, pos[which] + 8, t, int(sz), rate)
                for j, i in enumerate(which.tolist()):
                    decoded[i] = vals[j]
        secs: list[npt.NDArray[np.int64]] = []
        vals_out: list[npt.NDArray[np.int16]] = []
        filled = 0

        def fill(until_s: int, at: int) -> None:
            nonlocal filled
            got = self._fill(until_s, at, problems)
            if got is not None:
                secs.append(got[0])
                vals_out.append(got[1])
                filled += got[1].shape[0] * rate

        for i in range(pos.size):
            t, ts = fr.rtype[i], fr.ts[i]
            if ok[i] and not self._plausible(ts, t != EVENT):
                problems.append(
                    LogProblem(
                        base + fr.pos[i],
                        "implausible-time",
                        f"record of type 0x{t:02X} dated {describe_ns(ts * 1_000_000_000)} "
                        f"(device clock) {self._span_text()}",
                        None,
                    )
                )
                continue
            if not ok[i]:
                problems.append(
                    LogProblem(
                        base + fr.pos[i],
                        "checksum",
                        f"record of type 0x{t:02X} fails its checksum; skipped",
                        ts,
                    )
                )
                continue
            self.last_ts = ts
            if t == EVENT:
                payload = buf[fr.pos[i] + 8 : fr.pos[i] + 8 + fr.size[i]]
                if payload == _ISM_START:
                    self.ism_open = True
                elif payload == _ISM_END and self.ism_open:
                    fill(ts, base + fr.pos[i])
                    self.ism_open = False
                continue
            v = decoded[i]
            if v is None or not v.shape[0]:
                continue
            if self.last_s is not None and ts <= self.last_s:
                problems.append(
                    LogProblem(
                        base + fr.pos[i],
                        "out-of-order",
                        f"samples of second {ts} come after second {self.last_s}; skipped",
                        ts,
                    )
                )
                continue
            # data without an end-of-sleep event: the sleep is over, but nothing says when
            # it ended, so nothing is filled
            self.ism_open = False
            secs.append(np.array([ts], dtype=np.int64))
            vals_out.append(v[None, :, :])  # a short second keeps its own sample count
            self.last_s = ts
            self.last_values = v[-1].copy()
        return secs, vals_out, filled

    def __iter__(self) -> Iterator[LogSeconds]:
        rate = self.rate
        buf = b""
        base = 0
        eof = False
        while True:
            if not eof:
                more = self.stream.read(_BLOCK)
                eof = not more
                buf += more
            problems: list[LogProblem] = []
            fr, used = self._frame(buf, base, eof, problems)
            secs, vals, filled = self._block(buf, base, fr, problems)
            if eof and self.ism_open:
                # the recording ended asleep: fill up to the last record's second
                self.ism_open = False
                got = self._fill(self.last_ts, base + len(buf), problems)
                if got is not None:
                    secs.append(got[0])
                    vals.append(got[1])
                    filled += got[1].shape[0] * rate
            buf, base = buf[used:], base + used
            if secs or problems:
                yield from self._batches(secs, vals, filled, problems)
            if eof:
                break

    def _plausible(self, ts: int, anchors: bool) -> bool:
        """Whether a record's device second may belong to this log (see :mod:`._bounds`)."""
        if not _EARLIEST_S <= ts < _LATEST_S:
            return False
        if self.anchor_s is None:
            if anchors:
                self.anchor_s = ts
            return True
        return abs(ts - self.anchor_s) <= self.span_s

    def _span_text(self) -> str:
        if self.anchor_s is None:
            return "is outside the years 1970-2099 a recording can hold; skipped"
        return (
            f"is more than {self.span_s / 86_400:g} days from the log's first record "
            f"(limit {ENV['max_span_days']}) or outside 1970-2099; skipped"
        )

    def _fill(
        self, until_s: int, at: int, problems: list[LogProblem]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int16]] | None:
        """Idle-sleep seconds from the one after the last stored second up to ``until_s``.

        Returns their seconds and samples (the last stored sample repeated), or None. A sleep
        longer than ``max_idle_fill_h`` is not filled (reported as a gap at byte ``at``).
        """
        if self.last_s is None or self.last_values is None or until_s <= self.last_s + 1:
            return None
        first = self.last_s + 1
        n_sec = until_s - first
        if n_sec > self.max_fill_s:
            problems.append(
                LogProblem(
                    at,
                    "idle-sleep",
                    f"idle sleep of {n_sec / 3600:,.1f} h not filled: longer than the "
                    f"{self.max_fill_s / 3600:g} h filled at most (limit {ENV['max_idle_fill_h']}); "
                    "left as a gap",
                    first,
                )
            )
            return None
        self.last_s += n_sec
        return (
            np.arange(first, first + n_sec, dtype=np.int64),
            np.broadcast_to(self.last_values, (n_sec, self.rate, 3)),
        )

    def _batches(
        self,
        secs: list[npt.NDArray[np.int64]],
        vals: list[npt.NDArray[np.int16]],
        filled: int,
        problems: list[LogProblem],
    ) -> Iterator[LogSeconds]:
        """Flatten per-second groups into samples and cut them into ``batch``-sized pieces."""
        if not secs:
            yield LogSeconds(
                np.zeros(0, np.int64),
                np.zeros(0, np.int64),
                np.zeros((0, 3), np.int16),
                0,
                problems,
            )
            return
        self.idle_fill_total += filled
        step = self.batch
        first_piece = True
        for p_secs, p_vals in _pieces(secs, vals, step):
            per = np.array([v.shape[1] for v in p_vals], dtype=np.int64)  # samples per second
            n_sec = np.array([v.shape[0] for v in p_vals], dtype=np.int64)
            per_second = np.repeat(per, n_sec)
            local_s = np.repeat(np.concatenate(p_secs), per_second)
            counts = np.concatenate([v.reshape(-1, 3) for v in p_vals])
            first = np.cumsum(per_second) - per_second  # first sample of each second
            index = np.arange(local_s.size, dtype=np.int64) - np.repeat(first, per_second)
            for lo in range(0, local_s.size, step):
                yield LogSeconds(
                    local_s[lo : lo + step],
                    index[lo : lo + step],
                    np.ascontiguousarray(counts[lo : lo + step]),
                    filled if first_piece else 0,
                    problems if first_piece else [],
                )
                first_piece = False


def _pieces(
    secs: list[npt.NDArray[np.int64]], vals: list[npt.NDArray[np.int16]], batch: int
) -> Iterator[tuple[list[npt.NDArray[np.int64]], list[npt.NDArray[np.int16]]]]:
    """Per-second groups regrouped into pieces of about ``batch`` samples.

    A long idle-sleep fill (a broadcast view) is cut, so it is never materialised whole.
    """
    if sum(s.size * v.shape[1] for s, v in zip(secs, vals, strict=True)) <= batch:
        yield secs, vals  # the usual case: one block of the log, no long fill
        return
    cur_s: list[npt.NDArray[np.int64]] = []
    cur_v: list[npt.NDArray[np.int16]] = []
    cur_n = 0
    for s, v in zip(secs, vals, strict=True):
        per = max(1, v.shape[1])
        step = max(1, batch // per)
        for lo in range(0, s.size, step):
            cur_s.append(s[lo : lo + step])
            cur_v.append(v[lo : lo + step])
            cur_n += cur_s[-1].size * per
            if cur_n >= batch:
                yield cur_s, cur_v
                cur_s, cur_v, cur_n = [], [], 0
    if cur_s:
        yield cur_s, cur_v
