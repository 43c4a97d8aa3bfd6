"""Contracts of the signal algorithm families.

Detectors follow the scikit-learn convention: the constructor only stores settings,
``detect(...)`` does the work and returns ``self``, and results end in ``_``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Literal, Self, get_args

import numpy as np
import numpy.typing as npt

Placement = Literal["lower-back", "thigh", "wrist"]
PLACEMENTS: tuple[str, ...] = get_args(Placement)


def check_placement(placement: str) -> Placement:
    """Return ``placement`` if it is a supported body location, else raise ``ValueError``.

    The placement is always stated by the user; walkrx never guesses it.
    """
    if placement not in PLACEMENTS:
        raise ValueError(f"placement must be one of {', '.join(PLACEMENTS)}, not {placement!r}")
    return placement  # type: ignore[return-value]


class StepDetector(ABC):
    """Finds steps (initial contacts) in raw acceleration.

    After :meth:`detect`, ``step_idx_`` holds the sample indices of the detected steps
    (sorted, int64).
    """

    step_idx_: npt.NDArray[np.int64]

    @abstractmethod
    def detect(self, acc_g: npt.NDArray[np.floating], sampling_rate_hz: float) -> Self:
        """Detect steps in ``acc_g`` (shape (n, 3), g, device axes) sampled at ``sampling_rate_hz``."""


class BoutDetector(ABC):
    """Groups step times into walking bouts.

    After :meth:`detect`, ``bouts_`` is an int array of shape (k, 2) holding, for each bout,
    the index of its first and last step in the input, and ``in_bout_`` a boolean mask of the
    steps that belong to a bout (input peaks between a bout's first and last step that are
    not in ``in_bout_`` are not steps).
    """

    bouts_: npt.NDArray[np.int64]
    in_bout_: npt.NDArray[np.bool_]

    @abstractmethod
    def detect(self, step_time_s: npt.NDArray[np.floating]) -> Self:
        """Group the sorted step times (seconds on any common clock) into bouts."""
