"""Apple Health dates (``2019-06-11 15:00:00 -0700``) to UTC epoch seconds and offsets."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

_HOUR_CACHE: dict[str, tuple[int, int]] = {}
_EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal()


def _parse_hour(text: str) -> tuple[int, int]:
    import datetime as dt

    if text[10] != " " or text[13] != ":" or text[16] != ":" or text[19] != " ":
        raise ValueError(text)
    days = dt.date.fromisoformat(text[:10]).toordinal() - _EPOCH_ORDINAL
    sign = text[20]
    offset = int(text[21:23]) * 60 + int(text[23:25])
    if sign == "-":
        offset = -offset
    elif sign != "+" or not text[11:13].isdigit() or not text[21:25].isdigit():
        raise ValueError(text)
    return days * 86400 + int(text[11:13]) * 3600 - offset * 60, offset


def parse_apple_time(text: str) -> tuple[int, int]:
    """Parse ``"2019-06-11 15:00:00 -0700"`` to ``(UTC epoch seconds, offset minutes)``."""
    try:
        if len(text) != 25:
            raise ValueError(text)
        key = text[:13] + text[19:]
        hit = _HOUR_CACHE.get(key)
        if hit is None:
            hit = _parse_hour(text)
            if len(_HOUR_CACHE) > 200_000:
                _HOUR_CACHE.clear()
            _HOUR_CACHE[key] = hit
        mm = text[14:16]
        ss = text[17:19]
        if text[13] != ":" or text[16] != ":" or not (mm + ss).isdigit():
            raise ValueError(text)
        return hit[0] + int(mm) * 60 + int(ss), hit[1]
    except (ValueError, IndexError):
        raise ValueError(f"not an Apple Health date: {text!r}") from None


_HOUR_CACHE_B: dict[bytes, tuple[int, int]] = {}


def _parse_time_b(raw: bytes) -> tuple[int, int]:
    """:func:`parse_apple_time` of 25 ASCII bytes (the layout fast path; no decode)."""
    key = raw[:13] + raw[19:]
    hit = _HOUR_CACHE_B.get(key)
    if hit is None:
        hit = parse_apple_time(raw.decode("ascii"))  # validates the whole text
        if len(_HOUR_CACHE_B) > 200_000:
            _HOUR_CACHE_B.clear()
        _HOUR_CACHE_B[key] = (hit[0] - int(raw[14:16]) * 60 - int(raw[17:19]), hit[1])
        return hit
    mmss = raw[14:16] + raw[17:19]
    if raw[13:14] != b":" or raw[16:17] != b":" or not mmss.isdigit():
        raise ValueError(raw)
    return hit[0] + int(mmss[:2]) * 60 + int(mmss[2:]), hit[1]


_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 21, 22, 23, 24]
_FIXED = {4: ord("-"), 7: ord("-"), 10: ord(" "), 13: ord(":"), 16: ord(":"), 19: ord(" ")}
_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def parse_times(
    joined: bytes, n: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]] | None:
    """:func:`parse_apple_time` of ``n`` 25-byte dates laid end to end, vectorised.

    Returns ``(UTC epoch seconds, offset minutes)``, or ``None`` when any date is not in the
    strict ``YYYY-MM-DD hh:mm:ss +hhmm`` form with a real calendar date (the caller then reads
    that block record by record, which names or skips what is wrong).
    """
    raw = np.frombuffer(joined, dtype=np.uint8)
    if raw.shape[0] != n * 25:
        return None
    a = raw.reshape(n, 25)
    d = a[:, _DIGITS].astype(np.int64) - 48
    if ((d < 0) | (d > 9)).any():
        return None
    for col, byte in _FIXED.items():
        if (a[:, col] != byte).any():
            return None
    sign = a[:, 20]
    minus = sign == ord("-")
    if not (minus | (sign == ord("+"))).all():
        return None
    year = d[:, 0] * 1000 + d[:, 1] * 100 + d[:, 2] * 10 + d[:, 3]
    month = d[:, 4] * 10 + d[:, 5]
    day = d[:, 6] * 10 + d[:, 7]
    if (year < 1).any() or (month < 1).any() or (month > 12).any() or (day < 1).any():
        return None
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    if (day > _DAYS_IN_MONTH[month] + (leap & (month == 2))).any():
        return None
    # days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil)
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    days = era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
    offset = (d[:, 14] * 10 + d[:, 15]) * 60 + d[:, 16] * 10 + d[:, 17]
    offset = np.where(minus, -offset, offset)
    seconds = (
        days * 86400
        + (d[:, 8] * 10 + d[:, 9]) * 3600
        + (d[:, 10] * 10 + d[:, 11]) * 60
        + d[:, 12] * 10
        + d[:, 13]
        - offset * 60
    )
    return seconds, offset.astype(np.int32)
