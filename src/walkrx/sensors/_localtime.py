"""Local wall-clock readings -> UTC instants, DST-aware and streaming.

Device clocks and naive CSV times give wall-clock readings without a zone. Two
clock models are supported:

``"wall"``
    The reading follows the zone's daylight-saving changes (a clock that was
    moved at each change, or a CSV written in local time). Each reading is
    localised on its own with pandas ``tz_localize``. The repeated hour of an
    autumn change is resolved from sample order: readings must increase, so a
    reading not later than one already seen (the clock went back) is in the
    second pass, i.e. standard time; otherwise the first pass (daylight time). A reading in the
    skipped hour of a spring change (it cannot come from a clock that was
    moved) is read with the offset in force before the change, as Python's
    ``zoneinfo`` does for ``fold=0``.

``"fixed"``
    The reading is the zone's local time at one reference moment (configuration
    or start) and then free-runs without DST changes, which is what an Axivity
    or ActiGraph real-time clock does. One UTC offset, taken at the reference
    reading, applies to the whole recording.

Both keep state across chunks (:class:`LocalToUtc` is called chunk by chunk).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import numpy.typing as npt
import pandas as pd

ClockModel = Literal["wall", "fixed"]


def check_zone(tz: str) -> ZoneInfo:
    """Return the IANA zone ``tz`` or raise ``ValueError`` (``CET``-style names are refused)."""
    if "/" not in tz and tz != "UTC":
        raise ValueError(f"time zone {tz!r} is not an IANA Area/Location name (e.g. Europe/Oslo)")
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {tz!r}") from exc


def fixed_offset_ns(tz: str, naive_ns: int) -> int:
    """UTC offset (ns) of ``tz`` at the wall-clock reading ``naive_ns`` (first pass if repeated)."""
    zone = check_zone(tz)
    when = datetime(1970, 1, 1) + timedelta(microseconds=naive_ns // 1000)
    off = when.replace(tzinfo=zone, fold=0).utcoffset()
    assert off is not None
    return int(off.total_seconds() * 1e9)


class LocalToUtc:
    """Stateful converter of wall-clock readings (int64 ns, "naive") to UTC ns."""

    def __init__(self, tz: str | None, clock: ClockModel = "wall") -> None:
        if clock not in ("wall", "fixed"):
            raise ValueError(f"clock must be 'wall' or 'fixed', not {clock!r}")
        self.tz = tz
        self.clock = clock
        self.zone = check_zone(tz) if tz else None
        self._fixed_ns: int | None = None
        self._max_seen: int | None = None

    def set_reference(self, naive_ns: int) -> None:
        """Fix the reference reading of the ``"fixed"`` model (default: the first reading seen)."""
        if self.tz and self._fixed_ns is None:
            self._fixed_ns = fixed_offset_ns(self.tz, naive_ns)

    @property
    def fixed_offset_s(self) -> float | None:
        """The one offset in seconds used by the ``"fixed"`` model, once known."""
        return None if self._fixed_ns is None else self._fixed_ns / 1e9

    def __call__(self, naive_ns: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Convert readings in their recorded order; the order decides the repeated hour."""
        naive_ns = np.asarray(naive_ns, dtype=np.int64)
        if self.tz is None or naive_ns.size == 0:
            return naive_ns.copy()
        if self.clock == "fixed":
            self.set_reference(int(naive_ns[0]))
            assert self._fixed_ns is not None
            return naive_ns - self._fixed_ns
        return self._wall(naive_ns)

    def _wall(self, naive_ns: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        # prior[i] = the latest reading before reading i (this chunk and earlier ones).
        lowest = np.iinfo(np.int64).min
        carried = lowest if self._max_seen is None else self._max_seen
        prior = np.empty_like(naive_ns)
        prior[0] = carried
        prior[1:] = np.maximum(np.maximum.accumulate(naive_ns)[:-1], carried)
        # Readings strictly increase while the clock runs forward; one not later than a
        # reading already seen means the clock went back (second pass of a repeated hour).
        second_pass = naive_ns <= prior
        self._max_seen = int(max(prior[-1], naive_ns[-1]))
        idx = pd.DatetimeIndex(naive_ns.view("datetime64[ns]"))
        local = idx.tz_localize(self.tz, ambiguous=~second_pass, nonexistent="NaT")
        utc = local.asi8.copy()
        gap = np.flatnonzero(local.isna())
        for i in gap:  # rare: readings inside a spring-forward gap
            when = datetime(1970, 1, 1) + timedelta(microseconds=int(naive_ns[i]) // 1000)
            off = when.replace(tzinfo=self.zone, fold=0).utcoffset()
            assert off is not None
            utc[i] = naive_ns[i] - int(off.total_seconds() * 1e9)
        return utc


def utc_to_naive_ns(utc_ns: npt.NDArray[np.int64], tz: str | None) -> npt.NDArray[np.int64]:
    """UTC ns -> the wall-clock reading in ``tz`` (int64 ns, naive); identity without a zone."""
    utc_ns = np.asarray(utc_ns, dtype=np.int64)
    if tz is None:
        return utc_ns.copy()
    check_zone(tz)
    idx = pd.DatetimeIndex(utc_ns.view("datetime64[ns]")).tz_localize("UTC").tz_convert(tz)
    return idx.tz_localize(None).asi8.copy()
