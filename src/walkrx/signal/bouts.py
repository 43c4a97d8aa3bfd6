"""Walking bouts from step times: rhythmic runs of steps."""

from __future__ import annotations

from typing import Self

import numpy as np
import numpy.typing as npt

from .base import BoutDetector


class StepRunBoutDetector(BoutDetector):
    """A bout is a run of at least ``min_steps`` steps with no gap above ``max_gap_s``.

    The defaults — at least 4 steps (two strides), pauses of up to 3 s kept inside a bout —
    follow the Mobilise-D consensus definition of a walking bout (Kluge F et al., PLoS One
    2021;16(8):e0256541: at least two consecutive strides; breaks up to 3 s merged), as
    walkrx understands it; the definition was not re-checked against the paper here.
    Deviation: Mobilise-D counts strides of both feet from a gait-event pipeline, walkrx
    counts peaks of one signal.

    A run may also be required to be rhythmic: the median absolute difference between
    consecutive step intervals, divided by the median interval, must not exceed
    ``max_irregularity``. The default (1.0) only rejects grossly irregular runs; stricter
    values lost real slow daily-life walking on the lab data.

    The bout spans its first to its last step (the Mobilise-D convention), so a bout of
    ``n`` steps lasts ``n - 1`` step intervals.
    """

    def __init__(
        self, min_steps: int = 4, max_gap_s: float = 3.0, max_irregularity: float = 1.0
    ) -> None:
        self.min_steps = min_steps
        self.max_gap_s = max_gap_s
        self.max_irregularity = max_irregularity

    def detect(self, step_time_s: npt.NDArray[np.floating]) -> Self:
        """Group sorted step times (s); sets ``bouts_`` and ``in_bout_``."""
        t = np.asarray(step_time_s, dtype=np.float64)
        n = t.shape[0]
        self.in_bout_ = np.zeros(n, dtype=bool)
        if n == 0:
            self.bouts_ = np.zeros((0, 2), dtype=np.int64)
            return self
        gaps = np.diff(t)
        breaks = np.flatnonzero(gaps > self.max_gap_s)
        starts = np.r_[0, breaks + 1]
        ends = np.r_[breaks, n - 1]
        keep = (ends - starts + 1) >= self.min_steps
        kept: list[tuple[int, int]] = []
        for a, b in zip(starts[keep], ends[keep], strict=True):
            iv = gaps[a:b]
            med = float(np.median(iv))
            irregular = float(np.median(np.abs(np.diff(iv)))) / med if iv.size > 1 else 0.0
            if irregular <= self.max_irregularity:
                kept.append((int(a), int(b)))
        self.bouts_ = np.array(kept, dtype=np.int64).reshape(-1, 2)
        for a, b in self.bouts_:
            self.in_bout_[a : b + 1] = True
        return self
