"""Rebuild the fixture files that are conversions of an upstream file (test tooling only).

Each converter reads the downloaded upstream file(s) and writes one fixture file exactly as the
folder's README describes it; ``scripts/fetch_fixtures.py`` then checks the result against the
SHA-256 in the registry and refuses it when it differs. The conversions:

- ``oxford_pocket`` (``pocket-steps/<name>.csv``): Oxford step counter accelerometer CSV, rows
  ``timestamp_ns, ..., x, y, z`` (optimisation: ``ns,sensor,x,y,z``; validation:
  ``ns,x,y,z,...``) -> ``time`` in s from the first row (4 decimals), acceleration in g
  (m/s² ÷ 9.80665, 6 decimals).
- ``ipol_lowerback`` (``lowerback-walks/S<n>/Trial<m>/lowerback.csv``): IPOL gait data set
  ``GaitData/<n>-<m>_lb.txt`` (XSens, 100 Hz, m/s² and rad/s) -> ``time`` = PacketCounter ÷ 100 s
  from the first packet (2 decimals), acc in g (6 decimals), gyr in deg/s (4 decimals); dropped
  radio packets (gaps in the 16-bit PacketCounter) filled by linear interpolation.
- ``stepcount_wrist`` (``wrist-free-living/P30_minutes_00-15/wrist.csv``): the first 90 000 rows
  (15 min at 100 Hz) of ``P30_wrist100.csv.gz`` -> ``time`` = row ÷ 100 s (2 decimals), x/y/z in g
  (6 decimals). The column layout of the gzip file could not be read where this was written: the
  converter takes the columns named x, y, z (any case) and the hash check decides.
"""

from __future__ import annotations

import csv
import gzip
import math
from collections.abc import Callable
from pathlib import Path

G = 9.80665
RAD_TO_DEG = 180.0 / math.pi


def oxford_pocket(inputs: list[Path], out: Path) -> None:
    """Oxford step counter accelerometer CSV -> ``time,acc_x,acc_y,acc_z`` in s and g."""
    src = inputs[0]
    validation = src.parent.name == "validation" or "_frontpocket_" in src.name
    rows = []
    with open(src, newline="") as fh:
        for line_no, row in enumerate(csv.reader(fh), 1):
            if not row:
                continue
            try:
                t = int(row[0])
                xyz = [float(v) for v in (row[1:4] if validation else row[2:5])]
            except (ValueError, IndexError) as exc:
                raise ValueError(
                    f"{src}: line {line_no}: not an accelerometer row ({exc})"
                ) from None
            rows.append((t, xyz))
    if not rows:
        raise ValueError(f"{src}: no accelerometer rows")
    t0 = rows[0][0]
    with open(out, "w", newline="") as fh:
        fh.write("time,acc_x,acc_y,acc_z\n")
        for t, (x, y, z) in rows:
            fh.write(f"{(t - t0) / 1e9:.4f},{x / G:.6f},{y / G:.6f},{z / G:.6f}\n")


def ipol_lowerback(inputs: list[Path], out: Path) -> None:
    """IPOL ``<n>-<m>_lb.txt`` -> ``time,acc_x..gyr_z`` in s, g and deg/s, gaps interpolated."""
    src = inputs[0]
    with open(src) as fh:
        first = fh.readline()
        if not first.startswith("Acquisition frequency"):
            raise ValueError(f"{src}: line 1: expected 'Acquisition frequency: 100 Hz'")
        header = fh.readline().split()
        want = ["PacketCounter", "Acc_X", "Acc_Y", "Acc_Z", "Gyr_X", "Gyr_Y", "Gyr_Z"]
        try:
            cols = [header.index(c) for c in want]
        except ValueError:
            raise ValueError(f"{src}: line 2: expected the columns {want}") from None
        packets: list[int] = []
        values: list[list[float]] = []
        last = None
        offset = 0
        for line_no, line in enumerate(fh, 3):
            parts = line.split()
            if not parts:
                continue
            raw = int(float(parts[cols[0]]))
            if last is not None and raw + offset < last:
                offset += 65536  # the XSens packet counter is 16 bits and wraps
            last = raw + offset
            packets.append(last)
            try:
                values.append([float(parts[c]) for c in cols[1:]])
            except (ValueError, IndexError):
                raise ValueError(f"{src}: line {line_no}: not a sample row") from None
    if not packets:
        raise ValueError(f"{src}: no samples")
    with open(out, "w", newline="") as fh:
        fh.write("time,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z\n")
        p0 = packets[0]
        for i, (p, v) in enumerate(zip(packets, values, strict=True)):
            if i:
                prev_p, prev_v = packets[i - 1], values[i - 1]
                for k in range(prev_p + 1, p):  # dropped packets: linear interpolation
                    w = (k - prev_p) / (p - prev_p)
                    _write_ipol_row(
                        fh, k - p0, [a + w * (b - a) for a, b in zip(prev_v, v, strict=True)]
                    )
            _write_ipol_row(fh, p - p0, v)


def _write_ipol_row(fh: object, packet: int, v: list[float]) -> None:
    acc = ",".join(f"{a / G:.6f}" for a in v[:3])
    gyr = ",".join(f"{g * RAD_TO_DEG:.4f}" for g in v[3:])
    fh.write(f"{packet / 100:.2f},{acc},{gyr}\n")  # type: ignore[attr-defined]


def stepcount_wrist(inputs: list[Path], out: Path, rows: int = 90_000) -> None:
    """``P30_wrist100.csv.gz`` -> the first 15 minutes as ``time,acc_x,acc_y,acc_z`` (s, g)."""
    src = inputs[0]
    with gzip.open(src, "rt", newline="") as fh:
        reader = csv.reader(fh)
        header = [h.strip().strip('"').lower() for h in next(reader)]
        try:
            ix = [header.index(c) for c in ("x", "y", "z")]
        except ValueError:
            raise ValueError(f"{src}: line 1: no x, y, z columns in {header}") from None
        with open(out, "w", newline="") as dst:
            dst.write("time,acc_x,acc_y,acc_z\n")
            for i, row in enumerate(reader):
                if i >= rows:
                    break
                x, y, z = (float(row[j]) for j in ix)
                dst.write(f"{i / 100:.2f},{x:.6f},{y:.6f},{z:.6f}\n")


CONVERTERS: dict[str, Callable[[list[Path], Path], None]] = {
    "oxford_pocket": oxford_pocket,
    "ipol_lowerback": ipol_lowerback,
    "stepcount_wrist": stepcount_wrist,
}
