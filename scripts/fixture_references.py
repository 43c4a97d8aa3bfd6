"""Rebuild the step references (``reference.json``) of converted fixture folders (test tooling).

Each builder reads the downloaded upstream file(s) and writes the reference exactly as the
fixture folder holds it (``json.dumps(..., indent=1)``, keys in the folder's order), so that
``scripts/fetch_fixtures.py`` can check it against the registry's SHA-256:

- ``oxford_pocket_reference``: Oxford step counter ground truth -> ``pocket-steps/<name>.reference.json``;
- ``ipol_reference``: IPOL gait events -> ``lowerback-walks/S<n>/Trial<m>/reference.json``;
- ``stepcount_wrist_reference``: OxWalk step annotation -> ``wrist-free-living/.../reference.json``.
"""

from __future__ import annotations

import csv
import gzip
import json
import statistics
from collections.abc import Callable
from pathlib import Path

from fixture_convert import Origin

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


CONVERTERS: dict[str, Callable[[list[Path], Path, Origin], None]] = {
    "oxford_pocket_reference": oxford_pocket_reference,
    "ipol_reference": ipol_reference,
    "stepcount_wrist_reference": stepcount_wrist_reference,
}
