"""HUNT exposure categories used by the analysis: labels, lower bounds, published RRs.

Source: Haddadj R, et al. JAMA Netw Open. 2025;8(6):e2515592 (``EVIDENCE.md`` §1).
Boundaries: a participant mean of 100.4 min/day falls in 78-100 (HUNT reports whole minutes),
i.e. each category is ``lower <= value < next lower``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

# TODO(research): take cut-points, labels and RRs from walkrx.evidence once it provides them.


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
        cat = pd.Categorical.from_codes(
            np.where(values.isna().to_numpy(), -1, codes),
            categories=list(self.labels),
            ordered=True,
        )
        return pd.Series(cat, index=values.index, name=f"{self.name}_category")


VOLUME = ExposureScale(
    name="volume",
    variable="walk_min_per_day",
    unit="min/day",
    labels=("<78 min/day", "78-100 min/day", "101-124 min/day", ">=125 min/day"),
    lower_bounds=(78.0, 101.0, 125.0),
    published_rr=(1.00, 0.87, 0.77, 0.76),
    continuous_per=30.0,
    continuous_label="per 30 min/day",
)

INTENSITY = ExposureScale(
    name="intensity",
    variable="mean_walk_met",
    unit="MET",
    labels=("<3.00 MET", "3.00-3.11 MET", "3.12-3.26 MET", ">=3.27 MET"),
    lower_bounds=(3.00, 3.12, 3.27),
    published_rr=(1.00, 0.85, 0.82, 0.82),
    continuous_per=0.1,
    continuous_label="per 0.1 MET",
)

SCALES: dict[str, ExposureScale] = {"volume": VOLUME, "intensity": INTENSITY}

CITATION = (
    "Haddadj R, Nordstoga AL, Nilsen TIL, et al. Volume and Intensity of Walking and Risk of "
    "Chronic Low Back Pain. JAMA Netw Open. 2025;8(6):e2515592. "
    "doi:10.1001/jamanetworkopen.2025.15592"
)

CAVEATS: tuple[str, ...] = (
    "Observational: these are associations between people, not the effect of walking more "
    "(association, not causation).",
    "Exposure is one measured week per person; it compares people, not changes within a person.",
    "HUNT's cohort was free of chronic low back pain at baseline (prevention), not patients.",
    "Risk ratios are adjusted only for the covariates listed; unmeasured confounding remains possible.",
)
