"""HUNT exposure categories used by the analysis, taken from :mod:`walkrx.evidence.hunt`.

Labels, cut-points and published RRs come from ``walkrx.evidence`` (one place for the numbers,
with their citation). Binning is that module's: ``lower <= value < next lower``, so a participant
mean of 100.4 min/day falls in 78-100 (HUNT labels whole minutes).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from walkrx.evidence.cite import cite
from walkrx.evidence.findings import finding
from walkrx.evidence.hunt import HUNT_INTENSITY_BANDS, HUNT_VOLUME_BANDS
from walkrx.evidence.types import Category


@dataclass(frozen=True)
class ExposureScale:
    """An exposure's ordered HUNT categories (the first is the reference)."""

    name: str  # "volume" | "intensity"
    variable: str  # participant-level column
    unit: str
    labels: tuple[str, ...]
    lower_bounds: tuple[float, ...]  # lower bound of each category after the first
    published_rr: tuple[float, ...]
    continuous_per: float  # the unit of the continuous estimate
    continuous_label: str

    def categorize(self, values: pd.Series) -> pd.Series:
        """Return the category label of each value as an ordered categorical (NaN stays NaN)."""
        codes = np.searchsorted(np.asarray(self.lower_bounds), values.to_numpy(float), "right")
        codes = np.where(values.isna().to_numpy(), -1, codes).astype(np.int64)
        cat = pd.Categorical.from_codes(codes, categories=pd.Index(self.labels), ordered=True)
        return pd.Series(cat, index=values.index, name=f"{self.name}_category")


def _scale(
    name: str,
    variable: str,
    unit: str,
    bands: tuple[tuple[float, float, Category], ...],
    continuous_per: float,
    continuous_label: str,
) -> ExposureScale:
    return ExposureScale(
        name=name,
        variable=variable,
        unit=unit,
        labels=tuple(c.label for _, _, c in bands),
        lower_bounds=tuple(low for low, _, _ in bands[1:]),
        published_rr=tuple(c.rr for _, _, c in bands),
        continuous_per=continuous_per,
        continuous_label=continuous_label,
    )


VOLUME = _scale("volume", "walk_min_per_day", "min/day", HUNT_VOLUME_BANDS, 30.0, "per 30 min/day")
INTENSITY = _scale("intensity", "mean_walk_met", "MET", HUNT_INTENSITY_BANDS, 0.1, "per 0.1 MET")

SCALES: dict[str, ExposureScale] = {"volume": VOLUME, "intensity": INTENSITY}

CITATION = cite("hunt-2025")

CAVEATS: tuple[str, ...] = (
    finding("hunt-cohort").caveat,
    "Risk ratios are adjusted only for the covariates listed; unmeasured confounding remains "
    "possible.",
)
