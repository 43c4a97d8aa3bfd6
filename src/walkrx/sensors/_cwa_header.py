"""Header block of an Axivity ``.cwa`` file: the first 1024 bytes, signature ``"MD"``.

Offsets (bytes): 0 ``"MD"``, 2 packet length, 4 hardware type (0x64 = AX6), 5 device
id (low 16 bits), 7 session id, 11 device id (high 16 bits, 0xFFFF = 0), 13 logging
start, 17 logging end, 35 sensor configuration (gyro range), 36 rate code, 37 last
change (configuration) time, 41 firmware, 42 time zone (unused), 64-511 url-encoded
annotation text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

import numpy as np

from walkrx.sensors import _cwa_format as fmt
from walkrx.sensors.base import ReaderError

__all__ = ["read_header"]

_SHORTHAND = {
    "_c": "study_centre",
    "_s": "study_code",
    "_i": "investigator",
    "_x": "exercise_code",
    "_v": "volunteer_num",
    "_p": "body_location",
    "_so": "setup_operator",
    "_n": "notes",
    "_b": "start_time",
    "_e": "end_time",
    "_ro": "recovery_operator",
    "_r": "retrieval_time",
    "_co": "comments",
    "_sc": "subject_code",
    "_se": "sex",
    "_h": "height",
    "_w": "weight",
    "_ha": "handedness",
    "_sn": "study_name",
}


def _naive_iso(packed: int) -> str | None:
    """A header timestamp as ISO text (wall clock, no zone); None for 0 / 0xFFFFFFFF / invalid."""
    if packed in (0, 0xFFFFFFFF):
        return None
    secs, ok = fmt.unpack_timestamps(np.array([packed], dtype=np.uint32))
    if not ok[0]:
        return None
    return str(np.datetime64(int(secs[0]), "s"))


def _annotation(raw: bytes) -> dict[str, str]:
    """Parse the url-encoded name=value annotation text of the header."""
    text = raw.decode("ascii", errors="replace").rstrip("\x20\x00\xff\ufffd")
    out: dict[str, str] = {}
    for pair in text.split("&"):
        if not pair:
            continue
        name, _, value = pair.partition("=")
        name = unquote_plus(name)
        out[_SHORTHAND.get(name, name)] = unquote_plus(value)
    return out


def read_header(path: str | Path) -> dict[str, Any]:
    """Decode the 1024-byte ``"MD"`` header; raise :class:`ReaderError` if it is not one."""
    p = Path(path)
    try:
        size = p.stat().st_size
        with p.open("rb") as f:
            head = f.read(fmt.HEADER_SIZE)
    except OSError as exc:
        raise ReaderError(p, f"cannot open: {exc.strerror or exc}") from exc
    if size == 0:
        raise ReaderError(p, "empty file (0 bytes), not a CWA recording")
    if head[:2] != b"MD":
        raise ReaderError(p, f"not a CWA file: starts with {head[:2]!r}, expected b'MD'", "byte 0")
    if len(head) < fmt.HEADER_SIZE:
        raise ReaderError(
            p, f"truncated CWA header: {len(head)} of {fmt.HEADER_SIZE} bytes", "header"
        )
    length = int.from_bytes(head[2:4], "little")
    if length < 508:
        raise ReaderError(p, f"bad CWA header packet length {length}", "byte 2")
    hw = head[4]
    device_lo = int.from_bytes(head[5:7], "little")
    device_hi = int.from_bytes(head[11:13], "little")
    device_hi = 0 if device_hi == 0xFFFF else device_hi
    rate_code = head[36]
    sensor_config = head[35]
    gyro_range = None
    if sensor_config not in (0x00, 0xFF) and (sensor_config & 0x0F):
        gyro_range = 8000 // (1 << (sensor_config & 0x0F))
    tz_minutes = int.from_bytes(head[42:44], "little", signed=True)
    return {
        "hardware_type": hw,
        "device": "Axivity AX6" if hw == fmt.HARDWARE_AX6 else "Axivity AX3",
        "device_id": device_lo | (device_hi << 16),
        "session_id": int.from_bytes(head[7:11], "little"),
        "logging_start_local": _naive_iso(int.from_bytes(head[13:17], "little")),
        "logging_end_local": _naive_iso(int.from_bytes(head[17:21], "little")),
        "last_change_local": _naive_iso(int.from_bytes(head[37:41], "little")),
        "last_change_packed": int.from_bytes(head[37:41], "little"),
        "rate_code": rate_code,
        "header_sample_rate_hz": float(fmt.rate_from_code(rate_code)),
        "accel_range_g": fmt.range_from_code(rate_code),
        "gyro_range_dps": gyro_range,
        "firmware_revision": head[41],
        "header_time_zone_min": None if tz_minutes == -1 else tz_minutes,
        "annotation": _annotation(head[64:512]),
        "file_size": size,
    }
