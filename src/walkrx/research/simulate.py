"""Simulate a cohort whose true risk ratios are HUNT's, to validate :func:`analyze`.

Design (documented in ``docs/research.md``):

- age ~ Normal(55.3, 15.1) clipped to 20-95 years; 58.6 % women (HUNT's baseline).
- Each participant has a usual daily walking volume (log-normal, median ~100 min/day, lower
  with age, slightly higher in women) and a usual walking intensity (MET, lower with age and in
  women, higher in people who walk more). Seven days are recorded; day-to-day noise is added,
  about 8 % of days are not valid (short wear) and ~0.5 % of participants have no valid day.
- Exposures are computed from the simulated days exactly as :func:`analyze` computes them, then
  categorised with HUNT's cut-points.
- True risk, multiplicative (log-linear):
  ``p = b * exp(0.012 * (age - 55)) * 1.25^female * RR_volume[cat] * RR_intensity[cat]``
  with HUNT's RRs (volume 1.00/0.87/0.77/0.76; intensity 1.00/0.85/0.82/0.82) and ``b`` set
  for the target incidence (~15 %). The two exposures are correlated with each other and with
  age and sex, so the true RRs are the *mutually adjusted* ones: recover them with
  ``analyze(..., covariates=["age", "C(sex)"], mutual_adjustment=True)``. Separate models
  (the default) are confounded by the other exposure here, by design.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ._categories import INTENSITY, SCALES, VOLUME
from ._inputs import participant_exposures

AGE_LOG_RR_PER_YEAR = 0.012
FEMALE_RR = 1.25


@dataclass
class SimulatedCohort:
    """A simulated cohort: day table, outcomes table and the true risk ratios."""

    days: pd.DataFrame
    outcomes: pd.DataFrame
    truth: pd.DataFrame  # exposure, category, true_rr

    def write(self, folder: Path) -> tuple[Path, Path]:
        """Write ``days.parquet`` and ``outcomes.csv`` into ``folder``; return the paths."""
        folder.mkdir(parents=True, exist_ok=True)
        days_path = folder / "days.parquet"
        outcomes_path = folder / "outcomes.csv"
        self.days.to_parquet(days_path, index=False)
        self.outcomes.to_csv(outcomes_path, index=False)
        return days_path, outcomes_path


def true_risk_ratios() -> pd.DataFrame:
    """Return the simulation's true RRs (HUNT's published table)."""
    return pd.DataFrame(
        [
            {"exposure": s.name, "category": label, "true_rr": rr}
            for s in SCALES.values()
            for label, rr in zip(s.labels, s.published_rr, strict=True)
        ]
    )


def simulate_cohort(
    n: int = 30_000,
    *,
    seed: int = 2025,
    incidence: float = 0.15,
    n_days: int = 7,
    start: dt.date = dt.date(2018, 3, 5),
) -> SimulatedCohort:
    """Simulate ``n`` participants' days and outcomes (see the module docstring)."""
    if n < 100:
        raise ValueError(f"simulate at least 100 participants, not {n}")
    rng = np.random.default_rng(seed)
    age = np.round(np.clip(rng.normal(55.3, 15.1, n), 20, 95), 1)
    female = rng.random(n) < 0.586
    z = rng.normal(0.0, 1.0, n)  # shared "active person" factor

    log_vol = np.log(95.0) - 0.006 * (age - 55) + 0.05 * female + 0.30 * z + rng.normal(0, 0.17, n)
    usual_met = 3.16 - 0.005 * (age - 55) - 0.06 * female + 0.06 * z + rng.normal(0, 0.16, n)

    pid = np.array([f"S{i:06d}" for i in range(1, n + 1)])
    day_vol = np.exp(log_vol[:, None] + rng.normal(0, 0.30, (n, n_days)))
    wear = np.clip(rng.normal(900, 120, (n, n_days)), 300, 1440)
    short = rng.random((n, n_days)) < 0.08
    none_valid = rng.random(n) < 0.005
    short[none_valid, :] = True
    wear[short] = rng.uniform(60, 590, short.sum())
    walk = day_vol * np.where(short, wear / 900, 1.0)
    met = usual_met[:, None] + rng.normal(0, 0.10, (n, n_days))
    no_walk = walk < 0.5
    walk[no_walk] = 0.0
    met = np.where(no_walk, np.nan, met)
    cadence = rng.normal(105, 8, (n, 1))
    dates = [start + dt.timedelta(days=d) for d in range(n_days)]

    days = pd.DataFrame(
        {
            "participant_id": np.repeat(pid, n_days),
            "file": np.repeat(np.char.add(pid, ".cwa"), n_days),
            "date": np.tile(np.array(dates, dtype=object), n),
            "walk_min": np.round(walk, 2).ravel(),
            "steps": np.round(walk * cadence).ravel(),
            "mean_met": np.round(met, 3).ravel(),
            "wear_min": np.round(wear, 1).ravel(),
            "valid_day": (wear >= 600).ravel(),
        }
    )

    exposures = participant_exposures(days).participants.set_index("participant_id")
    exposures = exposures.reindex(pid)
    vol_cat = VOLUME.categorize(exposures["walk_min_per_day"])
    int_cat = INTENSITY.categorize(exposures["mean_walk_met"])
    rr_vol = _rr_of(vol_cat, VOLUME.labels, VOLUME.published_rr)
    rr_int = _rr_of(int_cat, INTENSITY.labels, INTENSITY.published_rr)
    rest = (
        np.exp(AGE_LOG_RR_PER_YEAR * (age - 55))
        * np.where(female, FEMALE_RR, 1.0)
        * rr_vol
        * rr_int
    )
    base = incidence / float(np.mean(rest))
    risk = base * rest
    if risk.max() >= 1:
        raise ValueError("simulated risk reached 1; lower the incidence")
    outcome = (rng.random(n) < risk).astype(int)
    outcomes = pd.DataFrame(
        {
            "participant_id": pid,
            "lbp": outcome,
            "age": age,
            "sex": np.where(female, "F", "M"),
        }
    )
    return SimulatedCohort(days=days, outcomes=outcomes, truth=true_risk_ratios())


def _rr_of(cat: pd.Series, labels: tuple[str, ...], rrs: tuple[float, ...]) -> np.ndarray:
    mapping = dict(zip(labels, rrs, strict=True))
    values = cat.astype(object).map(mapping).astype(float).to_numpy()
    return np.where(np.isnan(values), 1.0, values)  # no exposure (no valid day): excluded anyway
