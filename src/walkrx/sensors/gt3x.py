"""ActiGraph ``.gt3x`` reader.

Samples are decoded by walkrx's own streaming decoder of ``log.bin``
(:mod:`walkrx.sensors._gt3x_log`: ACTIVITY, ACTIVITY2 and ACTIVITY3 records, checksums, idle
sleep mode), block by block, so a week-long file is never whole in memory. Counts are
divided by ``info.txt``'s ``Acceleration Scale`` to give g. Files it does not cover — no
``log.bin`` (the older NHANES layout), no acceleration scale, or a ``calibration.json`` that
says the samples still need ActiGraph's calibration — are decoded by ActiGraph's ``pygt3x``
library instead, whole (about 40 bytes per sample). The two agree sample for sample on the
shared test file (tested).

Times are seconds of the device's local clock. The device clock is set to local time at
initialisation and keeps the ``TimeZone`` offset written in ``info.txt``, so
UTC = local - that offset for the whole file (the ``"fixed"`` clock model of
:mod:`walkrx.sensors._localtime`). When ``info.txt`` has no offset, ``tz`` gives it
(its offset at the first sample); with neither, times are taken as UTC and
``RecordingInfo.extra["tz_assumed"]`` says so.

Idle-sleep-mode periods (the device stops sampling while still) are filled with the last
sample, as ActiGraph's software does; they are kept (:func:`idle_sleep_count` counts them).
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from walkrx.ingest.archive import check_member, open_member, open_zip, read_member
from walkrx.ingest.limits import EARLIEST_NS, LATEST_NS, current
from walkrx.sensors._bounds import Bounds
from walkrx.sensors._gt3x_log import LogDecoder
from walkrx.sensors._localtime import fixed_offset_ns
from walkrx.sensors.base import GuardedReader, ReaderError, ReadError, RecordingInfo, SampleChunk

__all__ = ["Gt3xReader", "iter_chunks", "read_info"]

_NS = 1_000_000_000
_OFFSET_RE = re.compile(r"^\s*(-)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")


def _info_txt(path: Path) -> dict[str, str]:
    lim = current()
    with open_zip(path, ReaderError) as z:
        if "info.txt" not in z.namelist():
            raise ReaderError(path, "zip archive without info.txt: not a .gt3x recording")
        raw = read_member(z, "info.txt", path, ReaderError, lim.max_info_bytes, lim)
    text = raw.decode("utf-8", errors="replace")
    out: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            out[key.strip()] = value.strip()
    return out


def _offset_ns(text: str | None) -> int | None:
    """``"02:00:00"`` / ``"-05:00:00"`` -> ns; None if absent or unreadable."""
    if not text:
        return None
    m = _OFFSET_RE.match(text)
    if not m:
        return None
    sign = -1 if m.group(1) else 1
    secs = int(m.group(2)) * 3600 + int(m.group(3)) * 60 + int(m.group(4) or 0)
    return sign * secs * 1_000_000_000


def _load(path: Path) -> tuple[pd.DataFrame, Any]:
    from pygt3x.reader import FileReader

    lim = current()
    with open_zip(path, ReaderError) as z:  # pygt3x reads members whole: bound them first
        for member in z.infolist():
            check_member(member, path, ReaderError, lim)

    try:
        with FileReader(str(path)) as reader, warnings.catch_warnings():
            # pygt3x's own use of deprecated pandas keywords; nothing the caller can act on.
            warnings.filterwarnings("ignore", message=".*inplace keyword.*")
            return reader.to_pandas(), reader.info
    except ReaderError:
        raise
    except Exception as exc:  # pygt3x raises assorted errors on damaged files
        raise ReaderError(
            path, f"pygt3x could not decode the file: {type(exc).__name__}: {exc}"
        ) from exc


def _metadata(path: Path, tz: str | None, first_local_ns: int | None) -> tuple[RecordingInfo, int]:
    meta = _info_txt(path)
    extra: dict[str, object] = {"info_txt": meta}
    offset = _offset_ns(meta.get("TimeZone"))
    if offset is not None:
        extra["utc_offset_source"] = "info.txt TimeZone"
    elif tz is not None and first_local_ns is not None:
        offset = fixed_offset_ns(tz, first_local_ns)
        extra["utc_offset_source"] = f"offset of {tz} at the first sample"
    else:
        offset = 0
        extra["tz_assumed"] = "no TimeZone in info.txt and no tz given: local times taken as UTC"
    extra["utc_offset_s"] = offset / 1e9
    try:
        rate = float(meta.get("Sample Rate", "nan").replace(",", "."))
    except ValueError:
        rate = float("nan")
    info = RecordingInfo(
        path=str(path),
        device=f"ActiGraph {meta.get('Device Type', 'GT3X')}",
        device_id=meta.get("Serial Number"),
        sample_rate_hz=rate,
        tz=tz,
        extra=extra,
    )
    return info, offset


def read_info(path: str | Path, *, tz: str | None = None) -> RecordingInfo:
    """Metadata from ``info.txt`` (serial, rate, UTC offset); does not decode samples."""
    p = Path(path)
    info, offset = _metadata(p, tz, None)
    meta = info.extra["info_txt"]
    assert isinstance(meta, dict)
    start = meta.get("Start Date")
    if start and start.isdigit():  # .NET ticks (100 ns since 0001-01-01), local time
        local_ns = (int(start) - 621_355_968_000_000_000) * 100
        info.start_utc_ns = local_ns - offset
    return info


def _scale(meta: dict[str, str]) -> float | None:
    try:
        v = float(meta.get("Acceleration Scale", "").replace(",", "."))
    except ValueError:
        return None
    return v if v > 0 else None


def _needs_pygt3x(path: Path, meta: dict[str, str]) -> str | None:
    """Why the streaming decoder cannot read this file (None: it can)."""
    if _scale(meta) is None:
        return "no Acceleration Scale in info.txt"
    rate = meta.get("Sample Rate", "")
    if not rate.isdigit() or int(rate) <= 0:
        return "no whole-number Sample Rate in info.txt"
    lim = current()
    with open_zip(path, ReaderError) as z:
        names = set(z.namelist())
        if "log.bin" not in names:
            return "no log.bin (NHANES layout)"
        if "calibration.json" in names:
            raw = read_member(z, "calibration.json", path, ReaderError, lim.max_info_bytes, lim)
            try:
                cal = json.loads(raw)
            except (ValueError, RecursionError) as exc:
                raise ReaderError(
                    path, f"calibration.json is not JSON: {exc}", "zip member calibration.json"
                ) from exc
            if isinstance(cal, dict) and cal.get("isCalibrated") is False:
                return "calibration.json asks for ActiGraph's calibration"
    return None


def _stream(
    p: Path, meta: dict[str, str], chunk_samples: int, tz: str | None
) -> Iterator[tuple[SampleChunk, list[ReadError]]]:
    rate = int(meta["Sample Rate"])
    scale = _scale(meta)
    assert scale is not None
    offset: int | None = None
    n = 0
    last_utc: int | None = None
    lim = current()
    bounds = Bounds(p, lim)
    with open_zip(p, ReaderError) as z, open_member(z, z.getinfo("log.bin"), p, ReaderError) as f:
        parts = iter(LogDecoder(f, rate, chunk_samples, lim))
        while True:
            try:
                part = next(parts)
            except StopIteration:
                return
            except ReaderError as exc:
                # the compressed member itself is damaged: what came before was delivered
                after = "" if last_utc is None else f" (after the sample at UTC ns {last_utc})"
                raise ReaderError(
                    p,
                    f"log.bin cannot be decompressed past sample {n:,}{after}: {exc.problem}",
                    where="log.bin",
                ) from exc
            bounds.take(part.local_s.size, f"log.bin, sample {n:,}")
            local = part.local_s * _NS + np.round(part.index * (1e6 / rate)).astype(np.int64) * 1000
            if offset is None:
                _, offset = _metadata(p, tz, int(local[0]) if local.size else None)
            errors = [
                ReadError(
                    kind=q.kind,
                    message=f"log.bin byte {q.offset}: {q.message}",
                    start_utc_ns=None if q.local_s is None else q.local_s * _NS - offset,
                )
                for q in part.problems
            ]
            acc = (part.counts.astype(np.float32) / np.float32(scale)).astype(np.float32)
            n += local.size
            if local.size:
                last_utc = int(local[-1] - offset)
            yield SampleChunk(time_ns=local - offset, acc_g=acc), errors


def iter_chunks(
    path: str | Path, chunk_samples: int = 1_000_000, *, tz: str | None = None
) -> Iterator[tuple[SampleChunk, list[ReadError]]]:
    """Yield the decoded samples (UTC ns, g) in chunks of about ``chunk_samples``."""
    p = Path(path)
    meta = _info_txt(p)  # validates the container first
    if _needs_pygt3x(p, meta) is None:
        yield from _stream(p, meta, chunk_samples, tz)
        return
    df, _ = _load(p)
    secs = df.index.to_numpy(dtype=np.float64)
    bounds = Bounds(p)
    bounds.take(secs.size, "pygt3x output")
    plausible = np.isfinite(secs) & (secs * _NS >= EARLIEST_NS) & (secs * _NS < LATEST_NS)
    errors: list[ReadError] = []
    if plausible.any():
        bounds.anchor = int(secs[plausible][0] * _NS)
        lo, hi = bounds.window()
        plausible &= (secs * _NS >= lo) & (secs * _NS <= hi)
    if not plausible.all():
        errors.append(
            ReadError(
                kind="implausible-time",
                message=f"{int((~plausible).sum()):,} samples whose time {bounds.text}",
            )
        )
        df, secs = df[plausible], secs[plausible]
    local_ns = np.round(secs * 1e6).astype(np.int64) * 1000
    _, offset = _metadata(p, tz, int(local_ns[0]) if local_ns.size else None)
    utc = local_ns - offset
    acc = df[["X", "Y", "Z"]].to_numpy(dtype=np.float32)
    step = max(1, int(chunk_samples))
    if not utc.size and errors:
        yield SampleChunk(time_ns=utc, acc_g=acc), errors
    for lo in range(0, utc.size, step):
        yield (
            SampleChunk(time_ns=utc[lo : lo + step], acc_g=acc[lo : lo + step]),
            (errors if lo == 0 else []),
        )


class Gt3xReader(GuardedReader):
    """``.gt3x`` reader with its options bound, following :class:`walkrx.sensors.base.Reader`."""

    fmt = "gt3x"

    def __init__(self, tz: str | None = None) -> None:
        self.tz = tz

    def _read_info(self, path: str | Path) -> RecordingInfo:
        """Metadata from ``info.txt``."""
        return read_info(path, tz=self.tz)

    def _iter_chunks(
        self, path: str | Path, chunk_samples: int = 1_000_000
    ) -> Iterator[tuple[SampleChunk, list[ReadError]]]:
        """Yield decoded samples."""
        return iter_chunks(path, chunk_samples, tz=self.tz)


def idle_sleep_count(path: str | Path) -> int:
    """Number of samples filled in for idle sleep mode."""
    p = Path(path)
    meta = _info_txt(p)
    if _needs_pygt3x(p, meta) is None:
        with (
            open_zip(p, ReaderError) as z,
            open_member(z, z.getinfo("log.bin"), p, ReaderError) as f,
        ):
            return sum(part.idle_fill for part in LogDecoder(f, int(meta["Sample Rate"])))
    df, _ = _load(p)
    return int(df["IdleSleepMode"].sum())
