"""Write an analysis report: HUNT-layout table (CSV, Markdown), plot, model summaries, JSON."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from walkrx import __version__

from ._categories import CAVEATS, CITATION, SCALES
from ._tables import write_table

if TYPE_CHECKING:
    from .analysis import AnalysisResult

_TITLES = {"volume": "Daily walking volume", "intensity": "Mean walking intensity"}


def write_report(result: AnalysisResult, out_dir: Path, *, plot: bool = True) -> list[Path]:
    """Write every report file into ``out_dir``; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    table = result.table()
    csv = out_dir / "rr_table.csv"
    table.to_csv(csv, index=False)
    written.append(csv)

    md = out_dir / "rr_table.md"
    md.write_text(markdown_report(result), encoding="utf-8")
    written.append(md)

    written.extend(write_table(result.participants, out_dir / "participants", "participants"))

    if result.curves:
        curves = out_dir / "spline_curve.csv"
        pd.concat(list(result.curves.values())).to_csv(curves, index=False)
        written.append(curves)

    summaries = out_dir / "model_summaries.txt"
    summaries.write_text(_summaries_text(result), encoding="utf-8")
    written.append(summaries)

    if plot and result.curves:
        png = out_dir / "dose_response.png"
        plot_dose_response(result, png)
        written.append(png)

    js = out_dir / "results.json"
    written.append(js)
    result.outputs = list(written)
    doc = {"walkrx_version": __version__, **result.to_json()}
    tmp = js.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc, indent=2, default=_nan_to_none), encoding="utf-8")
    os.replace(tmp, js)
    return written


def _nan_to_none(obj: object) -> object:
    return None if isinstance(obj, float) and math.isnan(obj) else str(obj)


def markdown_report(result: AnalysisResult) -> str:
    """Render the HUNT-layout table, continuous estimates, counts and caveats as Markdown."""
    c = result.counts
    adj = ", ".join(result.covariates) or "nothing"
    mutual = " and for the other exposure" if result.mutual_adjustment else ""
    lines = [
        f"# Walking and {result.outcome}: adjusted risk ratios",
        "",
        f"Poisson regression (log link) with robust ({result.cov_type}) standard errors, "
        f"adjusted for {adj}{mutual}. {c['analysed']} participants analysed, "
        f"{c['cases']} cases ({100 * c['cases'] / max(c['analysed'], 1):.1f} %).",
        "",
    ]
    for name, scale in SCALES.items():
        rows = [r for r in result.rows if r.exposure == name]
        if not rows:
            continue
        lines += [
            f"## {_TITLES[name]}",
            "",
            f"| {name} ({scale.unit}) | n | cases (%) | RR (95 % CI) |",
            "|---|---:|---:|---|",
        ]
        for r in rows:
            pct = f"{100 * r.cases / r.n:.1f}" if r.n else "-"
            lines.append(f"| {r.category} | {r.n} | {r.cases} ({pct}) | {r.rr_ci} |")
        lines.append("")
    if result.continuous:
        lines += ["## Continuous", "", "| exposure | per | RR (95 % CI) |", "|---|---|---|"]
        for row in result.continuous:
            lines.append(
                f"| {row['exposure']} | {row['per']} | "
                f"{row['rr']:.2f} ({row['ci_low']:.2f}-{row['ci_high']:.2f}) |"
            )
        lines.append("")
    if result.spline_info:
        lines += ["## Restricted cubic splines", ""]
        for name, info in result.spline_info.items():
            knots = ", ".join(f"{k:.3g}" for k in info["knots"])
            lines.append(
                f"- {name}: knots at {knots} {info['unit']} (percentiles "
                f"{', '.join(f'{p:g}' for p in info['knot_percentiles'])}); reference "
                f"{info['reference_value']:.3g} {info['unit']} ({info['reference']}); "
                f"p for non-linearity {info['p_nonlinear']:.3g}. See dose_response.png."
            )
        lines.append("")
    lines += [
        "## Participants",
        "",
        f"- in the days table: {c['in_days_table']}; in the outcomes: {c['in_outcomes']}",
        f"- excluded, no valid day: {c['excluded_no_valid_days']}",
        f"- excluded, no outcome row: {c['excluded_no_outcome']}",
        f"- excluded, outcome row but not in the days table: {c['excluded_not_in_days_table']}",
        f"- left out of intensity analyses, no walking on valid days: "
        f"{c['excluded_from_intensity_no_walking']}",
        "",
    ]
    if result.notes:
        lines += ["## Notes", "", *[f"- {n}" for n in result.notes], ""]
    lines += [
        "## Caveats",
        "",
        *[f"- {cav}" for cav in CAVEATS],
        "",
        f"Categories and published risk ratios: {CITATION}",
        "",
        f"walkrx {__version__}",
        "",
    ]
    return "\n".join(lines)


def _summaries_text(result: AnalysisResult) -> str:
    head = [
        "walkrx cohort analyze: model summaries",
        f"walkrx {__version__}; outcome {result.outcome}; covariates "
        f"{', '.join(result.covariates) or 'none'}; mutual adjustment {result.mutual_adjustment}",
        "Caveats: " + " ".join(CAVEATS),
        "",
    ]
    return "\n".join(head) + "\n".join(result.summaries.values())


def plot_dose_response(result: AnalysisResult, path: Path) -> None:
    """Plot each exposure's spline RR curve with its 95 % CI and the category RRs."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(result.curves)
    fig, axes = plt.subplots(1, len(names), figsize=(5.5 * len(names), 4.2), squeeze=False)
    for ax, name in zip(axes[0], names, strict=True):
        scale = SCALES[name]
        curve = result.curves[name]
        info = result.spline_info[name]
        ax.fill_between(
            curve["value"], curve["ci_low"], curve["ci_high"], alpha=0.25, label="95 % CI"
        )
        ax.plot(curve["value"], curve["rr"], lw=2, label="restricted cubic spline")
        ax.axhline(1.0, color="grey", lw=0.8, ls="--")
        ax.axvline(info["reference_value"], color="grey", lw=0.8, ls=":")
        parts = result.participants
        xs, ys, lo, hi = [], [], [], []
        for row in result.rows:
            if row.exposure != name or row.rr is None:
                continue
            values = parts.loc[parts[f"{name}_category"] == row.category, scale.variable]
            low = row.rr if row.ci_low is None else row.ci_low
            high = row.rr if row.ci_high is None else row.ci_high
            xs.append(float(values.median()))
            ys.append(row.rr)
            lo.append(row.rr - low)
            hi.append(high - row.rr)
        ax.errorbar(xs, ys, yerr=[lo, hi], fmt="o", color="black", capsize=3, label="categories")
        for k in info["knots"]:
            ax.axvline(k, color="lightgrey", lw=0.6)
        ax.set_xlabel(f"{_TITLES[name]} ({scale.unit})")
        ax.set_ylabel(f"adjusted RR of {result.outcome}")
        ax.set_title(f"{_TITLES[name]} (reference {info['reference_value']:.3g} {scale.unit})")
        ax.legend(fontsize=8)
    fig.text(
        0.01,
        0.01,
        "Observational association, not causation. Poisson GLM, robust SE. walkrx " + __version__,
        fontsize=7,
    )
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    fig.savefig(path, dpi=110)
    plt.close(fig)
