"""Contract shared by every raw accelerometer reader.

A reader turns one file into chunks of samples in g with UTC timestamps, plus
:class:`RecordingInfo` metadata. Readers never guess silently: a block that
fails validation is skipped and reported as a :class:`ReadError`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from walkrx.ingest.errors import ReaderError as ReaderError


@dataclass(frozen=True)
class ReadError:
    """A part of a file that was skipped (never invented), e.g. a block with a bad checksum."""

    kind: str  # e.g. "checksum", "truncated", "bad-header", "gap"
    message: str
    block_index: int | None = None
    start_utc_ns: int | None = None
    end_utc_ns: int | None = None


@dataclass
class RecordingInfo:
    """Metadata of one recording. ``tz`` is an IANA zone name when known."""

    path: str
    device: str  # e.g. "Axivity AX3", "ActiGraph GT3X+", "CSV"
    device_id: str | None
    sample_rate_hz: float
    tz: str | None = None
    n_samples: int = 0  # samples decoded (filled in while/after reading)
    start_utc_ns: int | None = None
    end_utc_ns: int | None = None
    read_errors: list[ReadError] = field(default_factory=list)
    extra: dict[str, object] = field(default_factory=dict)


@dataclass
class SampleChunk:
    """A contiguous run of samples.

    ``time_ns`` holds UTC instants as int64 nanoseconds since the Unix epoch.
    ``acc_g`` is float32 with shape (n, 3), in units of g, device axes.
    ``temperature_c`` (n,) and ``gyro_dps`` (n, 3, deg/s) are present when the device records them.
    """

    time_ns: npt.NDArray[np.int64]
    acc_g: npt.NDArray[np.float32]
    temperature_c: npt.NDArray[np.float32] | None = None
    gyro_dps: npt.NDArray[np.float32] | None = None

    def __len__(self) -> int:
        return int(self.time_ns.shape[0])


class Reader(Protocol):
    """What a raw reader module provides."""

    def read_info(self, path: str | Path) -> RecordingInfo:
        """Read metadata only (fast)."""
        ...

    def iter_chunks(
        self, path: str | Path, chunk_samples: int = 1_000_000
    ) -> Iterator[tuple[SampleChunk, list[ReadError]]]:
        """Yield chunks of about ``chunk_samples`` samples and the errors met while reading them."""
        ...


class GuardedReader:
    """Base of the readers: every failure is a :class:`ReaderError` naming the file and place.

    Subclasses implement ``_read_info`` and ``_iter_chunks`` and raise :class:`ReaderError` for
    every problem they know of; this is the net under them, so that damage nobody foresaw
    still reaches the walker as a sentence (with how far reading got), never as a traceback.
    ``MemoryError`` is not caught: the limits (:mod:`walkrx.ingest.limits`) keep memory bounded.
    """

    fmt = "sensor"

    def _read_info(self, path: str | Path) -> RecordingInfo:
        raise NotImplementedError

    def _iter_chunks(
        self, path: str | Path, chunk_samples: int
    ) -> Iterator[tuple[SampleChunk, list[ReadError]]]:
        raise NotImplementedError

    def read_info(self, path: str | Path) -> RecordingInfo:
        """Read metadata only (fast)."""
        try:
            return self._read_info(path)
        except (ReaderError, MemoryError):
            raise
        except Exception as exc:
            raise ReaderError(path, self._problem(exc), "the header") from exc

    def iter_chunks(
        self, path: str | Path, chunk_samples: int = 1_000_000
    ) -> Iterator[tuple[SampleChunk, list[ReadError]]]:
        """Yield chunks of about ``chunk_samples`` samples and the errors met reading them."""
        n = 0
        try:
            for chunk, errors in self._iter_chunks(path, chunk_samples):
                chunk, errors = _finite(chunk, errors, n)
                n += len(chunk)
                yield chunk, errors
        except (ReaderError, MemoryError):
            raise
        except Exception as exc:
            raise ReaderError(path, self._problem(exc), f"after sample {n:,}") from exc

    def _problem(self, exc: Exception) -> str:
        return (
            f"the {self.fmt} data are damaged in a way walkrx cannot decode "
            f"({type(exc).__name__}: {exc})"
        )


def _finite(
    chunk: SampleChunk, errors: list[ReadError], before: int
) -> tuple[SampleChunk, list[ReadError]]:
    """The chunk without samples holding a non-finite value (reported, never passed on).

    Every value is checked; the usual all-finite chunk is settled by one flat pass over
    each array (a row-wise ``all(axis=1)`` over three columns costs about 50 times more
    and doubled the decode time of a week-long recording).
    """
    if _all_finite(chunk.acc_g) and (chunk.gyro_dps is None or _all_finite(chunk.gyro_dps)):
        return chunk, errors
    ok = np.isfinite(chunk.acc_g).all(axis=1)
    if chunk.gyro_dps is not None:
        ok &= np.isfinite(chunk.gyro_dps).all(axis=1)
    if ok.all():
        return chunk, errors
    bad = int((~ok).sum())
    first = before + int(np.argmin(ok))
    note = ReadError(
        kind="non-finite",
        message=f"{bad:,} samples with an infinite or undefined value skipped "
        f"(the first is sample {first:,})",
        start_utc_ns=int(chunk.time_ns[~ok][0]),
    )

    def keep(a: npt.NDArray[np.float32] | None) -> npt.NDArray[np.float32] | None:
        return None if a is None else a[ok]

    kept = SampleChunk(
        time_ns=chunk.time_ns[ok],
        acc_g=chunk.acc_g[ok],
        temperature_c=keep(chunk.temperature_c),
        gyro_dps=keep(chunk.gyro_dps),
    )
    return kept, [*errors, note]


def _all_finite(a: npt.NDArray[np.float32]) -> bool:
    """Whether every value of ``a`` is finite (NaN and infinities propagate into min and max)."""
    if a.size == 0:
        return True
    return bool(np.isfinite(a.min()) and np.isfinite(a.max()))
