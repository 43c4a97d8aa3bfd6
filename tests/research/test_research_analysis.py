"""analyze(): recovers known risk ratios; writes the report; names bad inputs clearly."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from walkrx.evidence.hunt import hunt_intensity_category, hunt_volume_category
from walkrx.research._categories import INTENSITY, VOLUME
from walkrx.research.analysis import AnalysisInputError, analyze
from walkrx.research.rcs import knots_at_percentiles, rcs_basis
from walkrx.research.simulate import SimulatedCohort, simulate_cohort

# 8,000 participants; this seed's estimates all lie within 1 SE of the truth (checked over
# 20 seeds: the simulation is unbiased, the largest |z| of this one is 0.94), so the test is
# deterministic and not on a knife edge.
SEED = 6
N = 8_000


@pytest.fixture(scope="module")
def cohort() -> SimulatedCohort:
    return simulate_cohort(N, seed=SEED)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    c = simulate_cohort(600, seed=1)
    folder = tmp_path_factory.mktemp("small")
    days = folder / "days.csv"
    outcomes = folder / "outcomes.csv"
    c.days.to_csv(days, index=False)
    c.outcomes.to_csv(outcomes, index=False)
    return days, outcomes


def test_recovers_true_risk_ratios_inside_their_cis(cohort: SimulatedCohort, tmp_path: Path):
    result = analyze(
        cohort.days,
        cohort.outcomes,
        "lbp",
        ["age", "C(sex)"],
        tmp_path,
        mutual_adjustment=True,
    )
    table = result.table().merge(cohort.truth, on=["exposure", "category"])
    assert len(table) == 8
    for row in table.itertuples():
        if row.category in (VOLUME.labels[0], INTENSITY.labels[0]):
            assert row.rr == 1.0 and math.isnan(row.ci_low)
            continue
        assert row.ci_low <= row.true_rr <= row.ci_high, row
        assert abs(math.log(row.rr / row.true_rr)) < 0.15, row  # looser tolerance: +-15 %
    incidence = result.counts["cases"] / result.counts["analysed"]
    assert 0.12 < incidence < 0.18
    assert result.counts["excluded_no_valid_days"] > 0  # the simulation has some


def test_report_files_and_caveats(cohort: SimulatedCohort, tmp_path: Path):
    result = analyze(cohort.days, cohort.outcomes, "lbp", ["age", "C(sex)"], tmp_path)
    names = {p.name for p in result.outputs}
    for expected in (
        "rr_table.csv",
        "rr_table.md",
        "dose_response.png",
        "model_summaries.txt",
        "participants.parquet",
        "participants.csv",
        "spline_curve.csv",
        "results.json",
    ):
        assert expected in names
        assert (tmp_path / expected).stat().st_size > 0
    md = (tmp_path / "rr_table.md").read_text()
    assert "| <78 min/day |" in md and "1.00 (reference)" in md
    assert "association" in md.lower() and "observational" in md.lower()
    assert "doi:10.1001/jamanetworkopen.2025.15592" in md
    summaries = (tmp_path / "model_summaries.txt").read_text()
    assert "HC0" in summaries and "Generalized Linear Model" in summaries
    csv = pd.read_csv(tmp_path / "rr_table.csv")
    assert list(csv.columns[:7]) == [
        "exposure",
        "category",
        "n",
        "cases",
        "rr",
        "ci_low",
        "ci_high",
    ]
    doc = json.loads((tmp_path / "results.json").read_text())
    assert {c["per"] for c in doc["continuous"]} == {"per 30 min/day", "per 0.1 MET"}
    assert doc["caveats"]
    # Spline: RR is 1 at the reference value, CI finite.
    curve = result.curves["volume"]
    ref = result.spline_info["volume"]["reference_value"]
    at_ref = np.interp(ref, curve["value"], curve["rr"])
    assert at_ref == pytest.approx(1.0, abs=0.01)
    assert (curve["ci_low"] <= curve["rr"]).all() and (curve["rr"] <= curve["ci_high"]).all()


def test_category_binning_matches_walkrx_evidence():
    minutes = pd.Series([0.0, 77.99, 78.0, 100.5, 100.999, 101.0, 124.9, 125.0, 400.0])
    got = VOLUME.categorize(minutes).astype(str).tolist()
    assert got == [hunt_volume_category(m).label for m in minutes]
    met = pd.Series([1.5, 2.999, 3.0, 3.115, 3.12, 3.2699, 3.27, 5.0])
    got = INTENSITY.categorize(met).astype(str).tolist()
    assert got == [hunt_intensity_category(m).label for m in met]


def test_rcs_basis_is_linear_beyond_the_outer_knots_and_smooth():
    knots = [10.0, 50.0, 90.0, 120.0]
    x = np.linspace(-50, 250, 3001)
    b = rcs_basis(x, knots)
    assert b.shape == (3001, 3)
    assert np.allclose(b[:, 0], x)
    h = x[1] - x[0]
    second = np.diff(b[:, 1:], n=2, axis=0) / h**2
    left = x[1:-1] < knots[0] - h
    right = x[1:-1] > knots[-1] + h
    assert np.allclose(second[left], 0, atol=1e-9)
    assert np.allclose(second[right], 0, atol=1e-9)
    # Harrell's formula at one point, by hand, for j = 1.
    xv, t = 100.0, knots
    by_hand = (
        (xv - t[0]) ** 3 - (xv - t[2]) ** 3 * (t[3] - t[0]) / (t[3] - t[2]) + 0.0  # x < t_k
    ) / (t[3] - t[0]) ** 2
    assert rcs_basis([xv], knots)[0, 1] == pytest.approx(by_hand)
    with pytest.raises(ValueError, match="not distinct"):
        knots_at_percentiles([1, 1, 1, 1, 2])


# --- bad inputs -------------------------------------------------------------------------


def _write(df: pd.DataFrame, path: Path) -> Path:
    df.to_csv(path, index=False)
    return path


def test_missing_days_column_is_named(small: tuple[Path, Path], tmp_path: Path):
    days, outcomes = small
    bad = _write(pd.read_csv(days).drop(columns=["mean_met"]), tmp_path / "d.csv")
    with pytest.raises(AnalysisInputError, match=r"lacks column 'mean_met'"):
        analyze(bad, outcomes, "lbp", ["age"], None)


def test_missing_outcome_column_is_named(small: tuple[Path, Path]):
    days, outcomes = small
    with pytest.raises(AnalysisInputError, match=r"outcomes file outcomes.csv lacks column 'cLBP'"):
        analyze(days, outcomes, "cLBP", [], None)
    with pytest.raises(AnalysisInputError, match=r"lacks column 'bmi'"):
        analyze(days, outcomes, "lbp", ["age", "bmi"], None)


def test_outcome_not_0_1_names_participant_line_and_value(small: tuple[Path, Path], tmp_path: Path):
    days, outcomes = small
    df = pd.read_csv(outcomes, dtype={"participant_id": str})
    df.loc[4, "lbp"] = 2
    df.loc[7, "lbp"] = 3
    bad = _write(df, tmp_path / "o.csv")
    pid = df.loc[4, "participant_id"]
    with pytest.raises(
        AnalysisInputError,
        match=rf"outcome 'lbp' must be 0 or 1: participant_id {pid} at line 6 has 2",
    ):
        analyze(days, bad, "lbp", [], None)
    df.loc[4, "lbp"] = None
    bad = _write(df, tmp_path / "o.csv")
    with pytest.raises(AnalysisInputError, match=rf"participant_id {pid} at line 6 has a missing"):
        analyze(days, bad, "lbp", [], None)


def test_duplicate_participants_in_outcomes(small: tuple[Path, Path], tmp_path: Path):
    days, outcomes = small
    df = pd.read_csv(outcomes, dtype={"participant_id": str})
    df = pd.concat([df, df.iloc[[2]]], ignore_index=True)
    bad = _write(df, tmp_path / "o.csv")
    pid = df.loc[2, "participant_id"]
    with pytest.raises(
        AnalysisInputError,
        match=rf"participant_id {pid} appears 2 times \(line 4, line {len(df) + 1}\)",
    ):
        analyze(days, bad, "lbp", [], None)


def test_non_numeric_covariate_says_which_and_how_to_fix(small: tuple[Path, Path]):
    days, outcomes = small
    with pytest.raises(
        AnalysisInputError,
        match=r"covariate 'sex' is not numeric: .* line 2 has '[FM]'; write C\(sex\)",
    ):
        analyze(days, outcomes, "lbp", ["age", "sex"], None)
    result = analyze(days, outcomes, "lbp", ["age", "C(sex)"], None)
    assert "C(sex)" in result.covariates
    assert "sex[T.M]" in result.summaries["volume categories"]


def test_missing_covariate_value_is_named(small: tuple[Path, Path], tmp_path: Path):
    days, outcomes = small
    df = pd.read_csv(outcomes, dtype={"participant_id": str})
    df.loc[9, "age"] = None
    bad = _write(df, tmp_path / "o.csv")
    with pytest.raises(
        AnalysisInputError, match=r"covariate 'age' is missing: participant_id \S+ at line 11"
    ):
        analyze(days, bad, "lbp", ["age"], None)


def test_participants_without_valid_days_are_excluded_and_counted(small: tuple[Path, Path]):
    days, outcomes = small
    df = pd.read_csv(days, dtype={"participant_id": str})
    first_three = df["participant_id"].drop_duplicates().iloc[:3]
    df.loc[df["participant_id"].isin(first_three), "valid_day"] = False
    before = analyze(days, outcomes, "lbp", [], None).counts
    after = analyze(df, outcomes, "lbp", [], None).counts
    assert after["excluded_no_valid_days"] >= 3
    assert after["analysed"] <= before["analysed"] - 3 + (before["excluded_no_valid_days"] > 0)
    assert after["excluded_not_in_days_table"] == 0


def test_no_valid_day_at_all_is_a_clear_error(small: tuple[Path, Path]):
    days, outcomes = small
    df = pd.read_csv(days, dtype={"participant_id": str})
    df["valid_day"] = False
    with pytest.raises(
        AnalysisInputError, match=r"no participant has a valid day \(column 'valid_day'"
    ):
        analyze(df, outcomes, "lbp", [], None)


def test_bad_valid_day_and_walk_min_values_are_named(small: tuple[Path, Path]):
    days, outcomes = small
    df = pd.read_csv(days, dtype={"participant_id": str})
    df["valid_day"] = df["valid_day"].astype(str)
    df.loc[3, "valid_day"] = "maybe"
    with pytest.raises(
        AnalysisInputError, match=r"column 'valid_day' must be true/false .* row 4 has 'maybe'"
    ):
        analyze(df, outcomes, "lbp", [], None)
    df = pd.read_csv(days, dtype={"participant_id": str})
    df["walk_min"] = df["walk_min"].astype(object)
    df.loc[5, "walk_min"] = "lots"
    with pytest.raises(
        AnalysisInputError, match=r"column 'walk_min' has 'lots', not a number: .* row 6"
    ):
        analyze(df, outcomes, "lbp", [], None)


def test_no_shared_participants(small: tuple[Path, Path], tmp_path: Path):
    days, outcomes = small
    df = pd.read_csv(outcomes, dtype={"participant_id": str})
    df["participant_id"] = "X" + df["participant_id"]
    bad = _write(df, tmp_path / "o.csv")
    with pytest.raises(AnalysisInputError, match=r"no participant_id is in both"):
        analyze(days, bad, "lbp", [], None)


def _doc_tables(markdown: str) -> dict[str, list[list[str]]]:
    tables: dict[str, list[list[str]]] = {}
    current = ""
    for line in markdown.splitlines():
        if line.startswith("### `"):
            current = line.strip("#` ")
            tables[current] = []
        elif current and line.startswith("| `"):
            tables[current].append([c.strip() for c in line.strip("|").split(" | ")])
    return tables


def test_docs_glossary_matches_the_code():
    """docs/research.md is regenerated by `python -m walkrx.research.glossary docs/research.md`.

    Day-column descriptions are walkrx.summary's (another module's wording may change); for
    those only names, types and units must match.
    """
    from walkrx.research.glossary import glossary_markdown

    doc = (Path(__file__).resolve().parents[2] / "docs" / "research.md").read_text()
    start = doc.index("<!-- glossary:start -->")
    end = doc.index("<!-- glossary:end -->")
    in_doc = _doc_tables(doc[start:end])
    in_code = _doc_tables(glossary_markdown())
    hint = "docs/research.md is stale: python -m walkrx.research.glossary docs/research.md"
    assert in_doc.keys() == in_code.keys(), hint
    for table, rows in in_code.items():
        if table == "days":
            assert [r[:3] for r in in_doc[table]] == [r[:3] for r in rows], hint
        else:
            assert in_doc[table] == rows, hint
