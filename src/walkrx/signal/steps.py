"""Step (initial-contact) detection by peak picking on an orientation-invariant signal."""

from __future__ import annotations

from typing import Self

import numpy as np
import numpy.typing as npt
from scipy import signal as sps

from .base import Placement, StepDetector, check_placement
from .periodicity import local_step_period
from .preprocess import step_signal


class PeakStepDetector(StepDetector):
    """One step per peak of the band-passed step signal.

    The signal is :func:`walkrx.signal.preprocess.step_signal` for the stated placement,
    band-passed to the physiological step band (default 0.5–3 Hz, i.e. 30–180 steps/min).
    A peak counts when its prominence is at least ``min_prominence_g`` and it lies at least
    ``min_step_interval_s`` after the previous counted peak. Prominence is computed within
    ``prominence_window_s`` so that the result depends only on the neighbourhood of a peak
    (this is what makes chunked and whole-file processing agree).

    Every peak also gets the signal's local step period and periodicity
    (:func:`walkrx.signal.periodicity.local_step_period`; ``step_period_s_``,
    ``step_periodicity_``), from which walkrx reports cadence. With ``min_periodicity`` set,
    the threshold adapts to the rhythm: a peak down to ``weak_prominence_g`` also counts where
    the signal around it repeats at the step period with at least that autocorrelation, and
    of two such peaks closer than ``min_interval_fraction`` of the local step period only the
    more prominent is kept. Without it (the default presets), peaks are picked exactly as
    before and the periodicity only feeds cadence.

    Peaks alone are not steps: isolated peaks (sitting down, bumps) are removed later by
    the bout detector, which keeps only rhythmic runs of peaks.

    Deviation from the literature: the peak of trunk vertical acceleration follows the
    initial contact by a few tens of milliseconds; walkrx reports the peak time as the
    step time and does not correct this lag (it is irrelevant for counting and cadence).
    """

    def __init__(
        self,
        placement: Placement = "lower-back",
        band_hz: tuple[float, float] = (0.5, 3.0),
        min_prominence_g: float = 0.1,
        min_step_interval_s: float = 0.25,
        prominence_window_s: float = 2.0,
        gravity_window_s: float = 2.0,
        min_periodicity: float | None = None,
        weak_prominence_g: float = 0.04,
        periodicity_window_s: float = 4.0,
        step_period_range_s: tuple[float, float] = (0.33, 1.2),
        harmonic_ratio: float = 0.7,
        stride_based: bool = False,
        min_interval_fraction: float = 0.6,
        relative_prominence: float | None = None,
        amplitude_window_s: float = 4.0,
        extend_steps: int = 0,
        extend_interval: tuple[float, float] = (0.7, 1.4),
        require_periodicity: float | None = None,
    ) -> None:
        self.placement = placement
        self.band_hz = band_hz
        self.min_prominence_g = min_prominence_g
        self.min_step_interval_s = min_step_interval_s
        self.prominence_window_s = prominence_window_s
        self.gravity_window_s = gravity_window_s
        self.min_periodicity = min_periodicity
        self.weak_prominence_g = weak_prominence_g
        self.periodicity_window_s = periodicity_window_s
        self.step_period_range_s = step_period_range_s
        self.harmonic_ratio = harmonic_ratio
        self.stride_based = stride_based
        self.min_interval_fraction = min_interval_fraction
        self.relative_prominence = relative_prominence
        self.amplitude_window_s = amplitude_window_s
        self.extend_steps = extend_steps
        self.extend_interval = extend_interval
        self.require_periodicity = require_periodicity

    def detect(self, acc_g: npt.NDArray[np.floating], sampling_rate_hz: float) -> Self:
        """Detect steps; sets ``step_idx_`` and ``step_prominence_g_``."""
        check_placement(self.placement)
        n = int(np.asarray(acc_g).shape[0])
        if n < int(2 * sampling_rate_hz):
            self.step_idx_ = np.zeros(0, dtype=np.int64)
            self.step_prominence_g_ = np.zeros(0)
            self.step_period_s_ = np.zeros(0)
            self.step_periodicity_ = np.zeros(0)
            return self
        s = step_signal(
            acc_g, sampling_rate_hz, self.placement, self.band_hz, self.gravity_window_s
        )
        gated = self.min_periodicity is not None
        floor = (
            min(self.weak_prominence_g, self.min_prominence_g) if gated else self.min_prominence_g
        )
        wlen = max(3, int(round(self.prominence_window_s * sampling_rate_hz)) | 1)
        idx, props = sps.find_peaks(
            s,
            distance=max(1, int(round(self.min_step_interval_s * sampling_rate_hz))),
            prominence=floor,
            wlen=wlen,
        )
        idx = idx.astype(np.int64)
        prom = np.asarray(props["prominences"], dtype=np.float64)
        if self.min_periodicity is not None and self.relative_prominence is not None:
            # a weak peak below the relative threshold can never count: drop it before the
            # (costly) periodicity of each peak
            local = _local_max(idx, prom, n, int(self.amplitude_window_s * sampling_rate_hz))
            relative = prom >= self.relative_prominence * local
            cand = (prom >= self.min_prominence_g) | relative
            idx, prom, relative = idx[cand], prom[cand], relative[cand]
        else:
            relative = np.ones(idx.size, dtype=bool)
        period, strength = local_step_period(
            s,
            idx,
            sampling_rate_hz,
            self.periodicity_window_s,
            self.step_period_range_s,
            self.harmonic_ratio,
            self.stride_based,
        )
        if self.require_periodicity is not None:
            keep = strength >= self.require_periodicity
            idx, prom, period, strength = idx[keep], prom[keep], period[keep], strength[keep]
            relative = relative[keep]
        if self.min_periodicity is not None:
            periodic = strength >= self.min_periodicity
            strong = prom >= self.min_prominence_g
            keep = strong | (periodic & relative)
            if self.extend_steps > 0:
                keep = _extend(
                    idx / sampling_rate_hz,
                    keep,
                    relative,
                    period,
                    self.extend_interval,
                    self.extend_steps,
                )
            gap = np.where(keep & ~strong, self.min_interval_fraction * period, 0.0)
            gap = np.where(np.isfinite(gap), gap, 0.0)
            idx, prom, period, strength, gap = (
                idx[keep],
                prom[keep],
                period[keep],
                strength[keep],
                gap[keep],
            )
            keep = _dedup(idx / sampling_rate_hz, prom, gap)
            idx, prom, period, strength = idx[keep], prom[keep], period[keep], strength[keep]
        self.step_idx_ = idx
        self.step_prominence_g_ = prom
        self.step_period_s_ = period
        self.step_periodicity_ = strength
        return self


def _local_max(
    idx: npt.NDArray[np.int64], prom: npt.NDArray[np.float64], n: int, width: int
) -> npt.NDArray[np.float64]:
    """The largest prominence among the peaks within ``width`` samples centred on each peak.

    ``idx`` is sorted. Works on the peaks only (not on all ``n`` samples): each peak's window
    is a slice of the peak arrays, reduced in one ``np.maximum.reduceat`` call.
    """
    del n  # the windows never need the samples between peaks
    if idx.size == 0:
        return np.zeros(0)
    h = (max(1, width) | 1) // 2
    lo = np.searchsorted(idx, idx - h, side="left")
    hi = np.searchsorted(idx, idx + h, side="right")
    padded = np.r_[prom, -np.inf]  # lets a window end at the last peak
    out: npt.NDArray[np.float64] = np.maximum.reduceat(padded, np.ravel(np.c_[lo, hi]))[::2]
    return out


def _extend(
    t_s: npt.NDArray[np.float64],
    keep: npt.NDArray[np.bool_],
    eligible: npt.NDArray[np.bool_],
    period_s: npt.NDArray[np.float64],
    interval: tuple[float, float],
    steps: int,
) -> npt.NDArray[np.bool_]:
    """Extend rhythmic runs of kept peaks by up to ``steps`` eligible peaks at either end.

    A peak is added when the nearest kept peak before it lies ``interval`` × that peak's
    local step period away and is itself that far from the kept peak before it (an
    established rhythm, not an isolated bump) — or the same backwards in time. The first and
    last steps of a walk and the steps of a turn are weaker than the steps between them but
    keep the walk's rhythm.
    """
    keep = keep.copy()
    per = np.where(np.isfinite(period_s), period_s, np.inf)
    lo, hi = interval

    def fits(d: npt.NDArray[np.float64], p: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
        out: npt.NDArray[np.bool_] = (d >= lo * p) & (d <= hi * p)
        return out

    for _ in range(steps):
        kept = np.flatnonzero(keep)
        cand = np.flatnonzero(eligible & ~keep)
        if kept.size < 2 or cand.size == 0:
            break
        tk = t_s[kept]
        pk = per[kept]
        rhythm_prev = np.r_[False, fits(np.diff(tk), pk[1:])]  # kept peak k fits k - 1
        rhythm_next = np.r_[fits(np.diff(tk), pk[:-1]), False]  # kept peak k fits k + 1
        pos = np.searchsorted(kept, cand)
        prev = np.maximum(pos - 1, 0)
        nxt = np.minimum(pos, kept.size - 1)
        fwd = (pos > 0) & rhythm_prev[prev] & fits(t_s[cand] - tk[prev], pk[prev])
        bwd = (pos < kept.size) & rhythm_next[nxt] & fits(tk[nxt] - t_s[cand], pk[nxt])
        add = cand[fwd | bwd]
        if add.size == 0:
            break
        keep[add] = True
    return keep


def _dedup(
    t_s: npt.NDArray[np.float64],
    prominence: npt.NDArray[np.float64],
    min_gap_s: npt.NDArray[np.float64],
) -> npt.NDArray[np.bool_]:
    """Keep-mask: of two peaks closer than the later one's ``min_gap_s``, drop the weaker.

    Greedy in time order; only runs of conflicting peaks are visited in Python.
    """
    keep = np.ones(t_s.size, dtype=bool)
    if t_s.size < 2:
        return keep
    conflict = np.flatnonzero(np.diff(t_s) < min_gap_s[1:]) + 1
    if conflict.size == 0:
        return keep
    prev, last_i = -1, -1
    for i in conflict.tolist():
        if last_i != i - 1:
            prev = i - 1  # peaks between conflicts are all kept
        last_i = i
        if t_s[i] - t_s[prev] >= min_gap_s[i]:
            prev = i
        elif prominence[i] > prominence[prev]:
            keep[prev] = False
            prev = i
        else:
            keep[i] = False
    return keep
