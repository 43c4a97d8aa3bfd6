"""Step (initial-contact) detection by peak picking on an orientation-invariant signal."""

from __future__ import annotations

from typing import Self

import numpy as np
import numpy.typing as npt
from scipy import signal as sps

from .base import Placement, StepDetector, check_placement
from .preprocess import step_signal


class PeakStepDetector(StepDetector):
    """One step per peak of the band-passed step signal.

    The signal is :func:`walkrx.signal.preprocess.step_signal` for the stated placement,
    band-passed to the physiological step band (default 0.5–3 Hz, i.e. 30–180 steps/min).
    A peak counts when its prominence is at least ``min_prominence_g`` and it lies at least
    ``min_step_interval_s`` after the previous counted peak. Prominence is computed within
    ``prominence_window_s`` so that the result depends only on the neighbourhood of a peak
    (this is what makes chunked and whole-file processing agree).

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
    ) -> None:
        self.placement = placement
        self.band_hz = band_hz
        self.min_prominence_g = min_prominence_g
        self.min_step_interval_s = min_step_interval_s
        self.prominence_window_s = prominence_window_s
        self.gravity_window_s = gravity_window_s

    def detect(self, acc_g: npt.NDArray[np.floating], sampling_rate_hz: float) -> Self:
        """Detect steps; sets ``step_idx_`` and ``step_prominence_g_``."""
        check_placement(self.placement)
        n = int(np.asarray(acc_g).shape[0])
        if n < int(2 * sampling_rate_hz):
            self.step_idx_ = np.zeros(0, dtype=np.int64)
            self.step_prominence_g_ = np.zeros(0)
            return self
        s = step_signal(
            acc_g, sampling_rate_hz, self.placement, self.band_hz, self.gravity_window_s
        )
        wlen = max(3, int(round(self.prominence_window_s * sampling_rate_hz)) | 1)
        idx, props = sps.find_peaks(
            s,
            distance=max(1, int(round(self.min_step_interval_s * sampling_rate_hz))),
            prominence=self.min_prominence_g,
            wlen=wlen,
        )
        self.step_idx_ = idx.astype(np.int64)
        self.step_prominence_g_ = props["prominences"]
        return self
