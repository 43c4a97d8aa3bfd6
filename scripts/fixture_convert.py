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
- ``mobgap_lab`` (``lowerback-lab/<cohort>_<id>/<test>_<trial>/``): one trial of mobgap's
  MATLAB ``data.mat``, as ``lowerback.csv`` and ``reference.json``.

The step references of the other folders are rebuilt by ``scripts/fixture_references.py``.
"""

from __future__ import annotations

import csv
import gzip
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

G = 9.80665
RAD_TO_DEG = 180.0 / math.pi


@dataclass(frozen=True)
class Origin:
    """Where the inputs of one conversion came from (named in the rebuilt file)."""

    repository: str
    commit: str
    paths: tuple[str, ...]
    #: The fixture file being rebuilt, e.g. ``lowerback-lab/HA_001/Test5_Trial1/lowerback.csv``.
    target: str = ""


def oxford_pocket(inputs: list[Path], out: Path, origin: Origin | None = None) -> None:
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


def ipol_lowerback(inputs: list[Path], out: Path, origin: Origin | None = None) -> None:
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


def stepcount_wrist(
    inputs: list[Path], out: Path, origin: Origin | None = None, rows: int = 90_000
) -> None:
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


LAB_HEAD = {
    "source": "Mobilise-D lab example data (mobgap example_data, Apache-2.0), INDIP reference system",
}
LAB_SENSOR = (
    "lower back (L5), axes: acc_x vertical (+1 g upright), acc_y medio-lateral, acc_z "
    "antero-posterior; acc in g, gyr in deg/s"
)


def _mat_trial(mat: Path, target: str) -> tuple[str, str, str, Any]:
    """Cohort, test, trial and the MATLAB struct of ``lowerback-lab/<cohort>_<id>/<test>_<trial>/``."""
    from scipy.io import loadmat  # walkrx already depends on scipy

    parts = target.split("/")
    cohort = parts[1].split("_")[0]
    test, trial = parts[2].split("_")
    data = loadmat(str(mat), squeeze_me=True, struct_as_record=False, mat_dtype=True)["data"]
    return cohort, test, trial, getattr(getattr(data.TimeMeasure1, test), trial)


def _iso_ms(seconds: float, zone: Any = None) -> str:
    from datetime import UTC, datetime, timedelta

    t = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=round(seconds * 1000))
    if zone is None:
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"
    return t.astimezone(zone).isoformat(timespec="milliseconds")


def _bouts(structs: Any) -> list[dict[str, Any]]:
    import numpy as np

    out = []
    for wb in np.atleast_1d(structs):  # one bout loads as a struct, several as an array
        ics = [float(x) for x in np.atleast_1d(wb.InitialContact_Event)]
        out.append(
            {
                "start_s": float(wb.Start),
                "end_s": float(wb.End),
                "initial_contacts_s": [x for x in ics if not math.isnan(x)],
                "n_strides": int(wb.NumberStrides),
                "cadence_spm": float(wb.Cadence),
                "walking_speed_mps": float(wb.WalkingSpeed),
            }
        )
    return out


def mobgap_lab(inputs: list[Path], out: Path, origin: Origin) -> None:
    """One lab trial of mobgap's ``data.mat`` as ``lowerback.csv`` or ``reference.json``.

    The CSV: the lower-back sensor (``SU.LowerBack``) as stored, acc in g (6 decimals), gyr in
    deg/s (4 decimals), time = ``Timestamp`` (Unix s) as UTC ISO 8601 with milliseconds. The
    reference: the INDIP system's ``ContinuousWalkingPeriod`` and ``MicroWB`` (start, end,
    initial contacts without NaN, strides, cadence, walking speed) as stored, in s from the first
    sample. Written from mobgap's own loader; the upstream file could not be read where this was
    written, so the hash check decides whether it reproduces the fixture.
    """
    from zoneinfo import ZoneInfo

    import numpy as np

    cohort, test, trial, t = _mat_trial(inputs[0], origin.target)
    lb = t.SU.LowerBack
    ts = np.atleast_1d(lb.Timestamp).astype(float)
    if origin.target.endswith(".csv"):
        acc, gyr = np.atleast_2d(lb.Acc), np.atleast_2d(lb.Gyr)
        with open(out, "w", newline="") as fh:
            fh.write("time,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z\n")
            for i, stamp in enumerate(ts):
                a = ",".join(f"{v:.6f}" for v in acc[i])
                g = ",".join(f"{v:.4f}" for v in gyr[i])
                fh.write(f"{_iso_ms(stamp)},{a},{g}\n")
        return
    indip = t.Standards.INDIP
    ref: dict[str, Any] = dict(LAB_HEAD)
    ref.update(
        {
            "cohort": cohort,
            "test": test,
            "trial": trial,
            "start_datetime_local": _iso_ms(ts[0], ZoneInfo(str(t.TimeZone))),
            "timezone": str(t.TimeZone),
            "sampling_rate_hz": int(lb.Fs.Acc),
            "n_samples": int(ts.size),
            "sensor": LAB_SENSOR,
            "times_are": "seconds from the first sample",
            "continuous_walking_periods": _bouts(indip.ContinuousWalkingPeriod),
            "micro_walking_bouts": _bouts(indip.MicroWB),
        }
    )
    out.write_text(json.dumps(ref, indent=1))


CONVERTERS: dict[str, Callable[[list[Path], Path, Origin], None]] = {
    "oxford_pocket": oxford_pocket,
    "ipol_lowerback": ipol_lowerback,
    "stepcount_wrist": stepcount_wrist,
    "mobgap_lab": mobgap_lab,
}
