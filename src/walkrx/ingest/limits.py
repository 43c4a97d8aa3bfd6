"""Limits every reader and importer applies, so that no file can take more than its share.

Each limit has a default and an environment variable that overrides it (documented, with the
reason for each default, in ``docs/limits.md``). :func:`current` reads them when a file is
opened, so a deployment changes a limit without a code change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from dataclasses import dataclass

_NS = 1_000_000_000
_DAY_NS = 86_400 * _NS

#: Instants a recording may hold at all (UTC): 1970-01-01 to 2100-01-01.
EARLIEST_NS = 0  # 1970-01-01: lab CSVs count seconds from 0
LATEST_NS = int(dt.datetime(2100, 1, 1, tzinfo=dt.UTC).timestamp()) * _NS


@dataclass(frozen=True)
class Limits:
    """Bounds on what one file may make walkrx read, decode or allocate."""

    #: Longest time span of one sensor recording (days from its first sample).
    max_span_days: float = 31.0
    #: Most samples decoded from one sensor file (31 days at 100 Hz).
    max_samples: int = 31 * 86_400 * 100
    #: Longest ActiGraph idle-sleep period that is filled with the last sample (hours).
    max_idle_fill_h: float = 24.0
    #: Most bytes decompressed from one zip member.
    max_unzipped_bytes: int = 8 * 1024**3
    #: Largest ratio of decompressed to compressed bytes of one zip member.
    max_unzip_ratio: float = 100.0
    #: Largest small text member of an archive (``info.txt``, ``calibration.json``).
    max_info_bytes: int = 1024**2
    #: Largest single XML text run or attribute (bytes without a ``<`` or ``>``).
    max_xml_token_bytes: int = 16 * 1024**2
    #: Most records (rows, intervals, workouts, route points) read from one import file.
    max_records: int = 50_000_000

    @property
    def max_span_ns(self) -> int:
        """:attr:`max_span_days` in nanoseconds."""
        return int(self.max_span_days * _DAY_NS)


#: Environment variable of each limit.
ENV = {
    "max_span_days": "WALKRX_MAX_SPAN_DAYS",
    "max_samples": "WALKRX_MAX_SAMPLES",
    "max_idle_fill_h": "WALKRX_MAX_IDLE_FILL_H",
    "max_unzipped_bytes": "WALKRX_MAX_UNZIPPED_BYTES",
    "max_unzip_ratio": "WALKRX_MAX_UNZIP_RATIO",
    "max_info_bytes": "WALKRX_MAX_INFO_BYTES",
    "max_xml_token_bytes": "WALKRX_MAX_XML_TOKEN_BYTES",
    "max_records": "WALKRX_MAX_RECORDS",
}

DEFAULTS = Limits()


def current() -> Limits:
    """The limits in force: the defaults, each overridden by its environment variable if set.

    A value that is not a positive number is refused with a ``ValueError`` naming the variable.
    """
    changes: dict[str, float | int] = {}
    for name, var in ENV.items():
        raw = os.environ.get(var, "").strip()
        if not raw:
            continue
        try:
            number = float(raw)
        except ValueError:
            raise ValueError(f"{var}={raw!r} is not a number") from None
        if not 0 < number < float("inf"):
            raise ValueError(f"{var}={raw!r} must be a positive, finite number")
        is_int = isinstance(getattr(DEFAULTS, name), int)
        changes[name] = max(1, int(number)) if is_int else number
    return dataclasses.replace(DEFAULTS, **changes) if changes else DEFAULTS


def plausible_ns(t: int) -> bool:
    """Whether a UTC instant (ns) lies in the range a recording may hold (1970–2099)."""
    return EARLIEST_NS <= t < LATEST_NS


def describe_ns(t: int) -> str:
    """A UTC instant as ISO text, or the raw number when it is outside datetime's range."""
    try:
        return dt.datetime.fromtimestamp(t / _NS, dt.UTC).isoformat(timespec="seconds")
    except (OverflowError, OSError, ValueError):
        return f"{t} ns since 1970"
