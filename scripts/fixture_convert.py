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
import json
import math
import statistics
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
    target: str = (
        ""  # the fixture file being rebuilt, e.g. "lowerback-lab/HA_001/Test5_Trial1/lowerback.csv"
    )


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


OXFORD_NOTES = {
    "optimisation": (
        "steps = rising edges (0->1) of either foot switch of the shoe-mounted ground-truth device "
        "(same rule as optimisation/stats.js); IC times = phone receive time of the rising edge "
        "(device state sampled ~every 90 ms over BLE, so timing is approximate, +/-0.1 s). "
        "Accelerometer: Android TYPE_ACCELEROMETER (includes gravity), m/s^2 divided by 9.80665; "
        "irregular sampling, time = phone timestamp."
    ),
    "validation": (
        "steps = increase of the cumulative ground-truth-device step column (col 6); IC times = "
        "phone time at which the count incremented (approximate). Accelerometer m/s^2 divided by "
        "9.80665."
    ),
}
OXFORD_PLACEMENTS = {
    "FrontPocket": "front trouser pocket (thigh proxy)",
    "frontpocket": "front trouser pocket (thigh proxy)",
    "SwingingArm": "held in swinging hand (wrist/hand proxy)",
}


def _int_rows(path: Path) -> list[list[str]]:
    with open(path, newline="") as fh:
        return [row for row in csv.reader(fh) if row]


def oxford_pocket_reference(inputs: list[Path], out: Path, origin: Origin) -> None:
    """The step reference of one Oxford recording, as ``pocket-steps/<name>.reference.json``.

    Optimisation folders (inputs: accelerometer.csv, stepcounter.csv, optional notes.txt): one
    step per rising edge (0 -> 1) of either foot switch, counted as the data set's own
    ``optimisation/stats.js`` counts them. Validation files (one CSV): one step per increase of
    the ground-truth device's cumulative step column (column 6). Times in s from the first
    accelerometer sample, 3 decimals; sampling figures from the phone's nanosecond timestamps.
    """
    first = origin.paths[0]
    validation = first.startswith("validation/")
    acc = _int_rows(inputs[0])
    ns = [int(r[0]) for r in acc]
    t0 = ns[0]
    ics: list[float] = []
    if validation:
        prev = int(acc[0][5])
        for r in acc[1:]:
            count = int(r[5])
            if count > prev:
                ics.append(round((int(r[0]) - t0) / 1e9, 3))
            prev = count
        stem = first.rsplit("/", 1)[-1].removesuffix(".csv")
        user, where = stem.split("_")[:2]
        head: dict[str, object] = {
            "placement": OXFORD_PLACEMENTS[where],
            "phone": "Samsung S6",
            "user": user,
        }
        source = first
    else:
        gt = _int_rows(inputs[1])
        for prev_row, row in zip(gt, gt[1:], strict=False):
            for foot in (1, 2):
                if int(row[foot]) - int(prev_row[foot]) == 1:
                    ics.append(round((int(row[0]) - t0) / 1e9, 3))
        name = first.split("/")[2]
        phone, user, surface, where = name.split("_")[:4]
        note = inputs[2].read_text().strip() if len(inputs) > 2 else None
        head = {
            "placement": OXFORD_PLACEMENTS[where],
            "phone": phone,
            "user": user,
            "surface": surface,
        }
        source = first.rsplit("/", 1)[0] + "/"
    ref: dict[str, object] = {"source": f"github.com/{origin.repository}@{origin.commit} {source}"}
    ref.update(head)
    ref["steps"] = len(ics)
    ref["initial_contacts_s"] = ics
    if not validation:
        ref["gt_in_acc_window"] = t0 <= int(gt[0][0]) and int(gt[-1][0]) <= ns[-1]
        ref["operator_note"] = note
    ref["notes"] = OXFORD_NOTES["validation" if validation else "optimisation"]
    dt = [b - a for a, b in zip(ns, ns[1:], strict=False)]
    ref["fs_median"] = round(1e9 / statistics.median(dt), 2)
    ref["dt_max_s"] = round(max(dt) / 1e9, 3)
    ref["duration_s"] = round((ns[-1] - t0) / 1e9, 2)
    ref["n_samples"] = len(ns)
    out.write_text(json.dumps(ref, indent=1))


IPOL_NOTES = (
    "IC = heel strike = 2nd element of each [toe-off, heel-strike] swing pair in "
    "Left/RightFootEvents, mapped from the foot-sensor grid to this lower-back grid via the shared "
    "Awinda PacketCounter. Events were detected on the FOOT IMUs by validated algorithms and "
    "manually checked (no optical/force-plate reference). Annotated steps cover the whole "
    "recording, including a few steps after TrialBoundaries (participant moving after the trial); "
    '"steps_in_bout" counts only ICs inside the bout. bout = TrialBoundaries (first toe-off .. last '
    "heel strike of the 10 m walk, U-turn, 10 m walk back). bouts/uturn use the foot-grid index "
    "directly (<=20 ms ambiguity)."
)


def _packet_counters(path: Path) -> list[int]:
    """The unwrapped 16-bit PacketCounter of an IPOL ``.txt`` recording, one per row."""
    out: list[int] = []
    offset = 0
    with open(path) as fh:
        fh.readline()
        col = fh.readline().split().index("PacketCounter")
        for line in fh:
            parts = line.split()
            if not parts:
                continue
            raw = int(float(parts[col]))
            if out and raw + offset < out[-1]:
                offset += 65536
            out.append(raw + offset)
    return out


def ipol_reference(inputs: list[Path], out: Path, origin: Origin) -> None:
    """The gait reference of one IPOL trial, as ``lowerback-walks/S<n>/Trial<m>/reference.json``.

    Inputs: ``<n>-<m>.json`` (events as foot-sensor row indices), ``_lb.txt``, ``_lf.txt``,
    ``_rf.txt``. A heel strike at foot row ``i`` lands at ``(PacketCounter_foot[i] -
    PacketCounter_lowerback[0]) / 100`` s on the lower-back grid; the bout and the U-turn use the
    foot row index / 100 directly; a step is in the bout when its foot row index is.
    """
    events = json.loads(inputs[0].read_text())
    lb = _packet_counters(inputs[1])
    lb0 = lb[0]

    def mapped(foot: Path, pairs: list[list[int]]) -> list[tuple[int, float]]:
        pc = _packet_counters(foot)
        shift = 0
        while pc[0] + shift - lb0 < -32768:  # the two counters wrapped apart
            shift += 65536
        while pc[0] + shift - lb0 >= 32768:
            shift -= 65536
        return [(hs, round((pc[hs] + shift - lb0) / 100, 2)) for _, hs in pairs if hs < len(pc)]

    left = mapped(inputs[2], events["LeftFootEvents"])
    right = mapped(inputs[3], events["RightFootEvents"])
    start, end = events["TrialBoundaries"]
    both = sorted(left + right, key=lambda e: e[1])
    in_bout = [t for i, t in both if start <= i <= end]
    stem = inputs[0].name.removesuffix(".json")
    ref = {
        "source": f"github.com/{origin.repository}@{origin.commit} GaitData/{stem}.json + {stem}_lb.txt",
        "population": "healthy adult",
        "subject": {
            "id": f"S{int(events['Subject']):02d}",
            "age": events["Age"],
            "sex": events["Gender"],
            "height_cm": events["Height"],
            "weight_kg": events["Weight"],
        },
        "protocol": "stand, walk 10 m, turn 180 degrees, walk back, stop",
        "continuous_walking_periods": [
            {
                "start_s": round(start / 100, 2),
                "end_s": round(end / 100, 2),
                "initial_contacts_s": in_bout,
                "n_steps": len(in_bout),
            }
        ],
        "uturn_s": [round(u / 100, 2) for u in events["UTurnBoundaries"]],
        "initial_contacts_left_s": [t for _, t in left],
        "initial_contacts_right_s": [t for _, t in right],
        "all_initial_contacts_s": [t for _, t in both],
        "dropped_packets_interpolated": (lb[-1] - lb0 + 1) - len(lb),
        "notes": IPOL_NOTES,
    }
    out.write_text(json.dumps(ref, indent=1))


WRIST_REFERENCE_HEAD = {
    "source": (
        "github.com/jhuwit/stepcount inst/extdata/P30_wrist100.csv.gz: signal from "
        "fb7a114c5639c775301951b5dbdfe1edd607bb33, step annotation column from "
        "be610bd0e60fa0c7e66348054b8f5926dba4ec3c"
    ),
    "original_dataset": (
        "OxWalk Annotated Step Count Dataset (Dec 2022), participant P30, Wrist_100Hz, rows "
        "1-180000 (first 30 min)"
    ),
    "placement": "dominant wrist, Axivity AX3 (+/-8 g), manufacturer axis alignment",
    "fs": 100.0,
    "units": "g",
    "window": "seconds 0-900 of the original 30 minutes (times here start at 0)",
}
WRIST_NOTES = (
    "Each step annotated from foot-facing video (ELAN) as a single 1 at the approximate time of "
    "heel strike; free-living, unscripted. No walking-bout reference is provided by the dataset "
    "(bouts could be derived from step gaps, but that is not ground truth)."
)


def stepcount_wrist_reference(
    inputs: list[Path], out: Path, origin: Origin | None = None, rows: int = 90_000
) -> None:
    """The step annotation of the first 15 minutes of ``P30_wrist100.csv.gz`` as ``reference.json``.

    A step is a row whose annotation column (named ``annotation`` or ``steps``/``step``, any
    case) holds 1; its time is the row index / 100 s. The column's name in the upstream file
    could not be read where this was written: the hash check decides.
    """
    src = inputs[0]
    ics: list[float] = []
    with gzip.open(src, "rt", newline="") as fh:
        reader = csv.reader(fh)
        header = [h.strip().strip('"').lower() for h in next(reader)]
        col = next((header.index(c) for c in ("annotation", "steps", "step") if c in header), None)
        if col is None:
            raise ValueError(f"{src}: line 1: no step annotation column in {header}")
        for i, row in enumerate(reader):
            if i >= rows:
                break
            if row[col].strip() not in ("", "0", "NA") and float(row[col]) == 1:
                ics.append(round(i / 100, 2))
    ref: dict[str, object] = dict(WRIST_REFERENCE_HEAD)
    ref["steps"] = len(ics)
    ref["initial_contacts_s"] = ics
    ref["notes"] = WRIST_NOTES
    out.write_text(json.dumps(ref, indent=1))


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
    "oxford_pocket_reference": oxford_pocket_reference,
    "ipol_lowerback": ipol_lowerback,
    "ipol_reference": ipol_reference,
    "stepcount_wrist": stepcount_wrist,
    "stepcount_wrist_reference": stepcount_wrist_reference,
    "mobgap_lab": mobgap_lab,
}
