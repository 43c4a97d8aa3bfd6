"""HUNT-style risk ratios of an outcome by walking volume and intensity.

Method (see ``docs/research.md``):

- Exposures per participant, over valid days only: mean daily walking minutes and mean walking
  MET (walk-minute weighted). Participants without a valid day are excluded and counted.
- Risk ratios from a log-link Poisson GLM (``statsmodels`` GLM, family Poisson) with robust
  sandwich standard errors, ``cov_type="HC0"`` (the "modified Poisson" of Zou 2004, without a
  small-sample correction) and Wald 95 % CIs.
- Volume and intensity are analysed in separate models, each adjusted for the covariates
  (HUNT's table shows separate estimates). ``mutual_adjustment=True`` also adds the other
  exposure's categories (for the category and spline models) or its continuous value (for the
  continuous model).
- A continuous estimate per 30 min/day (volume) and per 0.1 MET (intensity).
- A restricted cubic spline (Harrell; knots at the 10th/50th/90th percentiles) with its 95 % CI
  relative to a reference value: the median exposure of the reference category.

Associations between people, not causal effects: the caveats travel with every output.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._categories import CAVEATS, CITATION, SCALES, ExposureScale
from ._inputs import AnalysisInputError, Covariate, load_outcomes, participant_exposures
from .rcs import DEFAULT_KNOT_PERCENTILES, knots_at_percentiles, rcs_basis

__all__ = ["AnalysisInputError", "AnalysisResult", "RRRow", "analyze"]

COV_TYPE = "HC0"
Z95 = 1.959963984540054


@dataclass(frozen=True)
class RRRow:
    """One category row of the HUNT-style table."""

    exposure: str
    category: str
    n: int
    cases: int
    rr: float | None
    ci_low: float | None
    ci_high: float | None
    reference: bool = False

    @property
    def rr_ci(self) -> str:
        """Format as in HUNT's table: ``1.00 (reference)`` or ``0.77 (0.68-0.87)``."""
        if self.reference:
            return "1.00 (reference)"
        if self.rr is None:
            return "not estimable"
        return f"{self.rr:.2f} ({self.ci_low:.2f}-{self.ci_high:.2f})"

    def to_json(self) -> dict[str, Any]:
        """Return the documented JSON row."""
        return {
            "exposure": self.exposure,
            "category": self.category,
            "n": self.n,
            "cases": self.cases,
            "rr": self.rr,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
        }


@dataclass
class AnalysisResult:
    """Everything :func:`analyze` estimated, plus where it was written."""

    outcome: str
    covariates: list[str]
    mutual_adjustment: bool
    rows: list[RRRow]
    continuous: list[dict[str, Any]]
    curves: dict[str, pd.DataFrame]
    spline_info: dict[str, dict[str, Any]]
    participants: pd.DataFrame
    counts: dict[str, int]
    summaries: dict[str, str]
    notes: list[str] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    cov_type: str = COV_TYPE

    def table(self) -> pd.DataFrame:
        """Return the category table (glossary ``rr_table``)."""
        return pd.DataFrame(
            [{**r.to_json(), "rr_ci": r.rr_ci} for r in self.rows],
            columns=["exposure", "category", "n", "cases", "rr", "ci_low", "ci_high", "rr_ci"],
        )

    def to_json(self) -> dict[str, Any]:
        """Return the JSON document printed by ``walkrx cohort analyze --json``."""
        return {
            "rows": [r.to_json() for r in self.rows],
            "continuous": self.continuous,
            "spline": self.spline_info,
            "outcome": self.outcome,
            "covariates": self.covariates,
            "mutual_adjustment": self.mutual_adjustment,
            "model": f"Poisson GLM, log link, robust ({self.cov_type}) standard errors",
            "participants": self.counts,
            "notes": self.notes,
            "caveats": list(CAVEATS),
            "citation": CITATION,
            "outputs": [p.name for p in self.outputs],
        }


def analyze(
    days_table: str | Path | pd.DataFrame,
    outcomes_csv: str | Path | pd.DataFrame,
    outcome: str,
    covariates: Sequence[str] = (),
    out_dir: str | Path | None = None,
    *,
    mutual_adjustment: bool = False,
    knot_percentiles: Sequence[float] = DEFAULT_KNOT_PERCENTILES,
    plot: bool = True,
) -> AnalysisResult:
    """Estimate adjusted risk ratios of ``outcome`` by HUNT walking categories.

    Args:
        days_table: the cohort day table (``participant_id``, ``date``, ``walk_min``,
            ``mean_met``, ``valid_day``), as a DataFrame or a Parquet/CSV path.
        outcomes_csv: one row per participant: ``participant_id``, the 0/1 outcome and the
            covariates (DataFrame or Parquet/CSV path).
        outcome: name of the outcome column (values 0 or 1).
        covariates: covariate columns; numeric as they are, ``C(name)`` for categorical ones
            (one-hot, first sorted level as reference).
        out_dir: where to write the report; ``None`` writes nothing.
        mutual_adjustment: also adjust each exposure for the other one.
        knot_percentiles: percentiles of the exposure at which to place the spline knots.
        plot: draw the dose-response PNG (needs ``out_dir``).

    Raises:
        AnalysisInputError: a missing column, an outcome that is not 0/1, a duplicate
            participant, a non-numeric covariate, no participant with a valid day ... The
            message names the column and the participant/row.

    """
    covs = [Covariate.parse(c) for c in covariates]
    exposures = participant_exposures(days_table)
    design, cov_names = load_outcomes(outcomes_csv, outcome, covs)

    people = exposures.participants
    merged = people.merge(design, on="participant_id", how="inner")
    counts = {
        "in_days_table": len(people) + exposures.excluded["no_valid_days"],
        "in_outcomes": len(design),
        "excluded_no_valid_days": exposures.excluded["no_valid_days"],
        "excluded_no_outcome": int(
            (~people["participant_id"].isin(design["participant_id"])).sum()
        ),
        "excluded_not_in_days_table": int(
            (~design["participant_id"].isin(exposures.all_ids)).sum()
        ),
    }
    if merged.empty:
        raise AnalysisInputError(
            "no participant_id is in both the days table (with a valid day) and the outcomes "
            f"(e.g. days has {people['participant_id'].iloc[0]!r}, outcomes has "
            f"{design['participant_id'].iloc[0]!r})"
        )
    for scale in SCALES.values():
        merged[f"{scale.name}_category"] = scale.categorize(merged[scale.variable])
    counts["analysed"] = len(merged)
    counts["cases"] = int(merged["_outcome"].sum())
    counts["excluded_from_intensity_no_walking"] = int(merged["mean_walk_met"].isna().sum())

    notes: list[str] = []
    rows: list[RRRow] = []
    continuous: list[dict[str, Any]] = []
    curves: dict[str, pd.DataFrame] = {}
    spline_info: dict[str, dict[str, Any]] = {}
    summaries: dict[str, str] = {}
    for scale in SCALES.values():
        other = SCALES["intensity" if scale.name == "volume" else "volume"]
        need = [scale.variable, *([other.variable] if mutual_adjustment else [])]
        data = merged.dropna(subset=need).reset_index(drop=True)
        if data.empty:
            notes.append(f"{scale.name}: no participant has this exposure; not analysed")
            continue
        if data["_outcome"].sum() == 0:
            raise AnalysisInputError(
                f"outcome {outcome!r} is 0 for every analysed participant; risk ratios are not estimable"
            )
        adjust = data[cov_names].copy()
        adjust_cat = _category_dummies(data, other) if mutual_adjustment else None
        cat_rows, text = _category_model(data, scale, adjust, adjust_cat, notes)
        rows.extend(cat_rows)
        summaries[f"{scale.name} categories"] = text
        adjust_cont = adjust.copy()
        if mutual_adjustment:
            adjust_cont[other.variable] = data[other.variable]
        cont, text = _continuous_model(data, scale, adjust_cont)
        continuous.append(cont)
        summaries[f"{scale.name} {scale.continuous_label}"] = text
        try:
            curve, info, text = _spline_model(
                data, scale, adjust, adjust_cat, rows, knot_percentiles
            )
        except ValueError as exc:
            notes.append(f"{scale.name}: spline not fitted ({exc})")
        else:
            curves[scale.name] = curve
            spline_info[scale.name] = info
            summaries[f"{scale.name} spline"] = text

    result = AnalysisResult(
        outcome=outcome,
        covariates=[
            c if not cv.categorical else f"C({cv.name})"
            for c, cv in zip(covariates, covs, strict=True)
        ],
        mutual_adjustment=mutual_adjustment,
        rows=rows,
        continuous=continuous,
        curves=curves,
        spline_info=spline_info,
        participants=_participant_table(merged),
        counts=counts,
        summaries=summaries,
        notes=notes,
    )
    if out_dir is not None:
        from .report import write_report

        result.outputs = write_report(result, Path(out_dir), plot=plot)
    return result


def _participant_table(merged: pd.DataFrame) -> pd.DataFrame:
    cols = [
        "participant_id",
        "valid_days",
        "walk_min_per_day",
        "mean_walk_met",
        "volume_category",
        "intensity_category",
    ]
    return merged[cols].copy()


def _category_dummies(data: pd.DataFrame, scale: ExposureScale) -> pd.DataFrame:
    """One-hot non-reference categories of ``scale`` present in ``data``."""
    cat = data[f"{scale.name}_category"]
    present = [label for label in scale.labels if (cat == label).any()]
    return pd.DataFrame(
        {f"{scale.name}[{label}]": (cat == label).astype(float) for label in present[1:]}
    )


def _fit(y: pd.Series, X: pd.DataFrame) -> Any:
    import statsmodels.api as sm

    X = sm.add_constant(X, has_constant="add")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        model = sm.GLM(y, X, family=sm.families.Poisson())
        return model.fit(cov_type=COV_TYPE)


def _rr(res: Any, name: str, scale_by: float = 1.0) -> tuple[float, float, float]:
    beta = float(res.params[name]) * scale_by
    se = float(res.bse[name]) * scale_by
    return math.exp(beta), math.exp(beta - Z95 * se), math.exp(beta + Z95 * se)


def _category_model(
    data: pd.DataFrame,
    scale: ExposureScale,
    adjust: pd.DataFrame,
    adjust_cat: pd.DataFrame | None,
    notes: list[str],
) -> tuple[list[RRRow], str]:
    cat = data[f"{scale.name}_category"]
    y = data["_outcome"]
    present = [label for label in scale.labels if (cat == label).any()]
    reference = present[0]
    if reference != scale.labels[0]:
        notes.append(
            f"{scale.name}: nobody in {scale.labels[0]!r}; the reference is {reference!r} instead"
        )
    X = pd.concat(
        [
            pd.DataFrame(
                {f"{scale.name}[{lab}]": (cat == lab).astype(float) for lab in present[1:]}
            ),
            adjust,
            *([adjust_cat] if adjust_cat is not None else []),
        ],
        axis=1,
    )
    res = _fit(y, X)
    rows = []
    for label in scale.labels:
        mask = cat == label
        n, cases = int(mask.sum()), int(y[mask].sum())
        if label == reference:
            rows.append(RRRow(scale.name, label, n, cases, 1.0, None, None, reference=True))
        elif n == 0 or cases == 0:
            rows.append(RRRow(scale.name, label, n, cases, None, None, None))
            notes.append(f"{scale.name} {label}: {n} participants, {cases} cases; RR not estimable")
        else:
            rr, lo, hi = _rr(res, f"{scale.name}[{label}]")
            rows.append(RRRow(scale.name, label, n, cases, rr, lo, hi))
    return rows, _summary_text(res, f"{scale.name} categories (reference {reference})")


def _continuous_model(
    data: pd.DataFrame, scale: ExposureScale, adjust: pd.DataFrame
) -> tuple[dict[str, Any], str]:
    name = f"{scale.variable}_per_{scale.continuous_per:g}"
    X = pd.concat(
        [pd.DataFrame({name: data[scale.variable] / scale.continuous_per}), adjust], axis=1
    )
    res = _fit(data["_outcome"], X)
    rr, lo, hi = _rr(res, name)
    row = {
        "exposure": scale.name,
        "per": scale.continuous_label,
        "n": len(data),
        "cases": int(data["_outcome"].sum()),
        "rr": rr,
        "ci_low": lo,
        "ci_high": hi,
    }
    return row, _summary_text(res, f"{scale.name} {scale.continuous_label} (continuous)")


def _spline_model(
    data: pd.DataFrame,
    scale: ExposureScale,
    adjust: pd.DataFrame,
    adjust_cat: pd.DataFrame | None,
    rows: list[RRRow],
    knot_percentiles: Sequence[float],
) -> tuple[pd.DataFrame, dict[str, Any], str]:
    x = data[scale.variable].to_numpy(float)
    knots = knots_at_percentiles(x, knot_percentiles)
    basis = rcs_basis(x, knots)
    names = [f"{scale.name}_rcs{j}" for j in range(basis.shape[1])]
    X = pd.concat(
        [
            pd.DataFrame(basis, columns=names),
            adjust,
            *([adjust_cat] if adjust_cat is not None else []),
        ],
        axis=1,
    )
    res = _fit(data["_outcome"], X)
    ref_label = next(r.category for r in rows if r.exposure == scale.name and r.reference)
    ref_value = float(np.median(x[(data[f"{scale.name}_category"] == ref_label).to_numpy()]))
    lo_x, hi_x = np.percentile(x, [1.0, 99.0])
    grid = np.linspace(lo_x, hi_x, 200)
    diff = rcs_basis(grid, knots) - rcs_basis(np.array([ref_value]), knots)
    beta = res.params[names].to_numpy()
    cov = res.cov_params().loc[names, names].to_numpy()
    log_rr = diff @ beta
    se = np.sqrt(np.einsum("ij,jk,ik->i", diff, cov, diff))
    curve = pd.DataFrame(
        {
            "exposure": scale.name,
            "value": grid,
            "rr": np.exp(log_rr),
            "ci_low": np.exp(log_rr - Z95 * se),
            "ci_high": np.exp(log_rr + Z95 * se),
        }
    )
    nonlinear = names[1:]
    wald = res.wald_test(", ".join(f"{n} = 0" for n in nonlinear), scalar=True)
    info = {
        "knots": [float(k) for k in knots],
        "knot_percentiles": [float(p) for p in knot_percentiles],
        "reference_value": ref_value,
        "reference": f"median {scale.unit} of the {ref_label} category",
        "p_nonlinear": float(wald.pvalue),
        "unit": scale.unit,
    }
    return (
        curve,
        info,
        _summary_text(
            res, f"{scale.name} restricted cubic spline, knots {np.round(knots, 3).tolist()}"
        ),
    )


def _summary_text(res: Any, title: str) -> str:
    head = f"== {title} ==\nPoisson GLM, log link, robust sandwich covariance ({COV_TYPE})\n"
    return head + str(res.summary()) + "\n"
