"""Crafted hostile files for the hardening tests, written to a temporary folder by each test.

Large members are written with a streaming zip writer (never held whole), so the tests stay fast
and small on disk: a 1 GiB member of spaces packs to about 1 MB.
"""

from __future__ import annotations

import struct
import sys
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

T0 = 1_600_000_000  # a device second in 2020
STEP = "HKQuantityTypeIdentifierStepCount"

GT3X_INFO = (
    "Serial Number: TEST0001\nDevice Type: wGT3XBT\nSample Rate: 30\n"
    "Start Date: 637340333400000000\nTimeZone: 02:00:00\nAcceleration Scale: 256.0\n"
)


def gt3x_record(rtype: int, ts: int, payload: bytes) -> bytes:
    """One log.bin record with its checksum."""
    head = struct.pack("<BBIH", 0x1E, rtype, ts, len(payload))
    x = 0
    for b in head + payload:
        x ^= b
    return head + payload + bytes([~x & 0xFF])


def activity2_second(ts: int, value: int = 10, rate: int = 30) -> bytes:
    """An ACTIVITY2 record of one second (int16 X, Y, Z per sample)."""
    return gt3x_record(0x1A, ts, struct.pack("<" + "h" * 3 * rate, *([value, -value, 256] * rate)))


def write_gt3x(path: Path, log: bytes, info: str = GT3X_INFO) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("info.txt", info)
        z.writestr("log.bin", log)
    return path


def _deflated_repeat(head: bytes, fill: bytes, fill_bytes: int, tail: bytes) -> tuple[bytes, int]:
    """Raw deflate data and CRC-32 of ``head + fill * n + tail``, made without inflating it all.

    After a full flush the compressor starts afresh, so equal blocks compress to equal bytes:
    one 4 MiB block is compressed once and its output repeated.
    """
    block = fill * (4 * 1024 * 1024 // len(fill))
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    out = [c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)]
    crc = zlib.crc32(head)
    whole, rest = divmod(fill_bytes, len(block))
    if whole:
        one = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
        again = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
        assert one == again
        out.append(one * whole)
        for _ in range(whole):
            crc = zlib.crc32(block, crc)
    out.append(c.compress(block[:rest] + tail) + c.flush())
    crc = zlib.crc32(tail, zlib.crc32(block[:rest], crc))
    return b"".join(out), crc


def zip_with_member(
    path: Path,
    name: str,
    head: bytes,
    fill: bytes,
    fill_bytes: int,
    tail: bytes = b"",
    others: dict[str, bytes] | None = None,
) -> Path:
    """A zip whose member ``name`` unpacks to ``head + fill * n + tail`` (under 4 GiB).

    The member never exists uncompressed, in memory or on disk (see :func:`_deflated_repeat`).
    """
    data, crc = _deflated_repeat(head, fill, fill_bytes, tail)
    return raw_zip(path, name, data, crc, len(head) + fill_bytes + len(tail), others=others)


def raw_zip(
    path: Path,
    name: str,
    data: bytes,
    crc: int,
    size: int,
    method: int = 8,
    others: dict[str, bytes] | None = None,
    compress_size: int | None = None,
) -> Path:
    """A zip with ``others`` (written by :mod:`zipfile`) and one member written by hand.

    ``data`` is stored as the member's compressed bytes, with the ``crc``, ``size``,
    ``method`` and ``compress_size`` given, true or not: damaged archives are made this way.
    """
    packed = len(data) if compress_size is None else compress_size
    assert size < 2**32
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for k, v in (others or {}).items():
            z.writestr(k, v)
        n = len(z.infolist())
    raw = path.read_bytes()
    eocd_at = raw.rfind(b"PK\x05\x06")
    cd_at = struct.unpack_from("<I", raw, eocd_at + 16)[0]
    body, central = raw[:cd_at], raw[cd_at:eocd_at]
    fname = name.encode()
    local = struct.pack(
        "<4s5H3I2H", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, packed, size, len(fname), 0
    )
    offset = len(body)
    central += (
        struct.pack(
            "<4s6H3I5H2I",
            b"PK\x01\x02",
            20,
            20,
            0,
            method,
            0,
            0x21,
            crc,
            packed,
            size,
            len(fname),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        + fname
    )
    body += local + fname + data
    eocd = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, n + 1, n + 1, len(central), len(body), 0)
    path.write_bytes(body + central + eocd)
    return path


def health_xml(records: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_US">\n'
        + records
        + "</HealthData>\n"
    ).encode()


def step_record(start: str, end: str, value: str = "100") -> str:
    return (
        f'<Record type="{STEP}" sourceName="Phone" unit="count" '
        f'startDate="{start}" endDate="{end}" value="{value}"/>\n'
    )


@pytest.fixture(scope="session")
def crafted() -> ModuleType:
    """These helpers, for the tests of this folder (test modules are not importable)."""
    return sys.modules[__name__]


def peak_traced_mb(fn: Callable[[], object]) -> tuple[object, float]:
    """Run ``fn``; return its result (or the exception it raised) and its peak traced MB.

    numpy reports its buffers to :mod:`tracemalloc`, so this sees the arrays a reader makes.
    """
    tracemalloc.start()
    try:
        try:
            out: object = fn()
        except Exception as exc:  # noqa: BLE001 - returned for the caller to check
            out = exc
        return out, tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()
