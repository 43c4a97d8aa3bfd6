"""Vectorised decoding of a batch of ``.cwa`` data blocks: fields, validity, samples."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from walkrx.ingest.limits import describe_ns
from walkrx.sensors import _cwa_format as fmt


class DecodedBlocks:
    """Vectorised decode of a batch of blocks (header fields, validity, block times)."""

    def __init__(self, raw: npt.NDArray[np.uint8], first_index: int) -> None:
        n = raw.shape[0]
        self.first_index = first_index
        self.raw = raw
        blocks = raw.view(fmt.BLOCK_DTYPE).reshape(n)
        self.blocks = blocks
        words = raw.view("<u2").reshape(n, 256)
        self.checksum_ok = fmt.block_checksums(words) == 0
        nab = blocks["num_axes_bps"].astype(np.int64)
        self.channels = nab >> 4
        self.packing = nab & 0x0F
        self.count = blocks["sample_count"].astype(np.int64)
        bytes_per_sample = np.where(self.packing == 0, 4, 2 * self.channels)
        max_count = np.where(
            bytes_per_sample > 0, fmt.DATA_BYTES // np.maximum(bytes_per_sample, 1), 0
        )
        fmt_ok = ((self.packing == 0) & (self.channels == 3)) | (
            (self.packing == 2) & np.isin(self.channels, (3, 6, 9))
        )
        self.rate = fmt.rate_from_code(blocks["sample_rate"])
        whole_s, ts_ok = fmt.unpack_timestamps(blocks["timestamp"])
        self.header_ok = (
            (blocks["signature"] == b"AX")
            & (blocks["packet_length"] == 508)
            & fmt_ok
            & (self.count >= 1)
            & (self.count <= max_count)
            & ts_ok
            & (blocks["sample_rate"] != 0)
        )
        self.valid = self.checksum_ok & self.header_ok
        # Block first-sample time (local wall clock, ns).
        dfrac = blocks["device_fractional"].astype(np.int64)
        has_frac = (dfrac & 0x8000) != 0
        frac16 = np.where(has_frac, (dfrac & 0x7FFF) << 1, 0)
        offset = blocks["timestamp_offset"].astype(np.int64)
        rate_int = self.rate.astype(np.int64)
        offset = offset + np.where(has_frac, (frac16 * rate_int) >> 16, 0)
        self.anchor_ns = whole_s * 1_000_000_000 + (frac16 * 1_000_000_000) // 65536
        self.offset_ns = np.round(offset * (1e9 / self.rate)).astype(np.int64)
        self.sequence = blocks["sequence_id"].astype(np.int64)
        self.out_of_span = np.zeros(n, dtype=bool)
        self.span_text = ""

    def limit_span(self, lo_ns: int, hi_ns: int, text: str) -> None:
        """Invalidate the valid blocks whose first sample (local ns) lies outside ``[lo, hi]``.

        ``text`` says which range that is; :func:`block_problem` reports it.
        """
        local = self.anchor_ns - self.offset_ns
        bad = self.valid & ((local < lo_ns) | (local > hi_ns))
        if bad.any():
            self.out_of_span |= bad
            self.valid &= ~bad
            self.span_text = text


def block_problem(d: DecodedBlocks, i: int) -> tuple[str, str]:
    """Kind and wording of why block ``i`` of a batch is invalid."""
    b = d.blocks[i]
    if d.out_of_span[i]:
        local = int(d.anchor_ns[i] - d.offset_ns[i])
        return "implausible-time", f"block time {describe_ns(local)} (device clock) {d.span_text}"
    if not d.checksum_ok[i]:
        return "checksum", "16-bit word checksum is not zero"
    if b["signature"] != b"AX":
        return "bad-block", f"signature {bytes(b['signature'])!r}, expected b'AX'"
    if b["packet_length"] != 508:
        return "bad-block", f"packet length {int(b['packet_length'])}, expected 508"
    return "bad-block", (
        f"unusable block fields (numAxesBPS=0x{int(b['num_axes_bps']):02x}, "
        f"sampleCount={int(b['sample_count'])}, sampleRate code={int(b['sample_rate'])}, "
        f"timestamp=0x{int(b['timestamp']):08x})"
    )


def unpack_samples(
    d: DecodedBlocks, sel: npt.NDArray[np.intp], gyro_range_dps: float | None
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32] | None, npt.NDArray[np.bool_]]:
    """Samples of the selected (valid) blocks -> acc (m,3) g, gyro (m,3) deg/s or None, and the (k, maxcount) mask used."""
    data = np.ascontiguousarray(d.raw[sel, fmt.DATA_OFFSET : fmt.DATA_OFFSET + fmt.DATA_BYTES])
    packing = d.packing[sel]
    channels = d.channels[sel]
    counts = d.count[sel]
    if np.all(packing == 0):
        words = data.view("<u4").astype(np.int32)  # (k, 120)
        mask = np.arange(words.shape[1]) < counts[:, None]
        v = words.reshape(-1) if np.all(counts == words.shape[1]) else words[mask]
        e = (v >> 30) & 0x3
        xyz = np.empty((v.shape[0], 3), dtype=np.int32)
        for axis, shift in enumerate((0, 10, 20)):
            part = (v >> shift) & 0x3FF
            xyz[:, axis] = ((part ^ 0x200) - 0x200) << e
        acc = xyz.astype(np.float32) * np.float32(1.0 / 256.0)
        return acc, None, mask
    if np.all(packing == 2) and np.all(channels == channels[0]):
        ch = int(channels[0])
        per = fmt.DATA_BYTES // (2 * ch)
        vals = data.view("<i2")[:, : per * ch].reshape(len(sel), per, ch)
        mask = np.arange(per) < counts[:, None]
        scale_exp = (d.blocks["light_scale"][sel].astype(np.int64) >> 13) & 0x7
        acc_scale = (1.0 / np.left_shift(1, 8 + scale_exp)).astype(np.float32)
        acc_col = 0 if ch == 3 else 3
        acc = vals[:, :, acc_col : acc_col + 3].astype(np.float32) * acc_scale[:, None, None]
        gyro = None
        if ch >= 6:
            gcode = (d.blocks["light_scale"][sel].astype(np.int64) >> 10) & 0x7
            block_range = np.where(gcode > 0, 8000.0 / np.left_shift(1, gcode), 2000.0)
            rng = np.full(len(sel), gyro_range_dps) if gyro_range_dps else block_range
            gscale = (rng / 32768.0).astype(np.float32)
            gyro = vals[:, :, 0:3].astype(np.float32) * gscale[:, None, None]
            gyro = gyro[mask]
        return acc[mask], gyro, mask
    # Mixed formats within one batch: decode block groups separately, in order.
    accs: list[npt.NDArray[np.float32]] = []
    gyros: list[npt.NDArray[np.float32]] = []
    any_gyro = False
    for j in range(len(sel)):
        a, g, _ = unpack_samples(d, sel[j : j + 1], gyro_range_dps)
        accs.append(a)
        if g is not None:
            any_gyro = True
            gyros.append(g)
        else:
            gyros.append(np.full_like(a, np.nan))
    maxc = int(counts.max())
    mask = np.arange(maxc) < counts[:, None]
    return np.concatenate(accs), (np.concatenate(gyros) if any_gyro else None), mask
