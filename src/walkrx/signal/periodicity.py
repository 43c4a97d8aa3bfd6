"""Local step periodicity: the step period and how periodic the signal is around each peak.

For every candidate peak, the band-passed step signal in a window centred on the peak
(``window_s``, default 4 s ≈ 6–8 steps) is autocorrelated (FFT, mean removed, unbiased,
normalised to 1 at lag 0). Within the physiological step-period range (default
0.33–1.2 s = 50–180 steps/min) the **step period** is the shortest lag whose autocorrelation
local maximum reaches ``harmonic_ratio`` of the highest one in the range; this harmonic
check picks the step and not the stride when the left and right steps differ (the stride
lag of lower-back acceleration often correlates more strongly than the step lag). The
autocorrelation at that lag is the peak's **periodicity** (about 1 for steady walking,
near 0 for isolated movements).

Autocorrelation-based step period and regularity from trunk acceleration follow
Moe-Nilssen R, Helbostad JL (J Biomech 2004;37(1):121-126). Deviations: walkrx computes
them in a short window around each peak (not over a whole straight walk), on the
orientation-invariant step signal (not the anatomical vertical axis), and uses them to gate
peaks and to estimate cadence; the harmonic rule and its ratio are walkrx's choice. The window must hold at least two
periods of the longest period searched (2 × 1.2 s for a stride-based search of one leg:
use a window of 5 s or more there).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

_BATCH = 1024


def local_step_period(
    signal: npt.NDArray[np.floating],
    peak_idx: npt.NDArray[np.int64],
    sampling_rate_hz: float,
    window_s: float = 4.0,
    period_range_s: tuple[float, float] = (0.33, 1.2),
    harmonic_ratio: float = 0.7,
    stride_based: bool = False,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Step period (s) and periodicity (autocorrelation at that lag) around each peak.

    With ``stride_based`` (for a sensor on one leg, whose signal repeats once per stride),
    the same rule searches twice the step-period range for the stride period and halves it.

    Samples beyond the ends of ``signal`` count as zero (the caller keeps its steps away
    from buffer ends, so chunked and whole-file results agree).
    """
    k = int(peak_idx.size)
    period = np.full(k, np.nan)
    strength = np.zeros(k)
    if k == 0:
        return period, strength
    fs = float(sampling_rate_hz)
    unit = 2.0 if stride_based else 1.0
    h = max(1, int(round(window_s * fs / 2)))
    w = 2 * h + 1
    lo = max(1, int(np.floor(unit * period_range_s[0] * fs)))
    hi = min(w - 2, int(np.ceil(unit * period_range_s[1] * fs)))
    nfft = 1 << int(np.ceil(np.log2(2 * w)))
    x = np.pad(np.asarray(signal, dtype=np.float64), h)
    view = np.lib.stride_tricks.sliding_window_view(x, w)
    lags = np.arange(lo - 1, hi + 2)
    unbias = w / (w - lags)
    for b0 in range(0, k, _BATCH):
        sel = peak_idx[b0 : b0 + _BATCH]
        seg = view[sel]
        seg = seg - seg.mean(axis=1, keepdims=True)
        spec = np.fft.rfft(seg, nfft, axis=1)
        ac = np.fft.irfft(spec.real**2 + spec.imag**2, nfft, axis=1)
        zero = np.maximum(ac[:, 0:1], 1e-12)
        r = ac[:, lo - 1 : hi + 2] / zero * unbias  # lags lo-1 .. hi+1
        mid = r[:, 1:-1]
        is_max = (mid >= r[:, :-2]) & (mid > r[:, 2:])
        cand = np.where(is_max, mid, -np.inf)
        best = cand.max(axis=1)
        ok = np.isfinite(best) & (best > 0)
        first = np.argmax(is_max & (mid >= harmonic_ratio * best[:, None]), axis=1)
        rows = np.arange(sel.size)
        # parabolic interpolation of the chosen maximum for sub-sample resolution
        y0, y1, y2 = r[rows, first], r[rows, first + 1], r[rows, first + 2]
        den = y0 - 2 * y1 + y2
        off = np.where(den < 0, 0.5 * (y0 - y2) / np.where(den < 0, den, -1.0), 0.0)
        per = (lo + first + np.clip(off, -0.5, 0.5)) / fs / unit
        period[b0 : b0 + sel.size] = np.where(ok, per, np.nan)
        strength[b0 : b0 + sel.size] = np.where(ok, np.minimum(y1, 1.0), 0.0)
    return period, strength
