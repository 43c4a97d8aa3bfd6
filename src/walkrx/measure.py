"""Measure walking in one raw recording: samples in, one output folder out.

``measure_file`` streams the file through the reader in chunks (bounded memory), detects
steps with overlap between chunks, groups them into bouts, and builds the minute, day and
bout tables (:mod:`walkrx.summary`). Each step of the pipeline is a pure function or a
detector from :mod:`walkrx.signal`; this module only composes them and writes outputs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
import warnings
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

import walkrx
from walkrx._heap import large_array_heap
from walkrx.sensors.base import ReadError, RecordingInfo, SampleChunk
from walkrx.signal.base import check_placement
from walkrx.signal.bouts import StepRunBoutDetector
from walkrx.signal.intensity import MET_RELATIONS
from walkrx.signal.nonwear import minute_moments
from walkrx.signal.presets import StepPreset, default_preset
from walkrx.signal.steps import PeakStepDetector
from walkrx.signal.stream import ChunkedStepFinder
from walkrx.summary.glossary import COLUMNS, parquet_metadata
from walkrx.summary.tables import bout_table, check_tz, daily_table, minute_table

_NS = 1_000_000_000
_MIN_NS = 60 * _NS

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class MeasureSettings:
    """Every setting of a measurement run; written in full, with its hash, to ``Info.json``.

    ``step`` defaults to the placement's preset (:mod:`walkrx.signal.presets`).
    Non-wear and valid-day rules are **walkrx defaults**, not HUNT's (whose valid-day rule
    is not confirmed, EVIDENCE.md §1): a still run of ``nonwear_window_min`` minutes with every
    axis' within-minute SD below ``nonwear_sd_threshold_g`` is non-wear (a long, very still
    rest can be flagged too — lengthen the window to avoid that); a day is valid with at
    least ``valid_day_min_wear_h`` hours of wear. Cadence is cadence while stepping: step
    intervals longer than ``pause_interval_ratio`` times the bout's median are pauses
    (walking time, but not cadence) — walkrx's choice.
    """

    placement: str = "lower-back"
    step: StepPreset | None = None
    met_relation: str = "cadence-adults"
    nonwear_sd_threshold_g: float = 0.013
    nonwear_window_min: int = 60
    valid_day_min_wear_h: float = 10.0
    cadence_p95_min_walk_s: float = 30.0
    pause_interval_ratio: float = 1.5
    overlap_s: float = 20.0
    max_sample_gap_s: float = 1.0
    skip_inactive: bool = True

    def resolved(self) -> MeasureSettings:
        """These settings with the placement checked and the step preset filled in."""
        check_placement(self.placement)
        if self.met_relation not in MET_RELATIONS:
            raise ValueError(f"unknown MET relation {self.met_relation!r}")
        if self.step is None:
            return dataclasses.replace(self, step=default_preset(self.placement))
        if self.step.placement != self.placement:
            raise ValueError(
                f"step preset {self.step.name!r} is for {self.step.placement}, not {self.placement}"
            )
        if self.step.max_step_gap_s >= 60:
            raise ValueError("max_step_gap_s must be below 60 s")
        return self

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dict of all settings."""
        out: dict[str, Any] = json.loads(json.dumps(dataclasses.asdict(self.resolved())))
        return out

    def sha256(self) -> str:
        """SHA-256 of the canonical JSON of :meth:`as_dict`."""
        blob = json.dumps(self.as_dict(), sort_keys=True, separators=(",", ":")).encode()
        return hashlib.sha256(blob).hexdigest()


@dataclass
class MeasureResult:
    """Tables and summary of one recording; ``out_dir`` is set when outputs were written."""

    summary: dict[str, Any]
    info: dict[str, Any]
    minutely: pd.DataFrame
    daily: pd.DataFrame
    bouts: pd.DataFrame
    step_ns: npt.NDArray[np.int64] = field(
        repr=False, default_factory=lambda: np.zeros(0, np.int64)
    )
    step_cadence_spm: npt.NDArray[np.float64] = field(
        repr=False, default_factory=lambda: np.zeros(0, np.float64)
    )
    out_dir: Path | None = None


def _detector(s: MeasureSettings) -> PeakStepDetector:
    p = s.step
    assert p is not None
    return PeakStepDetector(
        placement=p.placement,
        band_hz=p.band_hz,
        min_prominence_g=p.min_prominence_g,
        min_step_interval_s=p.min_step_interval_s,
        prominence_window_s=p.prominence_window_s,
        gravity_window_s=p.gravity_window_s,
        min_periodicity=p.min_periodicity,
        weak_prominence_g=p.weak_prominence_g,
        periodicity_window_s=p.periodicity_window_s,
        step_period_range_s=p.step_period_range_s,
        harmonic_ratio=p.harmonic_ratio,
        stride_based=p.stride_based,
        min_interval_fraction=p.min_interval_fraction,
        relative_prominence=p.relative_prominence,
        amplitude_window_s=p.amplitude_window_s,
        extend_steps=p.extend_steps,
        extend_interval=p.extend_interval,
        require_periodicity=p.require_periodicity,
    )


def _running_median(x: npt.NDArray[np.float64], width: int) -> npt.NDArray[np.float64]:
    """Centred running median over ``width`` neighbours (NaN ignored; edges use fewer).

    Removes isolated harmonic slips (a step whose local period came out as half or twice
    its neighbours') from the per-step cadence.
    """
    if x.size == 0 or width < 2:
        return x
    h = width // 2
    pad = np.pad(x, h, constant_values=np.nan)
    win = np.lib.stride_tricks.sliding_window_view(pad, 2 * h + 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN windows stay NaN
        out: npt.NDArray[np.float64] = np.nanmedian(win, axis=1)
    return out


def _active_range_g(p: StepPreset) -> tuple[float, float | None]:
    """Block ranges below which seconds are skipped: (strong, weak-in-a-run or None)."""
    if p.min_periodicity is None:
        return p.min_prominence_g, None
    return p.min_prominence_g, min(p.min_prominence_g, p.weak_prominence_g)


def measure_chunks(
    chunks: Iterable[tuple[SampleChunk, list[ReadError]]],
    info: RecordingInfo,
    placement: str,
    tz: str | None = None,
    settings: MeasureSettings | None = None,
    progress: ProgressCallback | None = None,
) -> MeasureResult:
    """Measure walking from a stream of ``(SampleChunk, errors)`` pairs (the reader contract).

    ``info`` gives the sample rate; its ``n_samples`` and ``read_errors`` are updated.
    """
    t_start = time.perf_counter()
    s = dataclasses.replace(settings or MeasureSettings(), placement=placement).resolved()
    zone = tz or info.tz or "UTC"
    check_tz(zone)
    p = s.step
    assert p is not None
    finder = ChunkedStepFinder(
        _detector(s),
        info.sample_rate_hz,
        overlap_s=s.overlap_s,
        max_gap_s=s.max_sample_gap_s,
        active_range_g=_active_range_g(p)[0] if s.skip_inactive else None,
        weak_range_g=_active_range_g(p)[1] if s.skip_inactive else None,
    )
    steps: list[npt.NDArray[np.int64]] = []
    proms: list[npt.NDArray[np.float64]] = []
    pers: list[npt.NDArray[np.float64]] = []
    regs: list[npt.NDArray[np.float64]] = []
    mins: list[npt.NDArray[np.int64]] = []
    moms: list[npt.NDArray[np.float64]] = []
    errors: list[ReadError] = []
    n = 0
    first_ns: int | None = None
    last_ns: int | None = None
    total = int(info.n_samples or 0)
    for chunk, errs in chunks:
        errors.extend(errs)
        if len(chunk) == 0:
            continue
        t = chunk.time_ns
        if first_ns is None:
            first_ns = int(t[0])
        last_ns = int(t[-1])
        n += len(chunk)
        steps.append(finder.push(t, chunk.acc_g))
        proms.append(finder.last_prominence_g_)
        pers.append(finder.last_period_s_)
        regs.append(finder.last_periodicity_)
        mi, mo = minute_moments(t // _MIN_NS, chunk.acc_g)
        mins.append(mi)
        moms.append(mo)
        if progress is not None:
            progress(n, max(total, n))
    steps.append(finder.finish())
    proms.append(finder.last_prominence_g_)
    pers.append(finder.last_period_s_)
    regs.append(finder.last_periodicity_)
    peak_ns = np.concatenate(steps)
    order = np.argsort(peak_ns, kind="stable")
    peak_ns = peak_ns[order]
    peak_period = np.concatenate(pers)[order]
    peak_periodicity = np.concatenate(regs)[order]
    # local cadence from the signal's step period where the signal is periodic enough
    with np.errstate(divide="ignore", invalid="ignore"):
        peak_cad = np.where(
            (p.cadence_min_periodicity is not None)
            & (peak_periodicity >= (p.cadence_min_periodicity or 0.0)),
            60.0 / peak_period,
            np.nan,
        )

    if mins:
        all_min = np.concatenate(mins)
        all_mom = np.concatenate(moms)
        order = np.argsort(all_min, kind="stable")
        all_min, all_mom = all_min[order], all_mom[order]
        uniq, start = np.unique(all_min, return_index=True)
        all_mom = np.add.reduceat(all_mom, start, axis=0) if uniq.size else all_mom
        all_min = uniq
    else:
        all_min, all_mom = np.zeros(0, np.int64), np.zeros((0, 7))

    bd = StepRunBoutDetector(p.min_bout_steps, p.max_step_gap_s, p.max_irregularity).detect(
        (peak_ns - (peak_ns[0] if peak_ns.size else 0)) / _NS
    )
    # keep only steps (peaks in bouts); re-index bouts to the kept steps
    step_ns = peak_ns[bd.in_bout_]
    step_cad = _running_median(peak_cad[bd.in_bout_], 5)
    pos = np.cumsum(bd.in_bout_) - 1
    bouts_idx = pos[bd.bouts_] if len(bd.bouts_) else np.zeros((0, 2), dtype=np.int64)
    minutely = minute_table(
        step_ns,
        bouts_idx,
        all_min,
        all_mom,
        zone,
        s.met_relation,
        s.nonwear_sd_threshold_g,
        s.nonwear_window_min,
        s.pause_interval_ratio,
        step_cad,
    )
    bouts = bout_table(step_ns, bouts_idx, zone, s.met_relation, s.pause_interval_ratio, step_cad)
    daily = daily_table(minutely, bouts, zone, s.valid_day_min_wear_h, s.cadence_p95_min_walk_s)

    info.n_samples = n
    info.read_errors = errors
    info.start_utc_ns = first_ns
    info.end_utc_ns = last_ns
    in_bout = step_ns
    prov = _provenance(info, s, zone, time.perf_counter() - t_start)
    summary = _summary(info, daily, int(in_bout.size), zone)
    return MeasureResult(summary, prov, minutely, daily, bouts, in_bout, step_cad)


def _error_dict(e: ReadError) -> dict[str, Any]:
    def iso(ns: int | None) -> str | None:
        return None if ns is None else pd.Timestamp(ns, tz="UTC").isoformat()

    return {
        "kind": e.kind,
        "message": e.message,
        "block_index": e.block_index,
        "start_utc": iso(e.start_utc_ns),
        "end_utc": iso(e.end_utc_ns),
    }


def _corrupt_blocks(info: RecordingInfo) -> list[int]:
    return sorted({e.block_index for e in info.read_errors if e.block_index is not None})


def _provenance(
    info: RecordingInfo, s: MeasureSettings, zone: str, elapsed_s: float
) -> dict[str, Any]:
    rel = MET_RELATIONS[s.met_relation]
    p = s.step
    assert p is not None

    def iso(ns: int | None) -> str | None:
        return None if ns is None else pd.Timestamp(ns, tz="UTC").isoformat()

    return {
        "walkrx_version": walkrx.__version__,
        "settings": s.as_dict(),
        "settings_sha256": s.sha256(),
        "step_preset": {"name": p.name, "label": p.label},
        "met_relation": {
            "name": rel.name,
            "anchors_spm_met": list(zip(rel.cadence_spm, rel.met, strict=True)),
            "citation": rel.citation,
            "confidence": rel.confidence,
            "caveat": rel.caveat,
        },
        "nonwear_caveat": (
            "Long, very still rest (lying, sleeping with the sensor on) can be flagged as non-wear; "
            "non-wear is flagged, never deleted."
        ),
        "device": info.device,
        "device_id": info.device_id,
        "sample_rate_hz": info.sample_rate_hz,
        "n_samples": info.n_samples,
        "start_utc": iso(info.start_utc_ns),
        "end_utc": iso(info.end_utc_ns),
        "time_zone": zone,
        "read_errors": {
            "count": len(info.read_errors),
            "corrupt_blocks": _corrupt_blocks(info),
            "errors": [_error_dict(e) for e in info.read_errors],
        },
        "processing_s": round(elapsed_s, 3),
    }


def _summary(
    info: RecordingInfo, daily: pd.DataFrame, total_steps: int, zone: str
) -> dict[str, Any]:
    def num(x: Any, nd: int) -> float | None:
        return None if x is None or pd.isna(x) else round(float(x), nd)

    days = []
    for r in daily.to_dict("records"):
        days.append(
            {
                "date": str(r["date"]),
                "walk_min": num(r["walk_min"], 3),
                "steps": int(r["steps"]),
                "mean_met": num(r["mean_met"], 3),
                "cadence_mean_spm": num(r["cadence_mean_spm"], 2),
                "wear_min": int(r["wear_min"]),
                "valid_day": bool(r["valid_day"]),
                "day_length_h": float(r["day_length_h"]),
            }
        )
    return {
        "file": info.path,
        "device": info.device,
        "sample_rate_hz": info.sample_rate_hz,
        "n_samples": int(info.n_samples),
        "time_zone": zone,
        "corrupt_blocks": _corrupt_blocks(info),
        "read_errors": len(info.read_errors),
        "days": days,
        "total_steps": int(total_steps),
        "total_walk_min": round(float(daily["walk_min"].sum()) if len(daily) else 0.0, 3),
        "valid_days": int(daily["valid_day"].sum()) if len(daily) else 0,
    }


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 22):
            h.update(block)
    return h.hexdigest()


def measure_file(
    path: str | Path,
    placement: str,
    tz: str | None = None,
    out_dir: str | Path | None = None,
    chunk_samples: int = 2_000_000,
    settings: MeasureSettings | None = None,
    progress: ProgressCallback | None = None,
    qc_plot: bool = True,
) -> MeasureResult:
    """Measure one recording; write ``out_dir/<file stem>/`` when ``out_dir`` is given.

    Raises :class:`walkrx.sensors.base.ReaderError` when the file cannot be read at all. Blocks
    that fail validation are skipped by the reader and reported in ``corrupt_blocks``.
    """
    with large_array_heap():
        return _measure_file(
            path, placement, tz, out_dir, chunk_samples, settings, progress, qc_plot
        )


def _measure_file(
    path: str | Path,
    placement: str,
    tz: str | None,
    out_dir: str | Path | None,
    chunk_samples: int,
    settings: MeasureSettings | None,
    progress: ProgressCallback | None,
    qc_plot: bool,
) -> MeasureResult:
    from walkrx.sensors import open_reader

    src = Path(path)
    check_placement(placement)
    if tz is not None:
        check_tz(tz)
    reader = open_reader(src, tz=tz) if tz is not None else open_reader(src)
    info = reader.read_info(src)
    info.path = src.name
    # the input's checksum is computed beside the measurement (hashlib and file reads release
    # the GIL), not in a second pass after it
    with ThreadPoolExecutor(1, thread_name_prefix="walkrx-sha256") as pool:
        digest = pool.submit(_sha256, src)
        result = measure_chunks(
            reader.iter_chunks(src, chunk_samples), info, placement, tz, settings, progress
        )
        result.info["input"] = {
            "name": src.name,
            "size_bytes": src.stat().st_size,
            "sha256": digest.result(),
        }
    result.info["chunk_samples"] = chunk_samples
    result.summary["file"] = str(path)
    if out_dir is not None:
        result.out_dir = write_outputs(result, Path(out_dir) / src.name.replace(".", "_"), qc_plot)
        result.summary["out_dir"] = str(result.out_dir)
    return result


def _csv_ready(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in out.columns:
        if isinstance(out[c].dtype, pd.DatetimeTZDtype):
            out[c] = out[c].map(lambda x: x.isoformat())
    return out


def write_outputs(result: MeasureResult, folder: Path, qc_plot: bool = True) -> Path:
    """Write ``Info.json``, the three tables as CSV and Parquet, and the QC plot."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    tables = {"daily": result.daily, "minutely": result.minutely, "bouts": result.bouts}
    for name, df in tables.items():
        missing = set(df.columns) - set(COLUMNS[name])
        if missing:
            raise RuntimeError(f"columns {sorted(missing)} of {name} are not in the glossary")
        _csv_ready(df).to_csv(folder / f"{name}.csv", index=False)
        tab = pa.Table.from_pandas(df, preserve_index=False)
        meta = dict(tab.schema.metadata or {})
        meta.update(parquet_metadata(name))
        meta[b"walkrx.info"] = json.dumps(
            {k: result.info[k] for k in ("walkrx_version", "settings_sha256", "time_zone")}
        ).encode()
        pq.write_table(tab.replace_schema_metadata(meta), folder / f"{name}.parquet")
    info = dict(result.info)
    info["outputs"] = sorted([f"{n}.{ext}" for n in tables for ext in ("csv", "parquet")])
    if qc_plot:
        from walkrx.summary.qc import qc_plot as _plot

        _plot(result.minutely, result.daily, folder / "qc.png", title=str(result.summary["file"]))
        info["outputs"].append("qc.png")
    (folder / "Info.json").write_text(json.dumps(info, indent=2, default=str) + "\n")
    return folder
