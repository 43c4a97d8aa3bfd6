"""CSV reader: one row per sample, a time column and three accelerometer columns in g.

Columns are found by header, case-insensitively: ``time`` (or ``timestamp``)
and ``x,y,z`` or ``acc_x,acc_y,acc_z``; other columns are ignored, except
``gyr_x,gyr_y,gyr_z`` (or ``gyro_x..``), which are kept as deg/s. Any other
layout takes an explicit ``columns={"time": ..., "x": ..., "y": ..., "z": ...}``.

Times, decided per file from the first data row and then required of every row:

* ISO 8601 with an offset or ``Z`` — used as is;
* ISO 8601 without an offset — local wall time of ``tz`` (required), DST-aware
  (see :mod:`walkrx.sensors._localtime`, ``"wall"`` model);
* numbers — seconds since 1970-01-01 UTC, or seconds from ``start`` when one
  is given.

Line numbers in errors are 1-based file lines (the header is line 1).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from walkrx.sensors._bounds import Bounds
from walkrx.sensors._localtime import LocalToUtc, check_zone
from walkrx.sensors.base import GuardedReader, ReaderError, ReadError, RecordingInfo, SampleChunk

__all__ = ["CsvReader", "iter_chunks", "read_info", "resolve_columns"]

_TIME_NAMES = ("time", "timestamp")
_AXES = (("x", "y", "z"), ("acc_x", "acc_y", "acc_z"))
_GYRO = (("gyr_x", "gyr_y", "gyr_z"), ("gyro_x", "gyro_y", "gyro_z"))
_OFFSET_RE = re.compile(r"(?:Z|z|[+-]\d\d(?::?\d\d)?)$")

TimeKind = Literal["aware", "naive", "numeric"]
#: Largest magnitude of an acceleration (g) or rotation rate (deg/s) a row may hold.
MAX_ABS_VALUE = 1e5


def _header(path: Path) -> list[str]:
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as f:
            first = f.readline()
    except UnicodeDecodeError as exc:
        raise ReaderError(path, "not a text CSV file (bytes are not UTF-8)", "line 1") from exc
    except OSError as exc:
        raise ReaderError(path, f"cannot open: {exc.strerror or exc}") from exc
    if not first.strip():
        raise ReaderError(path, "empty file or empty first line: no CSV header", "line 1")
    if "\x00" in first:
        raise ReaderError(path, "NUL bytes in the header: not a text CSV file", "line 1")
    try:
        return [c.strip() for c in next(csv.reader([first]))]
    except csv.Error as exc:
        raise ReaderError(path, f"unreadable CSV header: {exc}", "line 1") from exc


def resolve_columns(
    path: str | Path, names: list[str], columns: dict[str, str] | None = None
) -> dict[str, str]:
    """Map the roles ``time, x, y, z`` (and optional ``gx, gy, gz``) to actual column names."""
    lower = {n.lower(): n for n in names}
    if columns:
        missing = [v for v in columns.values() if v not in names and v.lower() not in lower]
        if missing or not {"time", "x", "y", "z"} <= columns.keys():
            raise ReaderError(
                path,
                f"column mapping {columns} needs keys time,x,y,z naming header columns; "
                f"header is {names}",
                "line 1",
            )
        return {k: (v if v in names else lower[v.lower()]) for k, v in columns.items()}
    out: dict[str, str] = {}
    for t in _TIME_NAMES:
        if t in lower:
            out["time"] = lower[t]
            break
    for axes in _AXES:
        if all(a in lower for a in axes):
            out.update({k: lower[a] for k, a in zip(("x", "y", "z"), axes, strict=True)})
            break
    if len(out) != 4:
        raise ReaderError(
            path,
            f"header {names} has no time,x,y,z or time,acc_x,acc_y,acc_z columns; "
            "pass columns={'time':..., 'x':..., 'y':..., 'z':...}",
            "line 1",
        )
    for gyro in _GYRO:
        if all(g in lower for g in gyro):
            out.update({k: lower[g] for k, g in zip(("gx", "gy", "gz"), gyro, strict=True)})
            break
    return out


def _time_kind(value: str) -> TimeKind:
    try:
        float(value)
        return "numeric"
    except ValueError:
        pass
    return "aware" if _OFFSET_RE.search(value.strip()) else "naive"


def _start_ns(start: str | datetime | int | float | None, tz: str | None) -> int | None:
    """``start`` (aware datetime/ISO, naive + tz, or epoch ns) -> UTC ns."""
    if start is None:
        return None
    if isinstance(start, int | float) and not isinstance(start, bool):
        return int(start)
    ts = pd.Timestamp(start)
    if ts.tzinfo is None:
        if tz is None:
            raise ValueError("a naive start needs tz")
        ts = ts.tz_localize(tz)
    return int(ts.tz_convert("UTC").value)


class _Parser:
    """Turns one raw chunk into samples, checking every row."""

    def __init__(
        self, path: Path, cols: dict[str, str], tz: str | None, start_ns: int | None
    ) -> None:
        self.path = path
        self.cols = cols
        self.tz = tz
        self.start_ns = start_ns
        self.kind: TimeKind | None = None
        self.conv = LocalToUtc(tz, "wall") if tz else None
        self.bounds = Bounds(path)

    def _bad(self, line: int, problem: str) -> ReaderError:
        return ReaderError(self.path, problem, f"line {line}")

    def parse(self, raw: pd.DataFrame, first_line: int) -> tuple[SampleChunk, list[ReadError]]:
        """Samples of the rows, less those whose time lies outside the plausible span."""
        chunk = self._parse(raw, first_line)
        t = chunk.time_ns
        lo, hi = self.bounds.window()
        ok = (t >= lo) & (t <= hi)
        if self.bounds.anchor is None and ok.any():
            self.bounds.anchor = int(t[np.argmax(ok)])
            lo, hi = self.bounds.window()
            ok = (t >= lo) & (t <= hi)
        self.bounds.take(int(ok.sum()), f"line {first_line + len(t) - 1}")
        if ok.all():
            return chunk, []
        bad = np.flatnonzero(~ok)
        col = raw[self.cols["time"]].astype(str)
        errors = [
            ReadError(
                kind="implausible-time",
                message=(
                    f"{self.path}: line {first_line + int(i)}: time {col.iloc[int(i)]!r} "
                    f"{self.bounds.text}"
                ),
            )
            for i in bad[:20]
        ]
        if bad.size > 20:
            errors.append(
                ReadError(
                    kind="implausible-time",
                    message=f"{self.path}: {bad.size - 20} more lines up to line "
                    f"{first_line + int(bad[-1])} skipped for the same reason",
                )
            )
        return (
            SampleChunk(
                time_ns=t[ok],
                acc_g=chunk.acc_g[ok],
                gyro_dps=None if chunk.gyro_dps is None else chunk.gyro_dps[ok],
            ),
            errors,
        )

    def _parse(self, raw: pd.DataFrame, first_line: int) -> SampleChunk:
        n = len(raw)
        lines = first_line + np.arange(n)
        acc = np.empty((n, 3), dtype=np.float64)
        for j, role in enumerate(("x", "y", "z")):
            acc[:, j] = self._numeric(raw[self.cols[role]], lines, role)
        gyro = None
        if "gx" in self.cols:
            gyro = np.empty((n, 3), dtype=np.float64)
            for j, role in enumerate(("gx", "gy", "gz")):
                gyro[:, j] = self._numeric(raw[self.cols[role]], lines, role)
        times = self._times(raw[self.cols["time"]].astype(str), lines)
        return SampleChunk(
            time_ns=times,
            acc_g=acc.astype(np.float32),
            gyro_dps=None if gyro is None else gyro.astype(np.float32),
        )

    def _numeric(
        self, col: pd.Series, lines: npt.NDArray[np.int64], role: str
    ) -> npt.NDArray[np.float64]:
        vals = pd.to_numeric(col, errors="coerce").to_numpy(dtype=np.float64)
        bad = ~np.isfinite(vals)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise self._bad(
                int(lines[i]), f"column {self.cols[role]!r}: {col.iloc[i]!r} is not a number"
            )
        wild = np.abs(vals) > MAX_ABS_VALUE
        if wild.any():
            i = int(np.flatnonzero(wild)[0])
            raise self._bad(
                int(lines[i]),
                f"column {self.cols[role]!r}: {col.iloc[i]!r} is beyond any sensor's range "
                f"(|value| <= {MAX_ABS_VALUE:g})",
            )
        return vals

    def _times(self, col: pd.Series, lines: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        if self.kind is None:
            self.kind = _time_kind(col.iloc[0])
            if self.kind == "naive" and self.tz is None:
                raise self._bad(
                    int(lines[0]),
                    f"time {col.iloc[0]!r} has no UTC offset: give the zone it was recorded in (tz=...)",
                )
        if self.kind == "numeric":
            secs = pd.to_numeric(col, errors="coerce").to_numpy(dtype=np.float64)
            self._check(np.isfinite(secs), col, lines, "is not a number of seconds")
            # beyond 2100 (or before 1827) a time is out of range anyway: keep int64 safe
            wild = np.abs(secs) > 4.1e9
            secs = np.where(wild, 0.0, secs)
            ns = np.round(secs * 1e9).astype(np.int64)
            ns[wild] = np.iinfo(np.int64).min  # outside any window: reported and skipped
            start = self.start_ns or 0
            if start and not wild.all():
                ns[~wild] += start
            return ns
        parsed = pd.to_datetime(col, format="ISO8601", errors="coerce", utc=True)
        self._check(parsed.notna().to_numpy(), col, lines, "is not an ISO 8601 time")
        has_off = col.str.strip().str.contains(_OFFSET_RE, regex=True).to_numpy()
        want = self.kind == "aware"
        self._check(has_off == want, col, lines, "mixes times with and without a UTC offset")
        # Naive strings parsed with utc=True are the wall-clock readings counted as if UTC.
        ns = parsed.dt.tz_localize(None).to_numpy("datetime64[ns]").view(np.int64)
        if want:
            return ns
        assert self.conv is not None
        return self.conv(ns)

    def _check(
        self, ok: npt.NDArray[np.bool_], col: pd.Series, lines: npt.NDArray[np.int64], what: str
    ) -> None:
        if not ok.all():
            i = int(np.flatnonzero(~ok)[0])
            raise self._bad(int(lines[i]), f"time {col.iloc[i]!r} {what}")


class CsvReader(GuardedReader):
    """CSV reader with its options bound, following :class:`walkrx.sensors.base.Reader`."""

    fmt = "CSV"

    def __init__(
        self,
        tz: str | None = None,
        columns: dict[str, str] | None = None,
        start: str | datetime | int | float | None = None,
    ) -> None:
        self.tz = tz
        self.columns = columns
        self.start = start

    def _read_info(self, path: str | Path) -> RecordingInfo:
        """Header, columns, start time and the rate from the first rows."""
        return read_info(path, tz=self.tz, columns=self.columns, start=self.start)

    def _iter_chunks(
        self, path: str | Path, chunk_samples: int = 1_000_000
    ) -> Iterator[tuple[SampleChunk, list[ReadError]]]:
        """Yield chunks of samples; a bad row raises :class:`ReaderError` with its line."""
        return iter_chunks(path, chunk_samples, tz=self.tz, columns=self.columns, start=self.start)


def iter_chunks(
    path: str | Path,
    chunk_samples: int = 1_000_000,
    *,
    tz: str | None = None,
    columns: dict[str, str] | None = None,
    start: str | datetime | int | float | None = None,
) -> Iterator[tuple[SampleChunk, list[ReadError]]]:
    """Read a CSV in chunks of ``chunk_samples`` rows (UTC ns, g)."""
    p = Path(path)
    if tz is not None:
        try:
            check_zone(tz)
        except ValueError as exc:
            raise ReaderError(p, str(exc)) from exc
    names = _header(p)
    cols = resolve_columns(p, names, columns)
    parser = _Parser(p, cols, tz, _start_ns(start, tz))
    line = 2
    try:
        reader = pd.read_csv(
            p,
            dtype=str,
            index_col=False,
            chunksize=max(1, int(chunk_samples)),
            skip_blank_lines=False,
            encoding="utf-8-sig",
            keep_default_na=False,
        )
        for raw in reader:
            chunk, errors = parser.parse(raw, line)
            line += len(raw)
            yield chunk, errors
    except (pd.errors.ParserError, csv.Error) as exc:
        m = re.search(r"line (\d+)", str(exc))
        where = f"line {m.group(1)}" if m else f"after line {line}"
        raise ReaderError(p, f"malformed row: {exc}", where) from exc
    except UnicodeDecodeError as exc:
        raise ReaderError(p, "bytes are not UTF-8 text", f"after line {line}") from exc
    except (ValueError, OverflowError) as exc:
        raise ReaderError(p, f"unreadable row: {exc}", f"after line {line}") from exc


def read_info(
    path: str | Path,
    *,
    tz: str | None = None,
    columns: dict[str, str] | None = None,
    start: str | datetime | int | float | None = None,
) -> RecordingInfo:
    """Columns, time kind, first time and the rate estimated from the median step of the first rows."""
    p = Path(path)
    first = next(iter_chunks(p, 5000, tz=tz, columns=columns, start=start), None)
    names = _header(p)
    cols = resolve_columns(p, names, columns)
    extra: dict[str, object] = {"columns": cols, "header": names}
    rate = float("nan")
    start_ns = None
    if first is not None and len(first[0]):
        t = first[0].time_ns
        start_ns = int(t[0])
        steps = np.diff(t)
        if steps.size and np.median(steps) > 0:
            rate = float(1e9 / np.median(steps))
        try:
            first_time = pd.read_csv(p, usecols=[cols["time"]], nrows=1, dtype=str).iloc[0, 0]
        except (ValueError, IndexError, pd.errors.ParserError, csv.Error) as exc:
            raise ReaderError(p, f"unreadable first row: {exc}", "line 2") from exc
        extra["time_kind"] = _time_kind(str(first_time))
    return RecordingInfo(
        path=str(p),
        device="CSV",
        device_id=None,
        sample_rate_hz=rate,
        tz=tz,
        start_utc_ns=start_ns,
        extra=extra,
    )
