"""The lab evaluation's scoring: every accuracy claim in the docs rests on it."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ev():
    spec = importlib.util.spec_from_file_location(
        "evaluate_lab", REPO_ROOT / "scripts" / "evaluate_lab.py"
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["evaluate_lab"] = mod
    spec.loader.exec_module(mod)
    return mod


def _ref(ics: list[float], cadence: float = float("nan")):
    a = np.asarray(ics)
    return (float(a[0]), float(a[-1]), a, cadence)


def test_perfect_detection_scores_zero(ev):
    ics = [1.0, 1.5, 2.0, 2.5, 3.0, 3.5]
    s = ev.score(np.asarray(ics), [(1.0, 3.5)], [_ref(ics, 120.0)])
    assert s["step_err_pct"] == 0.0
    assert s["walk_err_pct"] == 0.0
    assert s["walk_overlap_pct"] == pytest.approx(100.0)
    assert s["cad_mae_spm"] == pytest.approx(0.0)
    assert s["cad_mae_vs_ref_field_spm"] == pytest.approx(0.0)


def test_missed_step_and_short_bout_are_counted(ev):
    ics = [1.0, 1.5, 2.0, 2.5, 3.0]
    det = np.asarray([1.0, 1.5, 2.0, 2.5])  # last contact missed
    s = ev.score(det, [(1.0, 2.5)], [_ref(ics)])
    assert s["step_err_pct"] == pytest.approx(-20.0)
    assert s["walk_err_pct"] == pytest.approx(-25.0)
    assert s["walk_overlap_pct"] == pytest.approx(75.0)


def test_reported_cadence_uses_local_cadence_for_an_extra_peak(ev):
    # steps every 0.5 s (120 spm) and one extra peak splitting an interval in two
    t = np.asarray([0.0, 0.5, 1.0, 1.25, 1.5, 2.0, 2.5])
    local = np.full(t.size, 120.0)
    assert ev.reported_cadence(t, local) == pytest.approx(120.0)
    # without the signal's local cadence the extra peak raises the cadence (6 intervals, 2.5 s)
    assert ev.reported_cadence(t, np.full(t.size, np.nan)) == pytest.approx(144.0)


def test_span_row_ignores_activity_after_the_reference(ev):
    ics = [1.0, 1.5, 2.0, 2.5, 3.0]
    ref = {
        "test": "Test11",
        "continuous_walking_periods": [
            {"start_s": 1.0, "end_s": 3.0, "initial_contacts_s": ics, "cadence_spm": 120.0}
        ],
    }
    extra = [20.0, 20.5, 21.0, 21.5]
    rows = ev.trial_rows("x", ref, np.asarray(ics + extra), [(1.0, 3.0), (20.0, 21.5)])
    whole, span = rows
    assert whole["det_steps"] == 9 and span["det_steps"] == 5
    assert span["step_err_pct"] == 0.0


def test_lab_targets_table_matches_measure(ev, fixtures_dir, capsys):
    """The printed targets table carries the numbers measure_chunks gives on the fixtures."""
    import dataclasses

    settings = dataclasses.replace(
        ev.MeasureSettings(placement="lower-back"), step=ev.default_preset("lower-back")
    )
    rows = ev.lab_rows(settings)
    ev.targets(rows, None)
    out = capsys.readouterr().out
    t11 = [r for r in rows if "Test11" in r["recording"] and "span" not in r["recording"]]
    assert len(t11) == 2
    for r in t11:
        assert f"{r['step_err_pct']:+.1f}" in out
    # the reference counts come from the fixture files themselves
    for r in t11:
        ref = json.loads(
            (fixtures_dir / "lowerback-lab" / r["recording"] / "reference.json").read_text()
        )
        assert r["ref_steps"] == sum(
            len(b["initial_contacts_s"]) for b in ref["continuous_walking_periods"]
        )
