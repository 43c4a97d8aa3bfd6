"""The real reference sets beside the repository, loaded the same way for every evaluation.

Each recording is read from the fixture folder (``scripts/fixture_registry.py``: by default
``../shared/fixtures`` beside the repository) into
memory with the placement its folder states, resampled to 100 Hz when its sampling is
irregular (the pocket set), and run through :func:`walkrx.measure.measure_chunks` exactly as
``walkrx measure`` would run a file. Scoring functions compare what walkrx reports with what
each reference holds, and nothing more:

* ``lowerback-lab`` — INDIP walking bouts and contacts (two adults, Mobilise-D example);
* ``lowerback-walks`` — one bout per trial (10 m, U-turn, 10 m back) with every contact from
  foot-worn IMUs (10 adults);
* ``wrist-free-living`` — every step from video, no bout reference (one adult, 15 min);
* ``pocket-steps`` — step counts from foot switches (phone in the front pocket: thigh; in a
  swinging hand: wrist).

Used by ``scripts/evaluate.py`` and by the regression-guard tests.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

from fixture_registry import fixtures_folder  # noqa: E402

from walkrx.measure import MeasureResult, MeasureSettings, measure_chunks  # noqa: E402
from walkrx.sensors.base import RecordingInfo, SampleChunk  # noqa: E402

NS = 1_000_000_000
T0_NS = 1_700_000_000 * NS  # an arbitrary UTC instant for the first sample
SETS = ("lowerback-lab", "lowerback-walks", "wrist-free-living", "pocket-steps")


@dataclass
class RefBout:
    """A reference walking bout: start and end (s from the first sample) and its contacts."""

    start_s: float
    end_s: float
    contacts_s: np.ndarray
    cadence_spm: float = float("nan")  # the reference file's own figure, when it has one


@dataclass
class Recording:
    """One reference recording in memory (samples at ``fs`` Hz from time 0)."""

    set: str
    name: str
    person: str
    placement: str
    fs: float
    acc_g: np.ndarray
    ref_steps: int
    ref_bouts: list[RefBout] | None = None  # None: the reference has no bouts
    contacts_s: np.ndarray | None = None  # every reference contact, when they are precise
    meta: dict[str, object] = field(default_factory=dict)

    @property
    def duration_s(self) -> float:
        return self.acc_g.shape[0] / self.fs


def _read_csv(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Times (s from the first sample) and acceleration (g) of a fixture CSV."""
    df = pd.read_csv(path, usecols=["time", "acc_x", "acc_y", "acc_z"])
    acc = df[["acc_x", "acc_y", "acc_z"]].to_numpy(dtype=np.float64)
    if pd.api.types.is_numeric_dtype(df["time"]):
        t = df["time"].to_numpy(dtype=np.float64)
    else:  # ISO instants (the lab set)
        ns = pd.DatetimeIndex(pd.to_datetime(df["time"], utc=True)).asi8
        t = (ns - ns[0]) / NS
    return t - t[0], acc


def _resample(t: np.ndarray, acc: np.ndarray, fs: float) -> np.ndarray:
    """Linear interpolation of irregular samples onto a regular ``fs`` grid from ``t[0]``."""
    order = np.argsort(t, kind="stable")
    t, acc = t[order], acc[order]
    keep = np.r_[True, np.diff(t) > 0]
    t, acc = t[keep], acc[keep]
    grid = t[0] + np.arange(int(np.floor((t[-1] - t[0]) * fs)) + 1) / fs
    return np.stack([np.interp(grid, t, acc[:, k]) for k in range(3)], axis=1)


def load_lab() -> list[Recording]:
    out = []
    for ref_path in sorted((fixtures_folder() / "lowerback-lab").glob("*/*/reference.json")):
        ref = json.loads(ref_path.read_text())
        _, acc = _read_csv(ref_path.parent / "lowerback.csv")
        bouts = [
            RefBout(b["start_s"], b["end_s"], np.asarray(b["initial_contacts_s"]), b["cadence_spm"])
            for b in ref["continuous_walking_periods"]
        ]
        out.append(
            Recording(
                "lowerback-lab",
                f"{ref_path.parent.parent.name}/{ref_path.parent.name}",
                ref_path.parent.parent.name,
                "lower-back",
                float(ref["sampling_rate_hz"]),
                acc,
                sum(b.contacts_s.size for b in bouts),
                bouts,
                np.concatenate([b.contacts_s for b in bouts]),
                {"test": ref["test"], "csv": str(ref_path.parent / "lowerback.csv")},
            )
        )
    return out


def load_walks() -> list[Recording]:
    out = []
    for ref_path in sorted(
        (fixtures_folder() / "lowerback-walks").glob("S*/Trial*/reference.json")
    ):
        ref = json.loads(ref_path.read_text())
        t, acc = _read_csv(ref_path.parent / "lowerback.csv")
        fs = round(1.0 / float(np.median(np.diff(t))))
        bouts = [
            RefBout(b["start_s"], b["end_s"], np.asarray(b["initial_contacts_s"]))
            for b in ref["continuous_walking_periods"]
        ]
        out.append(
            Recording(
                "lowerback-walks",
                f"{ref_path.parent.parent.name}/{ref_path.parent.name}",
                ref_path.parent.parent.name,
                "lower-back",
                float(fs),
                acc,
                sum(b.contacts_s.size for b in bouts),
                bouts,
                np.concatenate([b.contacts_s for b in bouts]),
                {
                    "age": ref["subject"]["age"],
                    "uturn_s": ref.get("uturn_s"),
                    "csv": str(ref_path.parent / "lowerback.csv"),
                },
            )
        )
    return out


def load_wrist() -> list[Recording]:
    out = []
    for ref_path in sorted((fixtures_folder() / "wrist-free-living").glob("*/reference.json")):
        ref = json.loads(ref_path.read_text())
        _, acc = _read_csv(ref_path.parent / "wrist.csv")
        out.append(
            Recording(
                "wrist-free-living",
                ref_path.parent.name,
                ref_path.parent.name.split("_")[0],
                "wrist",
                float(ref["fs"]),
                acc,
                int(ref["steps"]),
                None,
                np.asarray(ref["initial_contacts_s"]),
            )
        )
    return out


def _pocket_person(name: str) -> str:
    parts = name.split("_")
    return parts[1] if parts[0] == "validation" else parts[1]  # user1 / Jamie / Carmelo


def load_pocket(fs: float = 100.0) -> list[Recording]:
    out = []
    for ref_path in sorted((fixtures_folder() / "pocket-steps").glob("*.reference.json")):
        ref = json.loads(ref_path.read_text())
        name = ref_path.name.removesuffix(".reference.json")
        t, acc = _read_csv(ref_path.parent / f"{name}.csv")
        placement = "thigh" if "pocket" in ref["placement"] else "wrist"
        out.append(
            Recording(
                "pocket-steps",
                name,
                _pocket_person(name),
                placement,
                fs,
                _resample(t, acc, fs),
                int(ref["steps"]),
                meta={
                    "kind": "front pocket" if placement == "thigh" else "swinging hand",
                    # step times are only +-0.1 s: kept to flag double contacts, not scored
                    "counted_contacts_s": np.asarray(ref["initial_contacts_s"]),
                },
            )
        )
    return out


LOADERS = {
    "lowerback-lab": load_lab,
    "lowerback-walks": load_walks,
    "wrist-free-living": load_wrist,
    "pocket-steps": load_pocket,
}


def load(sets: Iterable[str] = SETS) -> list[Recording]:
    """Every recording of the named sets, in a stable order."""
    return [r for s in sets for r in LOADERS[s]()]


# ----------------------------------------------------------------------------- running


@dataclass
class Detected:
    """What walkrx reports for one recording, in seconds from its first sample."""

    steps_s: np.ndarray
    bouts_s: list[tuple[float, float]]
    bout_steps: np.ndarray
    cadence_bout_spm: np.ndarray
    cadence_stepping_spm: np.ndarray


def run(rec: Recording, settings: MeasureSettings | None = None) -> Detected:
    """Measure one recording with walkrx (its stated placement) and return what it reports."""
    s = dataclasses.replace(settings or MeasureSettings(), placement=rec.placement)
    if s.step is not None and s.step.placement != rec.placement:
        s = dataclasses.replace(s, step=None)
    n = rec.acc_g.shape[0]
    time_ns = T0_NS + (np.arange(n, dtype=np.int64) * NS / rec.fs).astype(np.int64)
    chunk = SampleChunk(time_ns=time_ns, acc_g=np.asarray(rec.acc_g, dtype=np.float32))
    info = RecordingInfo(rec.name, "reference set", None, rec.fs, "UTC", n)
    res: MeasureResult = measure_chunks(iter([(chunk, [])]), info, rec.placement, "UTC", s)
    b = res.bouts
    return Detected(
        (res.step_ns - T0_NS) / NS,
        [
            ((x.value - T0_NS) / NS, (y.value - T0_NS) / NS)
            for x, y in zip(b["start"], b["end"], strict=True)
        ],
        b["steps"].to_numpy(dtype=np.int64),
        b["cadence_bout_spm"].to_numpy(dtype=np.float64),
        b["cadence_stepping_spm"].to_numpy(dtype=np.float64),
    )


# ----------------------------------------------------------------------------- scoring


def bout_cadence(contacts_s: np.ndarray) -> float:
    """``cadence_bout_spm`` of a run of contacts: 60 × (n − 1) / (last − first)."""
    c = np.sort(np.asarray(contacts_s, dtype=np.float64))
    if c.size < 2 or c[-1] <= c[0]:
        return float("nan")
    return 60.0 * (c.size - 1) / float(c[-1] - c[0])


def overlap_s(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> float:
    return float(sum(max(0.0, min(a1, b1) - max(a0, b0)) for a0, a1 in a for b0, b1 in b))


# A Mobilise-D walking bout holds at least 4 strides (mobgap's ``WbAssembly``; the INDIP
# reference bouts of ``lowerback-lab`` agree: the shortest holds 4 strides and 6 contacts).
# Alternating contacts hold n - 2 strides, so 4 strides are 6 steps.
WB_RULE_MIN_STEPS = 6
# A contact less than this after the previous one is a second edge of the same contact
# (200 steps/min), not a step: used only to report a reference without double contacts.
DOUBLE_CONTACT_S = 0.3
# Detected steps outside the reference bouts but within this of one are at a bout's edge
# (getting up and starting, stopping and sitting down); further away, a walk of their own.
EDGE_S = 3.0


def without_double_contacts(
    contacts_s: np.ndarray, min_interval_s: float = DOUBLE_CONTACT_S
) -> np.ndarray:
    """Contacts with every contact less than ``min_interval_s`` after the previous kept one dropped."""
    c = np.sort(np.asarray(contacts_s, dtype=np.float64))
    keep: list[float] = []
    for x in c.tolist():
        if not keep or x - keep[-1] >= min_interval_s:
            keep.append(x)
    return np.asarray(keep)


def score(rec: Recording, det: Detected) -> dict[str, float]:
    """Scores of one recording: steps, walking time (bout reference), cadence (contacts).

    * ``step_err_pct``: detected steps in the whole recording vs the reference's steps.
    * ``ref_short_intervals``: reference contacts less than 0.3 s after the previous one
      (a step every 0.3 s is 200 steps/min: a sign of double-counted contacts).
    * ``in_bout_step_err_pct``: only detected steps inside reference bouts (± 0.3 s) counted.
    * ``edge_steps`` / ``apart_steps`` (bout sets): detected steps outside the reference bouts
      (± 0.3 s), within ``EDGE_S`` of one / further away.
    * ``wb_rule_step_err_pct`` (bout sets): only detected steps in walkrx bouts that meet the
      reference's bout rule (at least ``WB_RULE_MIN_STEPS`` steps = 4 strides) counted.
    * ``dedup_ref_steps`` / ``dedup_step_err_pct`` (count sets with contact times): the
      reference without contacts less than ``DOUBLE_CONTACT_S`` after the previous one, and
      the detected steps against it.
    * ``walk_err_pct``: sum of detected bout durations vs the reference's (bout sets only).
    * ``cad_bout_err_spm`` (bout sets): for each reference bout, the walking-time weighted
      ``cadence_bout_spm`` of walkrx's bouts overlapping it, minus the same measure of the
      reference's contacts in the bout (like-for-like).
    * ``cad_det_bout_err_spm`` (contact sets without bouts): for each walkrx bout,
      its ``cadence_bout_spm`` minus that of the reference contacts within its span
      (bouts holding fewer than 4 reference contacts are left out); mean absolute error
      weighted by the reference's steps in each bout (a false bout holding a few stray
      reference contacts says little about cadence).
    """
    out: dict[str, float] = {
        "ref_steps": float(rec.ref_steps),
        "det_steps": float(det.steps_s.size),
        "step_err_pct": 100.0 * (det.steps_s.size - rec.ref_steps) / rec.ref_steps,
        "ref_walk_s": float("nan"),
        "det_walk_s": float(sum(b - a for a, b in det.bouts_s)),
        "walk_err_pct": float("nan"),
        "walk_covered_pct": float("nan"),
        "cad_bout_err_spm": float("nan"),
        "cad_det_bout_mae_spm": float("nan"),
        "in_bout_step_err_pct": float("nan"),
        "ref_short_intervals": float("nan"),
        "edge_steps": float("nan"),
        "apart_steps": float("nan"),
        "wb_rule_step_err_pct": float("nan"),
        "dedup_ref_steps": float("nan"),
        "dedup_step_err_pct": float("nan"),
    }
    contacts = rec.contacts_s if rec.contacts_s is not None else rec.meta.get("counted_contacts_s")
    if isinstance(contacts, np.ndarray) and contacts.size > 1:
        out["ref_short_intervals"] = float(np.sum(np.diff(np.sort(contacts)) < DOUBLE_CONTACT_S))
        if contacts.size == rec.ref_steps:  # the count is the contacts: report it without doubles
            dedup = float(without_double_contacts(contacts).size)
            out["dedup_ref_steps"] = dedup
            out["dedup_step_err_pct"] = 100.0 * (det.steps_s.size - dedup) / dedup
    if rec.ref_bouts is not None:
        t = det.steps_s
        in_ref = np.zeros(t.size, dtype=bool)
        near = np.zeros(t.size, dtype=bool)
        for b in rec.ref_bouts:
            in_ref |= (t >= b.start_s - 0.3) & (t <= b.end_s + 0.3)
            near |= (t >= b.start_s - EDGE_S) & (t <= b.end_s + EDGE_S)
        inside = int(np.sum(in_ref))
        out["in_bout_step_err_pct"] = 100.0 * (inside - rec.ref_steps) / rec.ref_steps
        out["edge_steps"] = float(np.sum(near & ~in_ref))
        out["apart_steps"] = float(np.sum(~near))
        wb = sum(int(n) for n in det.bout_steps if n >= WB_RULE_MIN_STEPS)
        out["wb_rule_step_err_pct"] = 100.0 * (wb - rec.ref_steps) / rec.ref_steps
        ref_iv = [(b.start_s, b.end_s) for b in rec.ref_bouts]
        ref_walk = sum(b - a for a, b in ref_iv)
        out["ref_walk_s"] = ref_walk
        out["walk_err_pct"] = 100.0 * (out["det_walk_s"] - ref_walk) / ref_walk
        out["walk_covered_pct"] = 100.0 * overlap_s(det.bouts_s, ref_iv) / ref_walk
        errs = []
        for b in rec.ref_bouts:
            w = np.array([overlap_s([iv], [(b.start_s, b.end_s)]) for iv in det.bouts_s])
            ok = (w > 0) & np.isfinite(det.cadence_bout_spm)
            ref_c = bout_cadence(b.contacts_s)
            if ok.any() and np.isfinite(ref_c):
                mine = float(np.sum(w[ok] * det.cadence_bout_spm[ok]) / np.sum(w[ok]))
                errs.append(mine - ref_c)
        if errs:
            out["cad_bout_err_spm"] = float(np.mean(errs))
    elif rec.contacts_s is not None:
        errs, weights = [], []
        for (a, b), c in zip(det.bouts_s, det.cadence_bout_spm, strict=True):
            inside = rec.contacts_s[(rec.contacts_s >= a - 0.3) & (rec.contacts_s <= b + 0.3)]
            if inside.size >= 4 and np.isfinite(c):
                errs.append(abs(c - bout_cadence(inside)))
                weights.append(inside.size)
        if errs:
            out["cad_det_bout_mae_spm"] = float(np.average(errs, weights=weights))
    return out


def totals(rows: list[dict[str, float]]) -> dict[str, float]:
    """Set totals: total step error, median per-recording |error|, walking time, cadence."""
    ref = sum(r["ref_steps"] for r in rows)
    det = sum(r["det_steps"] for r in rows)
    out = {
        "n": float(len(rows)),
        "ref_steps": ref,
        "det_steps": det,
        "step_err_pct": 100.0 * (det - ref) / ref,
        "median_abs_step_err_pct": float(np.median([abs(r["step_err_pct"]) for r in rows])),
        "max_abs_step_err_pct": float(np.max([abs(r["step_err_pct"]) for r in rows])),
        "walk_err_pct": float("nan"),
        "cad_bout_mae_spm": float("nan"),
        "cad_bout_bias_spm": float("nan"),
        "cad_det_bout_mae_spm": float("nan"),
    }
    rw = [r for r in rows if np.isfinite(r["ref_walk_s"])]
    if rw:
        ref_w = sum(r["ref_walk_s"] for r in rw)
        out["walk_err_pct"] = 100.0 * (sum(r["det_walk_s"] for r in rw) - ref_w) / ref_w
    ce = [r["cad_bout_err_spm"] for r in rows if np.isfinite(r["cad_bout_err_spm"])]
    if ce:
        out["cad_bout_mae_spm"] = float(np.mean(np.abs(ce)))
        out["cad_bout_bias_spm"] = float(np.mean(ce))
    cd = [r["cad_det_bout_mae_spm"] for r in rows if np.isfinite(r["cad_det_bout_mae_spm"])]
    if cd:
        out["cad_det_bout_mae_spm"] = float(np.mean(cd))
    return out
