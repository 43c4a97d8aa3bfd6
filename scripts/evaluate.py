#!/usr/bin/env python
"""Score walkrx against every real reference set; print one Markdown table per set.

Sets (``../shared/fixtures``, each with the placement it states): ``lowerback-lab``
(lower back, INDIP bouts and contacts), ``lowerback-walks`` (lower back, 10 adults, foot-IMU
contacts), ``wrist-free-living`` (wrist, video-annotated steps) and ``pocket-steps`` (front
pocket = thigh, swinging hand = wrist; foot-switch step counts). Per set: total step error,
median per-recording |error|, walking time where a bout reference exists, cadence where
contacts exist (``cadence_bout_spm`` like-for-like). Then leave-one-person-out results for
every setting tuned on these sets, the before/after comparison with the previous defaults,
the synthetic slow/weak/asymmetric family and (``--mobgap-python PY``) Mobilise-D's
pipeline on the lower-back sets.

Usage: .venv/bin/python scripts/evaluate.py [--mobgap-python PY] [--sets SET ...] [--no-lopo]
       [--no-synthetic] [--no-before]
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import evaluation_sets as es  # noqa: E402
from evaluation_mobgap import mobgap_rows  # noqa: E402
from evaluation_synthetic import FAMILY, synthetic_family  # noqa: E402

from walkrx.measure import MeasureSettings  # noqa: E402
from walkrx.signal.presets import PRESETS, StepPreset, default_preset  # noqa: E402

Rows = list[dict[str, object]]

# the targets per set: (total step error %, median per-recording |error| %,
# largest per-recording |error| %, cadence_bout_spm MAE spm); None: no target
TARGETS: dict[str, tuple[float | None, float | None, float | None, float | None]] = {
    "lowerback-walks": (3.0, 4.0, None, 3.0),
    "wrist-free-living": (3.0, None, None, None),
    "pocket-steps": (3.0, None, 6.0, None),
}

# Test11 whole trials with the previous default: (steps %, walking time %), the figures
LAB_TODAY = {"HA_001/Test11_Trial1": (-3.2, -5.0), "HA_002/Test11_Trial1": (0.0, -4.0)}

# the figures of the previous defaults (base commit) quoted in the issue
BEFORE = {
    "lowerback-walks": "−7.7 % total, median 8.5 %",
    "wrist-free-living": "+6.8 %",
    "pocket-steps front pocket": "+2.5 %, median 2.4 %",
    "pocket-steps swinging hand": "−5.2 %",
}


def group(rec: es.Recording) -> str:
    """The table a recording belongs to (pocket: per placement)."""
    if rec.set == "pocket-steps":
        return f"pocket-steps {rec.meta['kind']}"
    if rec.set == "lowerback-lab":
        return f"lowerback-lab {rec.meta['test']}"
    return rec.set


def score_all(recs: Sequence[es.Recording], step: Callable[[str], StepPreset | None]) -> Rows:
    """One scored row per recording; ``step(placement)`` picks the preset."""
    rows: Rows = []
    for r in recs:
        det = es.run(r, MeasureSettings(placement=r.placement, step=step(r.placement)))
        rows.append({"set": r.set, "group": group(r), "name": r.name, "person": r.person,
                     **es.score(r, det)})  # fmt: skip
    return rows


def fmt(v: object, spec: str) -> str:
    if isinstance(v, float) and not np.isfinite(v):
        return "–"
    return spec.format(v)


REC_COLS = (
    ("name", "recording", "{}"),
    ("ref_steps", "ref steps", "{:.0f}"),
    ("det_steps", "walkrx steps", "{:.0f}"),
    ("step_err_pct", "step error %", "{:+.1f}"),
    ("in_bout_step_err_pct", "step error inside reference bouts %", "{:+.1f}"),
    ("edge_steps", "steps outside, within 3 s of a reference bout", "{:.0f}"),
    ("apart_steps", "steps outside, further away", "{:.0f}"),
    ("wb_rule_step_err_pct", "step error in detected bouts of ≥ 4 strides (6 steps) %", "{:+.1f}"),
    ("walk_err_pct", "walking time error %", "{:+.1f}"),
    ("walk_covered_pct", "ref walking covered %", "{:.0f}"),
    ("cad_bout_err_spm", "cadence_bout_spm error", "{:+.1f}"),
    ("cad_det_bout_mae_spm", "cadence_bout_spm MAE in walkrx bouts", "{:.1f}"),
    ("ref_short_intervals", "reference contacts < 0.3 s apart", "{:.0f}"),
    ("dedup_ref_steps", "ref steps without them", "{:.0f}"),
    ("dedup_step_err_pct", "step error against that %", "{:+.1f}"),
)


def table(rows: Rows, cols: Sequence[tuple[str, str, str]] = REC_COLS) -> str:
    keep = [c for c in cols if any(not (isinstance(r[c[0]], float) and not np.isfinite(r[c[0]])) for r in rows)]  # type: ignore[arg-type]  # fmt: skip
    out = ["| " + " | ".join(h for _, h, _ in keep) + " |", "|" + "---|" * len(keep)]
    out += ["| " + " | ".join(fmt(r[k], f) for k, _, f in keep) + " |" for r in rows]
    return "\n".join(out)


def set_totals(rows: Rows) -> dict[str, float]:
    return es.totals([{k: float(v) for k, v in r.items() if isinstance(v, (int, float))} for r in rows])  # fmt: skip


def summary_line(label: str, rows: Rows) -> str:
    t = set_totals(rows)
    cells = [
        label,
        f"{int(t['n'])}",
        f"{t['ref_steps']:.0f}",
        f"{t['det_steps']:.0f}",
        fmt(t["step_err_pct"], "{:+.1f}"),
        fmt(t["median_abs_step_err_pct"], "{:.1f}"),
        fmt(t["max_abs_step_err_pct"], "{:.1f}"),
        fmt(t["walk_err_pct"], "{:+.1f}"),
        fmt(t["cad_bout_mae_spm"], "{:.1f}"),
        fmt(t["cad_det_bout_mae_spm"], "{:.1f}"),
    ]
    return "| " + " | ".join(cells) + " |"


SUMMARY_HEAD = (
    "| set | recordings | ref steps | detected steps | total step error % | median per-recording "
    "abs error % | largest abs error % | walking time error % | cadence_bout_spm MAE spm "
    "(reference bouts) | cadence_bout_spm MAE spm (walkrx bouts) |\n|---|---|---|---|---|---|---|---|---|---|"
)


def by_group(rows: Rows) -> dict[str, Rows]:
    out: dict[str, Rows] = {}
    for r in rows:
        out.setdefault(str(r["group"]), []).append(r)
    return out


def current(placement: str) -> StepPreset:
    return default_preset(placement)


def previous(placement: str) -> StepPreset:
    """The defaults before issue 15 (kept as named presets)."""
    return PRESETS[f"walkrx-{placement}-fixed"] if placement != "thigh" else PRESETS["walkrx-thigh"]


# ----------------------------------------------------------------------------- tuning


# The settings tuned on the shared sets, each with its candidate grid and the people the
# choice is made on. Leave-one-person-out: for each person, pick the candidate that scores
# best on everyone else, then report that person's error under it.
def lower_back_grid() -> list[StepPreset]:
    base = default_preset("lower-back")
    return [
        dataclasses.replace(base, relative_prominence=rel, extend_steps=ext)
        # least permissive first: ties go to it (see ``choose``)
        for rel, ext in itertools.product((0.3, 0.25, 0.2, 0.15, 0.1), (0, 1, 2, 3))
    ]


def wrist_grid() -> list[StepPreset]:
    base = default_preset("wrist")
    return [
        dataclasses.replace(base, require_periodicity=rp)
        for rp in (0.35, 0.3, 0.25, 0.2, 0.15, 0.1, None)
    ]


def objective(rows: Rows) -> float:
    """What a choice minimises on the training people: |total error| + median |error|."""
    t = set_totals(rows)
    return abs(t["step_err_pct"]) + t["median_abs_step_err_pct"]


TIE_PCT = 0.1  # about one step in the 1,976 of lowerback-walks


def choose(scores: Sequence[float]) -> int:
    """The first (least permissive) candidate within ``TIE_PCT`` of the best objective."""
    best = min(scores)
    return next(i for i, v in enumerate(scores) if v <= best + TIE_PCT)


def lopo(
    recs: Sequence[es.Recording], grid: Sequence[StepPreset], label: Callable[[StepPreset], str]
) -> tuple[str, Rows]:
    """Leave-one-person-out over ``recs``; returns the Markdown table and held-out rows."""
    scored = [score_all(recs, lambda _pl, p=p: p) for p in grid]  # type: ignore[misc]
    people = sorted({r.person for r in recs})
    lines = [
        "| held-out person | recordings | setting chosen on the others | held-out step error % "
        "| held-out median abs error % |",
        "|---|---|---|---|---|",
    ]
    held: Rows = []
    for person in people:
        train = [[r for r in rows if r["person"] != person] for rows in scored]
        k = choose([objective(rows) for rows in train])
        test = [r for r in scored[k] if r["person"] == person]
        held.extend(test)
        t = set_totals(test)
        lines.append(
            f"| {person} | {len(test)} | {label(grid[k])} | {t['step_err_pct']:+.1f} "
            f"| {t['median_abs_step_err_pct']:.1f} |"
        )
    t = set_totals(held)
    k_all = choose([objective(rows) for rows in scored])
    lines.append(
        f"| **all held-out** | {len(held)} | (chosen on everyone: {label(grid[k_all])}) "
        f"| **{t['step_err_pct']:+.1f}** | **{t['median_abs_step_err_pct']:.1f}** |"
    )
    return "\n".join(lines), held


def lb_label(p: StepPreset) -> str:
    return f"relative {p.relative_prominence:g}, extend {p.extend_steps}"


def wr_label(p: StepPreset) -> str:
    return f"require periodicity {p.require_periodicity}"


# ----------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument(
        "--mobgap-python",
        help="interpreter of a separate virtualenv with mobgap: adds Mobilise-D's pipelines "
        "(healthy and impaired) on the lower-back sets, scored the same way",
    )
    ap.add_argument("--no-lopo", action="store_true", help="skip leave-one-person-out")
    ap.add_argument("--no-synthetic", action="store_true", help="skip the synthetic family")
    ap.add_argument("--no-before", action="store_true", help="skip the previous defaults")
    ap.add_argument(
        "--sets",
        nargs="+",
        choices=es.SETS,
        default=list(es.SETS),
        help="the reference sets to score (default: all)",
    )
    args = ap.parse_args(argv)

    recs = es.load(args.sets)
    rows = score_all(recs, current)
    groups = by_group(rows)
    print("# walkrx against every reference set (default presets)\n")
    print(SUMMARY_HEAD)
    for g, gr in groups.items():
        print(summary_line(g, gr))
    pocket = [r for r in rows if r["set"] == "pocket-steps"]
    if pocket:
        print(summary_line("pocket-steps (all)", pocket))
    print()
    print("## Targets\n")
    print("| set | target | walkrx | met |\n|---|---|---|---|")
    for s, (tot, med, mx, cad) in TARGETS.items():
        if s not in args.sets:
            continue
        t = set_totals([r for r in rows if r["set"] == s])
        checks = []
        if tot is not None:
            checks.append((f"total within ±{tot:g} %", f"{t['step_err_pct']:+.1f} %", abs(t["step_err_pct"]) <= tot))  # fmt: skip
        if med is not None:
            checks.append((f"median abs error ≤ {med:g} %", f"{t['median_abs_step_err_pct']:.1f} %", t["median_abs_step_err_pct"] <= med))  # fmt: skip
        if mx is not None:
            checks.append((f"no recording beyond ±{mx:g} %", f"largest {t['max_abs_step_err_pct']:.1f} %", t["max_abs_step_err_pct"] <= mx))  # fmt: skip
        if cad is not None:
            checks.append((f"cadence_bout_spm MAE ≤ {cad:g} spm", f"{t['cad_bout_mae_spm']:.1f}", t["cad_bout_mae_spm"] <= cad))  # fmt: skip
        for label, val, ok in checks:
            print(f"| {s} | {label} | {val} | {'yes' if ok else 'NO'} |")
    hand = [r for r in rows if r["group"] == "pocket-steps swinging hand"]
    if hand:  # the same target against the reference without its double contacts
        worst = max(abs(float(r["dedup_step_err_pct"])) for r in hand)  # type: ignore[arg-type]
        print(
            f"| pocket-steps swinging hand | no recording beyond ±6 % against the reference "
            f"without contacts < 0.3 s after the previous one | largest {worst:.1f} % "
            f"| {'yes' if worst <= 6.0 else 'NO'} |"
        )
    for r in [r for r in rows if r["group"] == "lowerback-lab Test11"]:
        was_steps, was_walk = LAB_TODAY[str(r["name"])]
        steps, walk = float(r["step_err_pct"]), float(r["walk_err_pct"])  # type: ignore[arg-type]
        ok = abs(steps) <= abs(was_steps) + 0.05 and abs(walk) <= abs(was_walk) + 0.05
        print(
            f"| lowerback-lab {r['name']} | steps and walking time no worse than "
            f"{was_steps:+.1f} % / {was_walk:+.1f} % | {steps:+.1f} % / {walk:+.1f} % "
            f"(inside the reference bouts {float(r['in_bout_step_err_pct']):+.1f} %) "  # type: ignore[arg-type]
            f"| {'yes' if ok else 'NO'} |"
        )
    print()
    for g, gr in groups.items():
        print(f"## {g}\n")
        print(table(gr) + "\n")

    if not args.no_before:
        before = score_all(recs, previous)
        print("## Before (previous defaults, `walkrx-*-fixed`) on the same recordings\n")
        print(SUMMARY_HEAD)
        for g, gr in by_group(before).items():
            print(summary_line(g, gr))
        print()
        for g, gr in by_group(before).items():
            if g == "lowerback-lab Test11":  # where its whole-trial figures came from
                print(f"### Before: {g}\n")
                print(table(gr) + "\n")

    if not args.no_lopo and {"lowerback-walks", "wrist-free-living", "pocket-steps"} <= set(
        args.sets
    ):
        lb = [r for r in recs if r.set == "lowerback-walks"]
        print("## Leave-one-person-out: lower-back adaptive threshold (lowerback-walks, by subject)\n")  # fmt: skip
        print(
            "Grid: relative prominence 0.1–0.3 × run extension 0–3 steps; objective "
            "|total error| + median |error| on the other nine subjects; candidates within "
            f"{TIE_PCT:g} point of the best go to the least permissive.\n"
        )
        print(lopo(lb, lower_back_grid(), lb_label)[0] + "\n")
        wr = [r for r in recs if r.placement == "wrist"]
        print("## Leave-one-person-out: wrist periodicity requirement (P30 free living, Jamie swinging hand)\n")  # fmt: skip
        print(lopo(wr, wrist_grid(), wr_label)[0] + "\n")

    if not args.no_synthetic:
        print("## Synthetic slow, weak and asymmetric gait (lower back, known truth)\n")
        print("| gait | cadence spm | amplitude | asymmetry | step error % | walking time error % |")  # fmt: skip
        print("|---|---|---|---|---|---|")
        for name, r in synthetic_family().items():
            kw = FAMILY[name]
            print(
                f"| {name} | {kw['cadence_range_spm'][0]:g}–{kw['cadence_range_spm'][1]:g} "
                f"| {kw['amplitude']:.2f} | {kw['asymmetry']:g} | {r['step_err_pct']:+.1f} "
                f"| {r['walk_err_pct']:+.1f} |"
            )
        print()

    if args.mobgap_python:
        lbr = [r for r in recs if r.placement == "lower-back"]
        for pipeline in ("MobilisedPipelineHealthy", "MobilisedPipelineImpaired"):
            mrows = mobgap_rows(args.mobgap_python, lbr, pipeline)
            print(f"## mobgap `{pipeline}` on the lower-back sets\n")
            print(SUMMARY_HEAD)
            for g, gr in by_group(mrows).items():
                print(summary_line(g, gr))
            print()
            for g, gr in by_group(mrows).items():
                if g.startswith("lowerback-lab"):  # where the steps outside the bouts matter
                    print(f"### mobgap `{pipeline}`: {g}\n")
                    print(table(gr).replace("| walkrx steps |", "| mobgap steps |") + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
