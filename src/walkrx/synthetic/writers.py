"""Write samples (UTC ns, acc in g) as Axivity ``.cwa``, ActiGraph ``.gt3x`` or CSV, streaming.

Used for synthetic recordings in tests and benchmarks. The ``.cwa`` output is a
valid AX3 file (header, ``"AX"`` blocks, checksums) that :mod:`walkrx.sensors.cwa`
reads back to the same samples within quantisation (1/256 g; times to
1/32768 s). Memory stays bounded: samples are written a block batch at a time.

Block times are written as the device would: local time without a zone.
``clock="fixed"`` (default) writes the zone's local time at the first sample
and lets the clock free-run across DST changes, as a real AX3 real-time clock
does; ``clock="wall"`` writes each block's wall-clock time (the clock follows
DST). Read the file back with the same ``tz`` and ``clock``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from urllib.parse import quote_plus

import numpy as np
import numpy.typing as npt
import pandas as pd

from walkrx.sensors import _cwa_format as fmt
from walkrx.sensors._localtime import ClockModel, check_zone, utc_to_naive_ns
from walkrx.sensors.base import SampleChunk

__all__ = ["CwaWriter", "WriteSummary", "write_csv", "write_cwa", "write_gt3x"]

ChunkLike = SampleChunk | tuple[npt.NDArray[np.int64], npt.NDArray[np.floating]]

_BLOCKS_PER_WRITE = 4096


@dataclass(frozen=True)
class WriteSummary:
    """What was written."""

    path: str
    n_samples: int
    n_blocks: int
    n_bytes: int


def _as_arrays(chunk: ChunkLike) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    raw_t, raw_a = (chunk.time_ns, chunk.acc_g) if isinstance(chunk, SampleChunk) else chunk
    t = np.asarray(raw_t, dtype=np.int64)
    a = np.asarray(raw_a, dtype=np.float64)
    if a.ndim != 2 or a.shape[1] != 3 or a.shape[0] != t.shape[0]:
        raise ValueError(f"need time (n,) and acc (n, 3); got {t.shape} and {a.shape}")
    return t, a


def _pack_samples(acc_g: npt.NDArray[np.float64]) -> npt.NDArray[np.uint32]:
    """Acc in g (n,3) -> packed 32-bit words: 3 x 10-bit signed values in 1/256 g << exponent."""
    counts = acc_g * 256.0
    words = np.zeros(acc_g.shape[0], dtype=np.uint32)
    todo = np.ones(acc_g.shape[0], dtype=bool)
    for e in range(4):
        q = np.round(counts / (1 << e))
        if e == 3:
            q = np.clip(q, -512, 511)
        fits = todo & np.all((q >= -512) & (q <= 511), axis=1)
        qi = q[fits].astype(np.int64) & 0x3FF
        words[fits] = (qi[:, 0] | (qi[:, 1] << 10) | (qi[:, 2] << 20) | (e << 30)).astype(np.uint32)
        todo &= ~fits
    return words


class CwaWriter:
    """Streaming AX3 ``.cwa`` writer; use as a context manager and call :meth:`write` per chunk."""

    def __init__(
        self,
        path: str | Path,
        *,
        sample_rate_hz: float,
        tz: str | None = None,
        clock: ClockModel = "fixed",
        packed: bool = True,
        range_g: int = 8,
        device_id: int = 43210,
        session_id: int = 1,
        annotation: dict[str, str] | None = None,
        temperature_c: float = 25.0,
    ) -> None:
        if tz is not None:
            check_zone(tz)
        if clock not in ("wall", "fixed"):
            raise ValueError(f"clock must be 'wall' or 'fixed', not {clock!r}")
        self.path = Path(path)
        self.rate_code = fmt.code_from_rate(sample_rate_hz, range_g)
        self.range_g = range_g
        self.rate = float(fmt.rate_from_code(self.rate_code))
        self.tz = tz
        self.clock = clock
        self.packed = packed
        self.per_block = 120 if packed else 80
        self.device_id = device_id
        self.session_id = session_id
        self.annotation = annotation or {}
        self.temperature_raw = int(round((temperature_c + 50.0) * 256.0 / 75.0)) & 0x3FF
        self._f = self.path.open("wb")
        self._f.write(b"\0" * fmt.HEADER_SIZE)  # rewritten on close, when the start is known
        self._pend_t = np.empty(0, np.int64)
        self._pend_a = np.empty((0, 3), np.float64)
        self._sequence = 0
        self._n_samples = 0
        self._fixed_offset_ns: int | None = None
        self._first_local_s: int | None = None

    def __enter__(self) -> CwaWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _local_ns(self, utc_ns: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        if self.tz is None:
            return utc_ns.copy()
        if self.clock == "wall":
            return utc_to_naive_ns(utc_ns, self.tz)
        if self._fixed_offset_ns is None:
            first = int(utc_ns[0])
            self._fixed_offset_ns = int(utc_to_naive_ns(np.array([first]), self.tz)[0]) - first
        return utc_ns + self._fixed_offset_ns

    def write(self, time_ns: npt.NDArray[np.int64], acc_g: npt.NDArray[np.floating]) -> None:
        """Append samples (UTC ns ascending, acc in g); full blocks are written at once."""
        t, a = _as_arrays((time_ns, acc_g))
        self._pend_t = np.concatenate([self._pend_t, t])
        self._pend_a = np.concatenate([self._pend_a, a])
        n_full = (self._pend_t.size // self.per_block) * self.per_block
        for lo in range(0, n_full, _BLOCKS_PER_WRITE * self.per_block):
            hi = min(n_full, lo + _BLOCKS_PER_WRITE * self.per_block)
            self._write_blocks(self._pend_t[lo:hi], self._pend_a[lo:hi])
        self._pend_t = self._pend_t[n_full:]
        self._pend_a = self._pend_a[n_full:]

    def _write_blocks(self, t: npt.NDArray[np.int64], a: npt.NDArray[np.float64]) -> None:
        a = np.clip(a, -self.range_g, self.range_g)  # the sensor saturates at its range
        nb = -(-t.size // self.per_block)
        counts = np.full(nb, self.per_block, dtype=np.int64)
        counts[-1] = t.size - (nb - 1) * self.per_block
        firsts = np.arange(nb) * self.per_block
        local = self._local_ns(t[firsts])
        if self._first_local_s is None:
            self._first_local_s = int(local[0] // 1_000_000_000)
        whole = local // 1_000_000_000
        frac15 = np.round((local - whole * 1_000_000_000) * 32768 / 1e9).astype(np.int64)
        carry = frac15 >= 32768
        whole = whole + carry
        frac15 = np.where(carry, 0, frac15)
        frac16 = frac15 << 1
        blocks = np.zeros(nb, dtype=fmt.BLOCK_DTYPE)
        blocks["signature"] = b"AX"
        blocks["packet_length"] = 508
        blocks["device_fractional"] = (0x8000 | frac15).astype(np.uint16)
        blocks["session_id"] = self.session_id
        blocks["sequence_id"] = np.arange(self._sequence, self._sequence + nb, dtype=np.uint32)
        blocks["timestamp"] = fmt.pack_timestamps(whole)
        blocks["temperature"] = self.temperature_raw
        blocks["battery"] = 200
        blocks["sample_rate"] = self.rate_code
        blocks["num_axes_bps"] = 0x30 if self.packed else 0x32
        # The time (whole + fraction) holds at sample 0; store the offset the way the device
        # does, already shifted by the whole samples the fraction accounts for.
        blocks["timestamp_offset"] = -((frac16 * int(self.rate)) >> 16)
        blocks["sample_count"] = counts
        data = np.zeros((nb, fmt.DATA_BYTES), dtype=np.uint8)
        pad = nb * self.per_block - t.size
        if self.packed:
            words = _pack_samples(a)
            words = np.concatenate([words, np.zeros(pad, np.uint32)]).reshape(nb, self.per_block)
            data[:] = words.astype("<u4").view(np.uint8)
        else:
            q = np.clip(np.round(a * 256.0), -32768, 32767).astype("<i2")
            q = np.concatenate([q, np.zeros((pad, 3), "<i2")]).reshape(nb, self.per_block * 3)
            data[:] = q.view(np.uint8)
        blocks["data"] = data
        words16 = blocks.view("<u2").reshape(nb, 256)
        blocks["checksum"] = (-fmt.block_checksums(words16).astype(np.int64)) & 0xFFFF
        self._f.write(blocks.tobytes())
        self._sequence += nb
        self._n_samples += t.size

    def _header(self) -> bytes:
        h = bytearray(b"\xff" * fmt.HEADER_SIZE)
        h[0:2] = b"MD"
        h[2:4] = (1020).to_bytes(2, "little")
        h[4] = 0x17  # AX3
        h[5:7] = (self.device_id & 0xFFFF).to_bytes(2, "little")
        h[7:11] = self.session_id.to_bytes(4, "little")
        h[11:13] = (self.device_id >> 16).to_bytes(2, "little")
        start = self._first_local_s if self._first_local_s is not None else 946684800
        packed_start = int(fmt.pack_timestamps(np.array([start]))[0])
        h[13:17] = packed_start.to_bytes(4, "little")  # logging start
        h[17:21] = (0xFFFFFFFF).to_bytes(4, "little")  # logging end: never
        h[21:25] = (0).to_bytes(4, "little")
        h[25:35] = bytes(10)
        h[35] = 0x00  # accelerometer only
        h[36] = self.rate_code
        h[37:41] = packed_start.to_bytes(4, "little")  # last change = configuration time
        h[41] = 48
        h[42:44] = (-1).to_bytes(2, "little", signed=True)
        h[44:64] = bytes(20)
        text = "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in self.annotation.items())
        enc = text.encode("ascii")[:448]
        h[64:512] = enc + b" " * (448 - len(enc))
        return bytes(h)

    def close(self) -> WriteSummary:
        """Flush the last (partial) block, write the header and close the file."""
        if self._f.closed:
            return self.summary
        if self._pend_t.size:
            self._write_blocks(self._pend_t, self._pend_a)
            self._pend_t = self._pend_t[:0]
        self._f.seek(0)
        self._f.write(self._header())
        self._f.close()
        return self.summary

    @property
    def summary(self) -> WriteSummary:
        """Samples, blocks and bytes written so far."""
        return WriteSummary(
            str(self.path),
            self._n_samples,
            self._sequence,
            fmt.HEADER_SIZE + self._sequence * fmt.BLOCK_SIZE,
        )


def write_cwa(
    path: str | Path,
    chunks: Iterable[ChunkLike],
    *,
    sample_rate_hz: float,
    tz: str | None = None,
    clock: ClockModel = "fixed",
    packed: bool = True,
    **options: object,
) -> WriteSummary:
    """Write an iterable of chunks (``SampleChunk`` or ``(time_ns, acc_g)``) as an AX3 ``.cwa``."""
    with CwaWriter(
        path,
        sample_rate_hz=sample_rate_hz,
        tz=tz,
        clock=clock,
        packed=packed,
        **options,  # type: ignore[arg-type]
    ) as w:
        for chunk in chunks:
            w.write(*_as_arrays(chunk))
    return w.summary


def write_csv(
    path: str | Path,
    chunks: Iterable[ChunkLike],
    *,
    tz: str | None = None,
    time_format: str = "iso",
    header: tuple[str, str, str, str] = ("time", "x", "y", "z"),
) -> WriteSummary:
    """Write chunks as CSV ``time,x,y,z`` in g.

    ``time_format``: ``"iso"`` (ISO 8601 with the UTC offset of ``tz``, or ``Z``),
    ``"naive"`` (local wall time of ``tz`` without offset) or ``"epoch"``
    (seconds since 1970 UTC).
    """
    p = Path(path)
    n = 0
    with p.open("w", newline="") as f:
        f.write(",".join(header) + "\n")
        for chunk in chunks:
            t, a = _as_arrays(chunk)
            if time_format == "epoch":
                times: object = np.char.mod("%.6f", t / 1e9)
            else:
                idx = pd.DatetimeIndex(t.view("datetime64[ns]")).tz_localize("UTC")
                if tz:
                    idx = idx.tz_convert(tz)
                if time_format == "naive":
                    times = idx.strftime("%Y-%m-%dT%H:%M:%S.%f")
                elif time_format == "iso":
                    times = (
                        idx.strftime("%Y-%m-%dT%H:%M:%S.%f%z")
                        if tz
                        else idx.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
                    )
                else:
                    raise ValueError(
                        f"time_format must be iso, naive or epoch, not {time_format!r}"
                    )
            frame = pd.DataFrame(
                {header[0]: times, header[1]: a[:, 0], header[2]: a[:, 1], header[3]: a[:, 2]}
            )
            frame.to_csv(f, header=False, index=False, float_format="%.6f")
            n += t.size
    return WriteSummary(str(p), n, 0, p.stat().st_size)


def _pack12(v: npt.NDArray[np.int64]) -> bytes:
    """Signed 12-bit integers, two per three bytes (the ``.gt3x`` ACTIVITY layout)."""
    u = (v & 0xFFF).astype(np.uint16)
    if u.size % 2:
        u = np.r_[u, np.uint16(0)]
    a, b = u[0::2], u[1::2]
    out = np.empty((a.size, 3), dtype=np.uint8)
    out[:, 0] = a >> 4
    out[:, 1] = ((a & 0xF) << 4) | (b >> 8)
    out[:, 2] = b & 0xFF
    return out.tobytes()


def _gt3x_record(rtype: int, ts: int, payload: bytes) -> bytes:
    head = np.frombuffer(
        bytes([0x1E, rtype]) + int(ts).to_bytes(4, "little") + len(payload).to_bytes(2, "little"),
        dtype=np.uint8,
    )
    x = int(np.bitwise_xor.reduce(np.r_[head, np.frombuffer(payload, dtype=np.uint8)]))
    return head.tobytes() + payload + bytes([~x & 0xFF])


def write_gt3x(
    path: str | Path,
    chunks: Iterable[ChunkLike],
    *,
    sample_rate_hz: int,
    utc_offset_s: int = 0,
    serial: str = "SYN0000000001",
) -> WriteSummary:
    """Write chunks as an ActiGraph ``.gt3x`` (``info.txt`` + ``log.bin`` ACTIVITY records).

    One record per second of the device clock (UTC + ``utc_offset_s``), 12-bit counts at
    256 per g (range ±8 g). The samples must start on a whole second and come at exactly
    ``sample_rate_hz`` per second (as walkrx's synthetic recordings do); a second left
    incomplete at the end is not written. Streams: memory does not grow with the file.
    """
    import zipfile

    rate = int(sample_rate_hz)
    p = Path(path)
    n = records = 0
    first_s: int | None = None
    last_s = 0
    carry_t = np.zeros(0, dtype=np.int64)
    carry_a = np.zeros((0, 3))
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("log.bin", "w", force_zip64=True) as log:
            for chunk in chunks:
                t, a = _as_arrays(chunk)
                t = np.r_[carry_t, t]
                a = np.concatenate([carry_a, a])
                whole = (t.size // rate) * rate
                carry_t, carry_a = t[whole:], a[whole:]
                if whole == 0:
                    continue
                t, a = t[:whole], a[:whole]
                secs = t[::rate] // 1_000_000_000 + utc_offset_s
                if first_s is None:
                    first_s = int(secs[0])
                    if t[0] % 1_000_000_000:
                        raise ValueError("write_gt3x needs samples that start on a whole second")
                counts = np.clip(np.round(a * 256.0), -2048, 2047).astype(np.int64)
                yxz = counts[:, [1, 0, 2]].reshape(-1, rate * 3)
                out = bytearray()
                for sec, row in zip(secs.tolist(), yxz, strict=True):
                    out += _gt3x_record(0x00, sec, _pack12(row))
                log.write(out)
                n += whole
                records += secs.size
                last_s = int(secs[-1])
        ticks = lambda s: (s * 10_000_000) + 621_355_968_000_000_000  # noqa: E731 - .NET ticks
        sign = "-" if utc_offset_s < 0 else ""
        off = abs(utc_offset_s)
        info = (
            f"Serial Number: {serial}\nDevice Type: wGT3XBT\nFirmware: 1.9.2\n"
            f"Sample Rate: {rate}\nStart Date: {ticks(first_s or 0)}\nStop Date: 0\n"
            f"Last Sample Time: {ticks(last_s + 1)}\n"
            f"TimeZone: {sign}{off // 3600:02d}:{off % 3600 // 60:02d}:00\n"
            "Acceleration Scale: 256.0\nAcceleration Min: -8.0\nAcceleration Max: 8.0\n"
        )
        z.writestr("info.txt", info)
    return WriteSummary(str(p), n, records, p.stat().st_size)
