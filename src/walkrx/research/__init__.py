"""Research mode: cohort batch processing on Dask and HUNT-style risk-ratio analysis.

- :func:`run_cohort` — one Dask task per recording, resumable, with a QC table and a
  collated per-participant per-day table.
- :func:`analyze` — adjusted risk ratios (log-link Poisson GLM, robust errors) by HUNT
  walking volume and intensity categories, per 30 min/day, and a restricted cubic spline.
- :func:`simulate_cohort` — a synthetic cohort whose true risk ratios are HUNT's.

Results are observational associations, not causal effects (see ``EVIDENCE.md`` §1).
"""

from __future__ import annotations

from typing import Any

__all__ = ["analyze", "run_cohort", "simulate_cohort"]


def __getattr__(name: str) -> Any:
    """Import lazily, so that ``import walkrx.research`` does not pull in Dask or statsmodels."""
    if name == "run_cohort":
        from .cohort import run_cohort

        return run_cohort
    if name == "analyze":
        from .analysis import analyze

        return analyze
    if name == "simulate_cohort":
        from .simulate import simulate_cohort

        return simulate_cohort
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
