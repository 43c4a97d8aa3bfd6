"""Local step period, the periodicity gate, rhythm-checked cadence."""

import dataclasses

import numpy as np
import pytest

from walkrx.measure import MeasureSettings, _running_median, measure_chunks
from walkrx.signal import PRESETS, PeakStepDetector
from walkrx.signal.periodicity import local_step_period
from walkrx.signal.steps import _dedup
from walkrx.signal.stream import ChunkedStepFinder
from walkrx.summary.tables import interval_cadence, stepping_cadence
from walkrx.synthetic.signals import SyntheticRecording

FS = 100.0
NS = 1_000_000_000


def _gait(step_s: float, n_s: float = 20.0, asym: float = 0.0) -> np.ndarray:
    """Step-periodic signal; ``asym`` adds a stride-periodic (left/right) component."""
    t = np.arange(int(n_s * FS)) / FS
    return np.sin(2 * np.pi * t / step_s) + asym * np.sin(np.pi * t / step_s)


@pytest.mark.parametrize("step_s", [0.45, 0.6, 0.9])
def test_period_of_a_steady_walk(step_s):
    s = _gait(step_s)
    idx = np.arange(500, 1500, 97, dtype=np.int64)
    per, r = local_step_period(s, idx, FS)
    np.testing.assert_allclose(per, step_s, atol=0.01)
    assert np.all(r > 0.8)


def test_harmonic_check_picks_the_step_not_the_stride():
    # left and right steps differ: the stride lag correlates more than the step lag
    s = _gait(0.55, asym=0.3)
    idx = np.arange(500, 1500, 101, dtype=np.int64)
    per, _ = local_step_period(s, idx, FS)
    np.testing.assert_allclose(per, 0.55, atol=0.01)
    # a stricter harmonic ratio than the step/stride correlation ratio (~0.83) takes the stride
    per, _ = local_step_period(s, idx, FS, harmonic_ratio=0.95)
    np.testing.assert_allclose(per, 1.1, atol=0.02)


def test_stride_based_search_halves_the_stride():
    # one leg: the signal repeats once per stride (1.2 s), the step is 0.6 s
    t = np.arange(3000) / FS
    s = np.sin(2 * np.pi * t / 1.2) + 0.3 * np.sin(2 * np.pi * t / 0.4)
    idx = np.arange(600, 2400, 113, dtype=np.int64)
    per, _ = local_step_period(s, idx, FS, window_s=5.0, stride_based=True)
    np.testing.assert_allclose(per, 0.6, atol=0.01)


def test_noise_is_not_periodic():
    s = np.random.default_rng(0).normal(size=3000)
    idx = np.arange(300, 2700, 50, dtype=np.int64)
    _, r = local_step_period(s, idx, FS)
    assert np.median(r) < 0.3


def test_no_peaks():
    per, r = local_step_period(np.zeros(100), np.zeros(0, np.int64), FS)
    assert per.size == 0 and r.size == 0


def test_dedup_keeps_the_stronger_of_close_peaks():
    t = np.array([0.0, 0.6, 0.75, 1.2, 1.8, 1.85, 1.9])
    prom = np.array([1.0, 1.0, 0.2, 1.0, 0.3, 1.0, 0.2])
    keep = _dedup(t, prom, np.full(t.size, 0.36))
    assert keep.tolist() == [True, True, False, True, False, True, False]
    assert _dedup(t, prom, np.zeros(t.size)).all()


def test_stepping_cadence_uses_the_signal_only_when_the_interval_disagrees():
    iv = np.array([0.6, 1.2, 0.3, 0.62])
    local = np.array([100.0, 100.0, 100.0, np.nan])
    c = stepping_cadence(iv, local)
    np.testing.assert_allclose(c, [100.0, 100.0, 100.0, 60 / 0.62])
    np.testing.assert_allclose(stepping_cadence(iv), 60 / iv)


def test_missed_step_does_not_lower_bout_cadence():
    # steps every 0.6 s, the 6th step missed; the signal's local cadence is 100 steps/min
    t = np.r_[np.arange(5) * 0.6, np.arange(6, 15) * 0.6]
    ns = (t * NS).astype(np.int64)
    bouts = np.array([[0, ns.size - 1]])
    _, _, plain = interval_cadence(ns, bouts, pause_ratio=3.0)
    _, _, rhythm = interval_cadence(ns, bouts, 3.0, np.full(ns.size, 100.0))
    assert plain[0] < 96
    assert rhythm[0] == pytest.approx(100.0)


def test_running_median_removes_a_harmonic_slip():
    x = np.array([100.0, 101.0, 200.0, 99.0, 100.0, np.nan, 100.0])
    out = _running_median(x, 5)
    assert out[2] == pytest.approx(100.0)
    assert np.isfinite(out).all()


def test_gated_detector_chunked_equals_whole():
    rec = SyntheticRecording("lower-back", days=0.3, seed=3)
    p = PRESETS["walkrx-lower-back-periodic"]

    def run(chunk):
        det = PeakStepDetector(
            "lower-back",
            min_prominence_g=p.min_prominence_g,
            min_periodicity=p.min_periodicity,
            weak_prominence_g=p.weak_prominence_g,
        )
        f = ChunkedStepFinder(det, rec.sampling_rate_hz, active_range_g=p.weak_prominence_g)
        out, per = [], []
        for c, _ in rec.iter_chunks(chunk):
            out.append(f.push(c.time_ns, c.acc_g))
            per.append(f.last_period_s_)
        out.append(f.finish())
        per.append(f.last_period_s_)
        return np.concatenate(out), np.concatenate(per)

    whole, wper = run(rec.n_samples)
    assert whole.size > 300
    small, sper = run(9_001)
    np.testing.assert_array_equal(small, whole)
    np.testing.assert_allclose(sper, wper, rtol=1e-9)


def test_periodic_preset_recovers_synthetic_truth():
    rec = SyntheticRecording("lower-back", days=0.3, seed=4)
    s = dataclasses.replace(MeasureSettings(), step=PRESETS["walkrx-lower-back-periodic"])
    res = measure_chunks(rec.iter_chunks(), rec.info(), "lower-back", "UTC", s)
    truth = rec.truth_step_ns.size
    assert abs(res.summary["total_steps"] - truth) / truth < 0.03
    assert np.isfinite(res.step_cadence_spm).mean() > 0.95
