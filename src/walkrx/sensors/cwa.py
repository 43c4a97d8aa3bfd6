"""Axivity ``.cwa`` reader (AX3 and AX6), decoded by walkrx in pure NumPy.

Layout: see :mod:`walkrx.sensors._cwa_format`. The file is read a few thousand
512-byte blocks at a time and each batch is decoded with vectorised NumPy, so a
week-long file is never whole in memory.

Conventions and choices (where the format leaves room):

* **Block index** — ``ReadError.block_index`` counts *data* blocks from 0: the
  block at byte offset ``1024 + 512 * i`` has index ``i`` (the header is not a
  data block). The fixture ``ax3_testfile_corrupt_blocks_0_13_14_142_143_144.cwa``
  uses the same numbering.
* **Validation** — a block whose 256 16-bit words do not sum to 0 is skipped as
  ``"checksum"``; a block without the ``"AX"`` signature, with a packet length
  other than 508, an impossible sample count or format, or an invalid
  timestamp, as ``"bad-block"``; a trailing partial block as ``"truncated"``.
  Skipped blocks produce no samples: nothing is invented.
* **Time of each block** — the whole-second ``timestamp`` holds at sample index
  ``timestampOffset``. When the top bit of ``deviceFractional`` is set its low
  15 bits are a fraction of a second (1/32768 s) and, as the format says,
  ``timestampOffset`` was shifted by ``floor(fraction * rate)`` samples, so that
  shift is undone first. The time of the block's first sample is then
  ``timestamp + fraction - timestampOffset / rate``.
* **Time of each sample** — linear between this block's first-sample time and
  the next block's, when the next block is the next in sequence, valid, and
  the implied rate is within 10 % of the block's nominal rate (as Open Movement
  and GGIRread do); otherwise at the block's nominal rate. A block whose
  successor is corrupt therefore gets nominal-rate times.
* **Zone** — block times are local device time without a zone. With ``tz``
  they become UTC through :class:`walkrx.sensors._localtime.LocalToUtc`; with
  ``clock="fixed"`` (default) one offset, that of ``tz`` at the header's
  last-configuration time, applies to the whole file, because the device's
  real-time clock is set once at configuration and does not follow DST changes;
  ``clock="wall"`` converts every block on its own, for files whose clock did
  follow DST (the repeated autumn hour is resolved from block order). Without
  ``tz`` the times are taken as UTC and ``RecordingInfo.extra["tz_assumed"]``
  says so.
* **Scale** — packed samples (3 x 10 bits + 2-bit exponent) are in 1/256 g;
  unpacked int16 samples use the block's ``lightScale`` accelerometer scale
  ``1/2**(8 + n)`` g. For AX6 (6 or 9 axes) the gyroscope comes first and is
  returned in deg/s, the range from the header's sensor configuration, else
  from the block.
* **Temperature** — ``temperature * 75 / 256 - 50`` degC, one value per block,
  repeated for its samples.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from walkrx.sensors import _cwa_format as fmt
from walkrx.sensors._bounds import Bounds
from walkrx.sensors._cwa_blocks import DecodedBlocks, block_problem, unpack_samples
from walkrx.sensors._cwa_header import read_header
from walkrx.sensors._localtime import ClockModel, LocalToUtc
from walkrx.sensors.base import GuardedReader, ReaderError, ReadError, RecordingInfo, SampleChunk

__all__ = ["CwaReader", "iter_chunks", "read_header", "read_info"]

#: Data blocks read per file read when ``chunk_samples`` is large.
MAX_BLOCKS_PER_READ = 4096
#: Tolerance on the rate implied by consecutive block times before falling back to the nominal rate.
RATE_TOLERANCE = 0.10


class CwaReader(GuardedReader):
    """Reader of one ``.cwa`` file at a time, following :class:`walkrx.sensors.base.Reader`.

    ``tz`` is the IANA zone the device clock was set in; ``clock`` is ``"fixed"``
    (device clock free-running from configuration, the default) or ``"wall"``.
    """

    fmt = "cwa"

    def __init__(self, tz: str | None = None, clock: ClockModel = "fixed") -> None:
        self.tz = tz
        self.clock = clock

    def _read_info(self, path: str | Path) -> RecordingInfo:
        """Header metadata plus the first valid block's time (fast: reads the header and a few blocks)."""
        return read_info(path, tz=self.tz, clock=self.clock)

    def _iter_chunks(
        self, path: str | Path, chunk_samples: int = 1_000_000
    ) -> Iterator[tuple[SampleChunk, list[ReadError]]]:
        """Yield decoded chunks and the blocks skipped while reading them."""
        return iter_chunks(path, chunk_samples, tz=self.tz, clock=self.clock)


def _converter(header: dict[str, Any], tz: str | None, clock: ClockModel) -> LocalToUtc:
    conv = LocalToUtc(tz, clock)
    if tz and clock == "fixed" and header["last_change_local"]:
        secs, ok = fmt.unpack_timestamps(np.array([header["last_change_packed"]], dtype=np.uint32))
        if ok[0]:
            conv.set_reference(int(secs[0]) * 1_000_000_000)
    return conv


def read_info(
    path: str | Path, *, tz: str | None = None, clock: ClockModel = "fixed"
) -> RecordingInfo:
    """Read the header and the first valid data block of a ``.cwa`` file."""
    p = Path(path)
    header = read_header(p)
    n_blocks, tail = divmod(header["file_size"] - fmt.HEADER_SIZE, fmt.BLOCK_SIZE)
    if header["file_size"] < fmt.HEADER_SIZE + fmt.BLOCK_SIZE:
        raise ReaderError(p, "no data blocks after the 1024-byte header", "byte 1024")
    extra: dict[str, Any] = {
        k: v for k, v in header.items() if k not in ("device", "last_change_packed")
    }
    extra["n_blocks"] = n_blocks
    extra["trailing_bytes"] = tail
    extra["clock"] = clock
    if tz is None:
        extra["tz_assumed"] = "no tz given: device local times were taken as UTC"
    info = RecordingInfo(
        path=str(p),
        device=header["device"],
        device_id=str(header["device_id"]),
        sample_rate_hz=header["header_sample_rate_hz"],
        tz=tz,
        extra=extra,
    )
    with p.open("rb") as f:
        f.seek(fmt.HEADER_SIZE)
        raw = np.frombuffer(f.read(fmt.BLOCK_SIZE * min(n_blocks, 64)), dtype=np.uint8)
    if raw.size:
        d = DecodedBlocks(raw.reshape(-1, fmt.BLOCK_SIZE).copy(), 0)
        good = np.flatnonzero(d.valid)
        if good.size:
            i = int(good[0])
            first = d.anchor_ns[i] - d.offset_ns[i]
            conv = _converter(header, tz, clock)
            info.start_utc_ns = int(conv(np.array([first]))[0])
            info.extra["block_sample_rate_hz"] = float(d.rate[i])
            info.extra["samples_per_block"] = int(d.count[i])
            info.extra["channels"] = int(d.channels[i])
            info.extra["packing"] = "packed 3x10-bit" if d.packing[i] == 0 else "unpacked int16"
            info.extra["accel_scale_g_per_lsb"] = (
                1 / 256
                if d.packing[i] == 0
                else 1 / (1 << (8 + ((int(d.blocks["light_scale"][i]) >> 13) & 7)))
            )
            if conv.fixed_offset_s is not None:
                info.extra["fixed_utc_offset_s"] = conv.fixed_offset_s
    return info


@dataclass
class _State:
    """What one batch hands to the next, so that chunking never changes the result."""

    prev_end: int | None = None  # time of the last emitted sample
    prev_seq: int | None = None  # sequence id of the last emitted block
    prev_step: float | None = None  # its sample spacing, when interpolated from its successor
    pending: list[ReadError] = field(default_factory=list)  # skipped blocks awaiting an end time


def _empty() -> SampleChunk:
    return SampleChunk(np.empty(0, np.int64), np.empty((0, 3), np.float32), np.empty(0, np.float32))


def iter_chunks(
    path: str | Path,
    chunk_samples: int = 1_000_000,
    *,
    tz: str | None = None,
    clock: ClockModel = "fixed",
) -> Iterator[tuple[SampleChunk, list[ReadError]]]:
    """Decode a ``.cwa`` file in chunks of about ``chunk_samples`` samples.

    Each item is ``(chunk, errors)``: the valid samples of a run of blocks, and
    the skipped blocks reported so far. A skipped block is reported once the
    next valid block (which gives the end of its time range) has been read, or
    at the end of the file. A chunk may be empty when all its blocks were
    skipped.
    """
    p = Path(path)
    header = read_header(p)
    size = header["file_size"]
    n_blocks, tail = divmod(size - fmt.HEADER_SIZE, fmt.BLOCK_SIZE)
    if n_blocks <= 0:
        raise ReaderError(p, "no data blocks after the 1024-byte header", "byte 1024")
    conv = _converter(header, tz, clock)
    # Blocks hold 40-120 samples; aim for at most about chunk_samples per chunk.
    per_block = _samples_per_block(p)
    per_read = int(min(MAX_BLOCKS_PER_READ * 120 // per_block, max(1, chunk_samples // per_block)))
    gyro_range = header["gyro_range_dps"]
    state = _State()
    bounds = Bounds(p)
    with p.open("rb") as f:
        start = 0
        while start < n_blocks:
            stop = min(n_blocks, start + per_read)
            look = min(n_blocks, stop + 1)  # one block of look-ahead for interpolation
            f.seek(fmt.HEADER_SIZE + start * fmt.BLOCK_SIZE)
            buf = f.read((look - start) * fmt.BLOCK_SIZE)
            got = len(buf) // fmt.BLOCK_SIZE
            raw = np.frombuffer(buf, dtype=np.uint8, count=got * fmt.BLOCK_SIZE)
            d = DecodedBlocks(raw.reshape(got, fmt.BLOCK_SIZE), start)
            _limit_span(d, bounds)
            chunk = _decode_batch(d, stop - start, conv, gyro_range, p, state)
            bounds.take(len(chunk), f"data block {stop - 1}")
            ready = [e for e in state.pending if e.end_utc_ns is not None]
            state.pending = [e for e in state.pending if e.end_utc_ns is None]
            start = stop
            if start >= n_blocks and not tail:
                ready, state.pending = ready + state.pending, []
            yield chunk, ready
    if tail:
        err = ReadError(
            kind="truncated",
            message=f"{p}: data block {n_blocks} is cut short ({tail} of {fmt.BLOCK_SIZE} bytes); skipped",
            block_index=n_blocks,
            start_utc_ns=state.prev_end,
        )
        yield _empty(), [*state.pending, err]


def _limit_span(d: DecodedBlocks, bounds: Bounds) -> None:
    """Skip the blocks dated outside the plausible range or the recording's span."""
    d.limit_span(*bounds.window(), bounds.text)
    if bounds.anchor is None:
        good = np.flatnonzero(d.valid)
        if good.size:
            bounds.anchor = int(d.anchor_ns[good[0]] - d.offset_ns[good[0]])
            d.limit_span(*bounds.window(), bounds.text)


def _samples_per_block(path: Path) -> int:
    """Samples a full block holds, from the first block's format (120 if unreadable)."""
    with path.open("rb") as f:
        f.seek(fmt.HEADER_SIZE + 25)
        b = f.read(1)
    if not b:
        return 120
    channels, packing = b[0] >> 4, b[0] & 0x0F
    if packing == 2 and channels in (3, 6, 9):
        return fmt.DATA_BYTES // (2 * channels)
    return 120


def _decode_batch(
    d: DecodedBlocks,
    n_out: int,
    conv: LocalToUtc,
    gyro_range: float | None,
    path: Path,
    state: _State,
) -> SampleChunk:
    """Turn the first ``n_out`` blocks of a decoded batch (plus look-ahead) into a chunk.

    Skipped blocks are appended to ``state.pending``; the state is advanced.
    """
    n_all = d.valid.shape[0]
    local_start = d.anchor_ns - d.offset_ns
    valid_idx = np.flatnonzero(d.valid)
    sel = valid_idx[valid_idx < n_out]
    ahead = valid_idx[valid_idx >= n_out]
    start_utc = np.zeros(n_all, dtype=np.int64)
    if sel.size:
        start_utc[sel] = conv(local_start[sel])
    if ahead.size:  # converted again, for real, in the next batch
        start_utc[ahead] = _peek(conv, local_start[ahead])
    if sel.size == 0:
        _errors(d, n_out, start_utc, start_utc, path, state)
        return _empty()
    # Per-block sample spacing: interpolate to the next block when it continues this one.
    nxt = np.minimum(sel + 1, n_all - 1)
    counts = d.count[sel]
    nominal = 1e9 / d.rate[sel]
    implied = (start_utc[nxt] - start_utc[sel]).astype(np.float64) / counts
    follows = (
        (sel + 1 < n_all)
        & d.valid[nxt]
        & (d.sequence[nxt] == d.sequence[sel] + 1)
        & (np.abs(implied / nominal - 1.0) <= RATE_TOLERANCE)
    )
    step = np.where(follows, implied, nominal)
    # A block without a usable successor keeps its predecessor's measured spacing.
    for k in np.flatnonzero(~follows):
        if k > 0:
            prev_ok = follows[k - 1] and d.sequence[sel[k - 1]] + 1 == d.sequence[sel[k]]
            prev_step = step[k - 1] if prev_ok else None
        else:
            prev_ok = state.prev_step is not None and state.prev_seq == d.sequence[sel[0]] - 1
            prev_step = state.prev_step if prev_ok else None
        if prev_step is not None and abs(prev_step / nominal[k] - 1.0) <= RATE_TOLERANCE:
            step[k] = prev_step
    acc, gyro, _ = unpack_samples(d, sel, gyro_range)
    full = int(counts[0])
    if np.all(counts == full):  # the usual case: every block full, a (blocks, samples) grid
        block_of = np.repeat(np.arange(sel.size), full)
        grid = np.round(np.arange(full)[None, :] * step[:, None]).astype(np.int64)
        time_ns = (start_utc[sel][:, None] + grid).reshape(-1)
    else:
        block_of = np.repeat(np.arange(sel.size), counts)
        within = np.arange(block_of.size) - np.repeat(np.cumsum(counts) - counts, counts)
        time_ns = start_utc[sel][block_of] + np.round(within * step[block_of]).astype(np.int64)
    temp = (d.blocks["temperature"][sel] & 0x3FF).astype(np.float32) * np.float32(75.0 / 256.0) - 50
    chunk = SampleChunk(time_ns=time_ns, acc_g=acc, temperature_c=temp[block_of], gyro_dps=gyro)
    last_utc = start_utc.copy()
    last_utc[sel] = time_ns[np.cumsum(counts) - 1]
    _errors(d, n_out, start_utc, last_utc, path, state)
    state.prev_end = int(time_ns[-1])
    state.prev_seq = int(d.sequence[sel[-1]])
    state.prev_step = float(step[-1]) if follows[-1] else None
    return chunk


def _errors(
    d: DecodedBlocks,
    n_out: int,
    start_utc: npt.NDArray[np.int64],
    last_utc: npt.NDArray[np.int64],
    path: Path,
    state: _State,
) -> None:
    """Record the skipped blocks among the first ``n_out`` of a batch in ``state.pending``.

    The time range of a skipped block runs from the last sample before it to the
    first sample after it (None where there is none, e.g. at the start of the
    file). Earlier pending blocks get their end time from this batch.
    """
    good = np.flatnonzero(d.valid)
    if state.pending and good.size:
        end = int(start_utc[good[0]])
        state.pending = [
            e if e.end_utc_ns is not None else replace(e, end_utc_ns=end) for e in state.pending
        ]
    for i in np.flatnonzero(~d.valid[:n_out]):
        kind, why = block_problem(d, int(i))
        idx = d.first_index + int(i)
        before = good[good < i]
        after = good[good > i]
        state.pending.append(
            ReadError(
                kind=kind,
                message=(
                    f"{path}: data block {idx} (byte {fmt.HEADER_SIZE + idx * fmt.BLOCK_SIZE}): "
                    f"{why}; skipped"
                ),
                block_index=idx,
                start_utc_ns=int(last_utc[before[-1]]) if before.size else state.prev_end,
                end_utc_ns=int(start_utc[after[0]]) if after.size else None,
            )
        )


def _peek(conv: LocalToUtc, local: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Convert look-ahead times without advancing the converter's order state."""
    saved = dict(conv.__dict__)
    try:
        return conv(local)
    finally:
        conv.__dict__.update(saved)
