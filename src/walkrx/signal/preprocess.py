"""Orientation-invariant signals derived from three-axis acceleration.

walkrx never assumes how the sensor sits on the body. It uses the vector magnitude
(invariant to any rotation) or the projection on the gravity direction estimated from the
data itself (a moving average of the acceleration vector).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numpy.typing as npt
from scipy import signal as sps
from scipy.ndimage import uniform_filter1d

from .base import Placement, check_placement

FloatArray = npt.NDArray[np.floating]


def vector_magnitude(acc_g: FloatArray) -> npt.NDArray[np.float32]:
    """Euclidean norm of each sample, in g (float32)."""
    a = np.asarray(acc_g, dtype=np.float32)
    out: npt.NDArray[np.float32] = np.sqrt(np.einsum("ij,ij->i", a, a, dtype=np.float32))
    return out


def gravity_direction(
    acc_g: FloatArray, sampling_rate_hz: float, window_s: float = 2.0
) -> npt.NDArray[np.float32]:
    """Unit vector of gravity per sample: the moving average of acceleration, normalised.

    ``window_s`` must be long compared with one step (≈0.5 s) so that the step
    accelerations average out, and short enough to follow posture changes.
    """
    # float64: the moving average is a running sum, whose float32 rounding would depend on
    # where the segment starts (and so on the chunking)
    a = np.asarray(acc_g, dtype=np.float64)
    size = max(1, int(round(window_s * sampling_rate_hz)))
    g = uniform_filter1d(a, size=size, axis=0, mode="nearest")
    norm = np.sqrt(np.einsum("ij,ij->i", g, g))
    norm[norm < 1e-6] = 1.0
    out: npt.NDArray[np.float32] = (g / norm[:, None]).astype(np.float32)
    return out


def vertical_acceleration(
    acc_g: FloatArray, sampling_rate_hz: float, window_s: float = 2.0
) -> npt.NDArray[np.float32]:
    """Acceleration along the estimated gravity direction minus 1 g (dynamic vertical), in g."""
    a = np.asarray(acc_g, dtype=np.float32)
    gh = gravity_direction(a, sampling_rate_hz, window_s)
    out: npt.NDArray[np.float32] = np.einsum("ij,ij->i", a, gh, dtype=np.float32) - np.float32(1.0)
    return out


@lru_cache(maxsize=64)
def _butter_sos(
    sampling_rate_hz: float, lo: float, hi: float, order: int
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    sos = sps.butter(order, [lo, hi], btype="band", fs=sampling_rate_hz, output="sos")
    return sos, sps.sosfilt_zi(sos)


def _sosfiltfilt(
    sos: npt.NDArray[np.float64],
    zi: npt.NDArray[np.float64],
    x: npt.NDArray[np.float64],
    padlen: int,
) -> npt.NDArray[np.float64]:
    """Same as :func:`scipy.signal.sosfiltfilt` (odd padding) with a precomputed ``zi``."""
    if padlen > 0:
        left = 2 * x[0] - x[padlen:0:-1]
        right = 2 * x[-1] - x[-2 : -padlen - 2 : -1]
        ext = np.concatenate([left, x, right])
    else:
        ext = x
    y, _ = sps.sosfilt(sos, ext, zi=zi * ext[0])
    y = y[::-1]
    y, _ = sps.sosfilt(sos, y, zi=zi * y[0])
    y = y[::-1]
    out: npt.NDArray[np.float64] = y[padlen : y.size - padlen] if padlen > 0 else y
    return out


def bandpass(
    x: FloatArray, sampling_rate_hz: float, band_hz: tuple[float, float], order: int = 4
) -> npt.NDArray[np.float64]:
    """Zero-phase Butterworth band-pass (forward-backward, so the effective order doubles)."""
    nyq = sampling_rate_hz / 2.0
    hi = min(band_hz[1], 0.45 * sampling_rate_hz)
    if band_hz[0] <= 0 or hi >= nyq:
        raise ValueError(f"band {band_hz} Hz does not fit a sample rate of {sampling_rate_hz} Hz")
    sos, zi = _butter_sos(float(sampling_rate_hz), float(band_hz[0]), float(hi), order)
    x64: npt.NDArray[np.float64] = np.asarray(x, dtype=np.float64)
    padlen = min(3 * (2 * len(sos) + 1), max(0, x64.shape[0] - 1))
    return _sosfiltfilt(sos, zi, x64, padlen)


def step_signal(
    acc_g: FloatArray,
    sampling_rate_hz: float,
    placement: Placement,
    band_hz: tuple[float, float] = (0.5, 3.0),
    gravity_window_s: float = 2.0,
) -> npt.NDArray[np.float64]:
    """The band-passed signal in which each step shows as one peak.

    * ``lower-back``: the dynamic vertical acceleration (projection on the estimated gravity
      direction). The trunk's vertical acceleration peaks shortly after each initial contact.
    * ``thigh`` and ``wrist``: the vector magnitude. On these segments the gravity direction
      itself swings with every stride, so a projection would mix rotation into the signal;
      the magnitude keeps the impact of each foot contact and ignores rotation.
    """
    placement = check_placement(placement)
    if placement == "lower-back":
        raw = vertical_acceleration(acc_g, sampling_rate_hz, gravity_window_s)
    else:
        raw = vector_magnitude(acc_g)
    return bandpass(raw, sampling_rate_hz, band_hz)
