"""The evaluation against every reference set: its scoring, and regression guards.

The guards read the real fixtures, run walkrx with its default presets and fail if a later
change makes a set worse than its target (or, where the target is not met, than the figure
measured when the guard was written). They are not tuned constants: each limit is the
issue's target or today's measured figure, rounded up.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import evaluation_sets as es  # noqa: E402


def _rec(contacts, bouts=None, steps=None):
    c = np.asarray(contacts, dtype=float)
    return es.Recording(
        "x", "r", "p", "lower-back", 100.0, np.zeros((10, 3)),
        int(steps if steps is not None else c.size),
        None if bouts is None else [es.RefBout(a, b, c[(c >= a) & (c <= b)]) for a, b in bouts],
        c,
    )  # fmt: skip


def _det(steps, bouts):
    s = np.asarray(steps, dtype=float)
    inb = [s[(s >= a) & (s <= b)] for a, b in bouts]
    return es.Detected(
        s,
        bouts,
        np.array([x.size for x in inb]),
        np.array([es.bout_cadence(x) for x in inb]),
        np.full(len(bouts), np.nan),
    )


def test_bout_cadence_is_n_minus_one_over_span():
    assert es.bout_cadence([0.0, 0.5, 1.0, 1.5]) == pytest.approx(120.0)
    assert es.bout_cadence([0.0, 0.5, 3.0]) == pytest.approx(40.0)  # a pause lowers it
    assert np.isnan(es.bout_cadence([1.0]))


def test_perfect_detection_scores_zero():
    ics = [1.0, 1.5, 2.0, 2.5, 3.0, 3.5]
    s = es.score(_rec(ics, [(1.0, 3.5)]), _det(ics, [(1.0, 3.5)]))
    assert s["step_err_pct"] == 0.0
    assert s["in_bout_step_err_pct"] == 0.0
    assert s["walk_err_pct"] == 0.0
    assert s["walk_covered_pct"] == pytest.approx(100.0)
    assert s["cad_bout_err_spm"] == pytest.approx(0.0)


def test_missed_and_extra_steps_are_counted():
    ics = [1.0, 1.5, 2.0, 2.5, 3.0]
    det = [1.0, 1.5, 2.0, 2.5, 10.0, 10.5, 11.0, 11.5]  # last contact missed; a walk outside
    s = es.score(_rec(ics, [(1.0, 3.0)]), _det(det, [(1.0, 2.5), (10.0, 11.5)]))
    assert s["step_err_pct"] == pytest.approx(60.0)
    assert s["in_bout_step_err_pct"] == pytest.approx(-20.0)
    assert s["walk_err_pct"] == pytest.approx(50.0)  # 3 s detected vs 2 s
    assert s["walk_covered_pct"] == pytest.approx(75.0)
    # cadence of the overlapping walkrx bout (3 intervals over 1.5 s) vs the reference's
    assert s["cad_bout_err_spm"] == pytest.approx(0.0)


def test_contacts_without_bouts_score_cadence_in_walkrx_bouts():
    ics = np.arange(20) * 0.5
    det = ics[::2]  # every second step found: half the cadence
    s = es.score(_rec(ics), _det(det, [(0.0, 9.0)]))
    assert s["step_err_pct"] == pytest.approx(-50.0)
    assert np.isnan(s["walk_err_pct"])
    assert s["cad_det_bout_mae_spm"] == pytest.approx(60.0)
    # weighted by the reference's steps in each walkrx bout
    det2 = _det(list(ics[:8]) + list(ics[8:][::2]), [(0.0, 3.5), (4.0, 9.0)])
    s2 = es.score(_rec(ics), det2)
    assert s2["cad_det_bout_mae_spm"] == pytest.approx((0 * 8 + 60 * 11) / 19)


def test_steps_outside_the_reference_bouts_are_split_by_distance():
    ics = [10.0, 10.5, 11.0, 11.5, 12.0, 12.5]
    # two steps just before the reference bout (getting up), a 4-step walk far away
    det = [8.0, 9.0, *ics, 30.0, 30.5, 31.0, 31.5]
    s = es.score(_rec(ics, [(10.0, 12.5)]), _det(det, [(8.0, 12.5), (30.0, 31.5)]))
    assert s["in_bout_step_err_pct"] == 0.0
    assert (s["edge_steps"], s["apart_steps"]) == (2.0, 4.0)
    # the reference's bout rule (4 strides = 6 steps): the 4-step walk does not count
    assert s["wb_rule_step_err_pct"] == pytest.approx(100.0 * (8 - 6) / 6)


def test_double_contacts_are_reported_not_scored_away():
    # a steady walk at 0.54 s with three contacts split in two (edges 0.27 s apart)
    c = list(np.arange(40) * 0.54)
    for k in (5, 17, 30):
        c.append(k * 0.54 + 0.27)
    rec = _rec(c)
    s = es.score(rec, _det(np.arange(40) * 0.54, [(0.0, 39 * 0.54)]))
    assert s["ref_short_intervals"] == 6.0  # both halves of each split interval
    assert s["dedup_ref_steps"] == 40.0
    assert s["step_err_pct"] == pytest.approx(100.0 * (40 - 43) / 43)
    assert s["dedup_step_err_pct"] == 0.0
    np.testing.assert_allclose(es.without_double_contacts([0.0, 0.1, 0.35, 0.5]), [0.0, 0.35])


def test_totals_median_and_largest():
    rows = [
        {"ref_steps": 100.0, "det_steps": 90.0, "step_err_pct": -10.0, "ref_walk_s": np.nan,
         "det_walk_s": 0.0, "cad_bout_err_spm": np.nan, "cad_det_bout_mae_spm": np.nan},
        {"ref_steps": 300.0, "det_steps": 306.0, "step_err_pct": 2.0, "ref_walk_s": np.nan,
         "det_walk_s": 0.0, "cad_bout_err_spm": np.nan, "cad_det_bout_mae_spm": np.nan},
    ]  # fmt: skip
    t = es.totals(rows)
    assert t["step_err_pct"] == pytest.approx(-1.0)
    assert t["median_abs_step_err_pct"] == pytest.approx(6.0)
    assert t["max_abs_step_err_pct"] == pytest.approx(10.0)


def test_resampling_irregular_samples():
    t = np.array([0.0, 0.003, 0.0125, 0.02, 0.031])
    acc = np.stack([t, 2 * t, np.ones_like(t)], axis=1)
    out = es._resample(t, acc, 100.0)
    np.testing.assert_allclose(out[:, 0], [0.0, 0.01, 0.02, 0.03], atol=1e-12)
    np.testing.assert_allclose(out[:, 1], 2 * out[:, 0])


# ----------------------------------------------------------------------------- guards


@pytest.fixture(scope="module")
def scored(fixtures_dir):
    rows: dict[str, list[dict[str, float]]] = {}
    for rec in es.load():
        key = f"pocket-steps {rec.placement}" if rec.set == "pocket-steps" else rec.set
        if rec.set == "lowerback-lab":
            key = f"lowerback-lab {rec.meta['test']}"
        rows.setdefault(key, []).append(es.score(rec, es.run(rec)))
    return rows


def test_every_set_is_read_with_its_reference(scored):
    assert len(scored["lowerback-walks"]) == 58
    assert sum(r["ref_steps"] for r in scored["lowerback-walks"]) == 1976
    assert [r["ref_steps"] for r in scored["wrist-free-living"]] == [1487]
    assert sum(r["ref_steps"] for r in scored["pocket-steps thigh"]) == 1816
    assert len(scored["pocket-steps wrist"]) == 2


def test_guard_lowerback_walks(scored):
    t = es.totals(scored["lowerback-walks"])
    assert abs(t["step_err_pct"]) <= 3.0, t  # target
    assert t["median_abs_step_err_pct"] <= 4.0, t  # target
    assert t["cad_bout_mae_spm"] <= 3.0, t  # target
    assert abs(t["walk_err_pct"]) <= 5.0, t  # today -1.8 %


def test_guard_wrist_free_living(scored):
    assert abs(es.totals(scored["wrist-free-living"])["step_err_pct"]) <= 3.0  # target


def test_guard_pocket(scored):
    every = scored["pocket-steps thigh"] + scored["pocket-steps wrist"]
    assert abs(es.totals(every)["step_err_pct"]) <= 3.0  # target
    assert es.totals(scored["pocket-steps thigh"])["max_abs_step_err_pct"] <= 6.0  # target
    # the swinging hand misses the ±6 % target against its raw reference (−6.3 % on one
    # recording), whose foot switch split 28 and 20 contacts in two: no worse than today ...
    assert es.totals(scored["pocket-steps wrist"])["max_abs_step_err_pct"] <= 6.5
    # ... and within the target against the same reference without those double contacts
    for r in scored["pocket-steps wrist"]:
        assert abs(r["dedup_step_err_pct"]) <= 6.0, r  # target (today +0.8 % / +1.2 %)


def test_guard_lowerback_lab(scored):
    """Test11's whole-trial target is not met (see docs/measure.md); guard today's figures.

    Inside the reference bouts walkrx finds the reference's steps far better than before
    (−33 % / −37 % before); the whole-trial excess is step-like activity outside them.
    """
    t11 = scored["lowerback-lab Test11"]
    for r in t11:
        assert abs(r["in_bout_step_err_pct"]) <= 15.0, r
        assert r["step_err_pct"] <= 55.0, r
    t5 = es.totals(scored["lowerback-lab Test5"])
    assert abs(t5["step_err_pct"]) <= 6.0, t5


def test_lopo_choice_breaks_ties_towards_the_least_permissive():
    import evaluate

    assert evaluate.choose([3.0, 2.95, 2.0]) == 2
    assert evaluate.choose([2.05, 3.0, 2.0]) == 0  # within 0.1 point: the first one


def test_evaluate_scores_one_set_alone(fixtures_dir, capsys):
    import evaluate

    assert evaluate.main(["--sets", "lowerback-lab", "--no-lopo", "--no-synthetic"]) == 0
    out = capsys.readouterr().out
    assert "lowerback-lab HA_001/Test11_Trial1" in out
    assert "steps outside, within 3 s of a reference bout" in out
    assert "### Before: lowerback-lab Test11" in out
    assert "lowerback-walks" not in out and "pocket-steps" not in out
