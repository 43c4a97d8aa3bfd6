"""Byte layout of the Axivity ``.cwa`` format, shared by the reader and the synthetic writer.

Written from the public Open Movement format description (``cwa.h`` in the
openmovement repository): a 1024-byte ``"MD"`` header block, then 512-byte
``"AX"`` data blocks. All values are little-endian and tightly packed.

Data block (offsets in bytes)::

    0  "AX"               2  packetLength (508)     4  deviceFractional
    6  sessionId         10  sequenceId            14  timestamp (packed local time)
    18 lightScale        20  temperature           22  events
    23 battery           24  sampleRate code       25  numAxesBPS
    26 timestampOffset   28  sampleCount           30  480 bytes of samples
    510 checksum (the 16-bit sum of all 256 words of the block is 0)

Packed local timestamps: ``YYYYYYMM MMDDDDDh hhhhmmmm mmssssss`` (year - 2000).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

HEADER_SIZE = 1024
BLOCK_SIZE = 512
DATA_OFFSET = 30
DATA_BYTES = 480

#: Structured dtype of one data block; ``np.frombuffer`` with it views many blocks at once.
BLOCK_DTYPE = np.dtype(
    [
        ("signature", "S2"),
        ("packet_length", "<u2"),
        ("device_fractional", "<u2"),
        ("session_id", "<u4"),
        ("sequence_id", "<u4"),
        ("timestamp", "<u4"),
        ("light_scale", "<u2"),
        ("temperature", "<u2"),
        ("events", "u1"),
        ("battery", "u1"),
        ("sample_rate", "u1"),
        ("num_axes_bps", "u1"),
        ("timestamp_offset", "<i2"),
        ("sample_count", "<u2"),
        ("data", "u1", (DATA_BYTES,)),
        ("checksum", "<u2"),
    ]
)
assert BLOCK_DTYPE.itemsize == BLOCK_SIZE

#: Hardware type byte of the header (offset 4).
HARDWARE_AX6 = 0x64


def rate_from_code(code: int | npt.NDArray[np.uint8]) -> npt.NDArray[np.float64]:
    """Sample rate in Hz from a rate code: ``3200 / 2**(15 - (code & 0x0F))``."""
    c = np.asarray(code, dtype=np.int64)
    out: npt.NDArray[np.float64] = 3200.0 / np.left_shift(1, 15 - (c & 0x0F)).astype(np.float64)
    return out


def range_from_code(code: int) -> int:
    """Accelerometer range in ±g from a rate code: ``16 >> (code >> 6)``."""
    return 16 >> (int(code) >> 6)


def code_from_rate(sample_rate_hz: float, range_g: int = 8) -> int:
    """Rate code for a rate of ``3200 / 2**k`` Hz and a range of 2, 4, 8 or 16 g."""
    for low in range(16):
        if abs(3200.0 / (1 << (15 - low)) - sample_rate_hz) < 1e-9:
            break
    else:
        raise ValueError(
            f"{sample_rate_hz} Hz is not a CWA rate (3200 / 2**k Hz, e.g. 25, 50, 100)"
        )
    ranges = {16: 0, 8: 1, 4: 2, 2: 3}
    if range_g not in ranges:
        raise ValueError(f"range {range_g} g is not one of 2, 4, 8, 16")
    return low | (ranges[range_g] << 6)


def unpack_timestamps(
    packed: npt.NDArray[np.uint32],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Packed local timestamps -> (seconds since 1970-01-01 of the wall-clock reading, valid mask).

    The seconds are a "naive" count: the wall-clock fields read as if they were UTC.
    """
    v = packed.astype(np.int64)
    year = ((v >> 26) & 0x3F) + 2000
    month = (v >> 22) & 0x0F
    day = (v >> 17) & 0x1F
    hours = (v >> 12) & 0x1F
    minutes = (v >> 6) & 0x3F
    seconds = v & 0x3F
    valid = (
        (month >= 1) & (month <= 12) & (day >= 1) & (hours < 24) & (minutes < 60) & (seconds < 60)
    )
    months = (year - 1970) * 12 + np.where(valid, month - 1, 0)
    days = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    # Reject a day beyond the month's end (e.g. 31 February).
    next_month = (months + 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    days = days + np.where(valid, day - 1, 0)
    valid &= days < next_month
    secs = days * 86400 + hours * 3600 + minutes * 60 + seconds
    return secs, valid


def pack_timestamps(naive_seconds: npt.NDArray[np.int64]) -> npt.NDArray[np.uint32]:
    """Whole seconds since 1970 of a wall-clock reading -> packed CWA timestamps."""
    s = np.asarray(naive_seconds, dtype=np.int64)
    days = s // 86400
    sod = s - days * 86400
    d = days.astype("datetime64[D]")
    months = d.astype("datetime64[M]")
    year = months.astype(np.int64) // 12 + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (d - months.astype("datetime64[D]")).astype(np.int64) + 1
    if np.any((year < 2000) | (year > 2063)):
        raise ValueError("CWA timestamps cover the years 2000-2063 only")
    packed = (
        ((year - 2000) << 26)
        | (month << 22)
        | (day << 17)
        | ((sod // 3600) << 12)
        | (((sod // 60) % 60) << 6)
        | (sod % 60)
    )
    out: npt.NDArray[np.uint32] = packed.astype(np.uint32)
    return out


def block_checksums(words: npt.NDArray[np.uint16]) -> npt.NDArray[np.uint16]:
    """The 16-bit wrap-around sum of each row of 256 words (0 for an intact block)."""
    out: npt.NDArray[np.uint16] = np.sum(words, axis=1, dtype=np.uint16)
    return out
