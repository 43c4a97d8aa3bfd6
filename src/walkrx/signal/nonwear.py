"""Non-wear detection from per-minute movement statistics. Non-wear is flagged, never deleted.

Rule (walkrx default, in the spirit of van Hees et al. as used by GGIR — SD below about
13 mg over 60-minute windows — but not a re-implementation): a minute is *still* when the
within-minute standard deviation of every axis is below ``sd_threshold_g``; a run of at least
``window_min`` consecutive still minutes is flagged non-wear. Deviation from GGIR: walkrx
uses within-minute SDs (so results are exactly the same for any chunking) and no range
criterion.

Caveat: people with back pain may rest very still for long periods (lying, sleeping with
the sensor on). Such periods can be flagged non-wear. Lengthen ``window_min`` (e.g. 90 min)
to flag fewer of them.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def minute_moments(
    minute_idx: npt.NDArray[np.int64], acc_g: npt.NDArray[np.floating]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Per-minute sufficient statistics for mergeable SDs.

    Returns the unique minute indices and an array (k, 7): count, sum x/y/z, sum of squares
    x/y/z. Statistics of the same minute from different chunks can simply be added.
    """
    if minute_idx.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 7))
    a = np.asarray(acc_g, dtype=np.float32)
    if np.all(minute_idx[1:] >= minute_idx[:-1]):
        starts = np.r_[0, np.flatnonzero(minute_idx[1:] != minute_idx[:-1]) + 1]
        minutes = minute_idx[starts].astype(np.int64)
        out = np.empty((starts.size, 7))
        out[:, 0] = np.diff(np.r_[starts, minute_idx.size])
        # squares in float32 are exact to ~1e-7 relative; sums accumulate in float64
        out[:, 1:4] = np.add.reduceat(a, starts, axis=0, dtype=np.float64)
        out[:, 4:7] = np.add.reduceat(a * a, starts, axis=0, dtype=np.float64)
        return minutes, out
    uniq, inv = np.unique(minute_idx, return_inverse=True)
    k = uniq.size
    out = np.zeros((k, 7))
    out[:, 0] = np.bincount(inv, minlength=k)
    for j in range(3):
        col = a[:, j].astype(np.float64)
        out[:, 1 + j] = np.bincount(inv, weights=col, minlength=k)
        out[:, 4 + j] = np.bincount(inv, weights=col * col, minlength=k)
    return uniq.astype(np.int64), out


def minute_sd(moments: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Within-minute SD per axis (k, 3) from :func:`minute_moments` statistics."""
    n = np.maximum(moments[:, 0:1], 1.0)
    mean = moments[:, 1:4] / n
    var = moments[:, 4:7] / n - mean * mean
    return np.sqrt(np.maximum(var, 0.0))


def flag_nonwear(still: npt.NDArray[np.bool_], window_min: int = 60) -> npt.NDArray[np.bool_]:
    """Mark runs of at least ``window_min`` consecutive ``still`` minutes as non-wear.

    ``still`` must be on a regular minute grid (missing minutes count as not still).
    """
    s = np.asarray(still, dtype=bool)
    out = np.zeros_like(s)
    if s.size == 0:
        return out
    d = np.diff(np.r_[0, s.astype(np.int8), 0])
    starts = np.flatnonzero(d == 1)
    ends = np.flatnonzero(d == -1)
    for a, b in zip(starts, ends, strict=True):
        if b - a >= window_min:
            out[a:b] = True
    return out
