import numpy as np
import pytest

from walkrx.measure import measure_chunks
from walkrx.signal import PeakStepDetector, default_preset
from walkrx.signal.stream import ChunkedStepFinder
from walkrx.synthetic.signals import SyntheticRecording

NS = 1_000_000_000


def _overlap(a0, a1, b0, b1):
    return max(0, min(a1, b1) - max(a0, b0))


@pytest.mark.parametrize("placement", ["lower-back", "thigh", "wrist"])
def test_truth_recovered(placement):
    rec = SyntheticRecording(placement, days=0.6, seed=11, sampling_rate_hz=50)
    res = measure_chunks(rec.iter_chunks(400_000), rec.info(), placement, "UTC")
    truth = rec.truth_step_ns
    assert truth.size > 1000
    assert abs(res.summary["total_steps"] - truth.size) / truth.size < 0.03
    # each detected step is close to a true one
    j = np.clip(np.searchsorted(truth, res.step_ns), 1, truth.size - 1)
    err = np.minimum(abs(res.step_ns - truth[j - 1]), abs(res.step_ns - truth[j])) / NS
    assert np.mean(err < 0.15) > 0.97
    # every true bout is found
    tb = rec.truth_bouts
    db = res.bouts
    for _, b in tb.iterrows():
        ov = sum(
            _overlap(b["start"].value, b["end"].value, s.value, e.value)
            for s, e in zip(db["start"], db["end"], strict=True)
        )
        assert ov / NS >= 0.9 * b["duration_s"]
    assert len(db) <= len(tb) + 2
    # cadence of the walking time is right
    true_walk = tb["duration_s"].sum()
    assert res.summary["total_walk_min"] * 60 == pytest.approx(true_walk, rel=0.05)


def test_orientation_does_not_matter():
    a = SyntheticRecording("lower-back", days=0.3, seed=5)
    b = SyntheticRecording("lower-back", days=0.3, seed=5)
    rot = np.linalg.qr(np.random.default_rng(1).normal(size=(3, 3)))[0]
    for seg in b.segments:
        seg.rotation = rot @ seg.rotation
    ra = measure_chunks(a.iter_chunks(), a.info(), "lower-back", "UTC")
    rb = measure_chunks(b.iter_chunks(), b.info(), "lower-back", "UTC")
    assert (
        abs(ra.summary["total_steps"] - rb.summary["total_steps"])
        <= 0.01 * ra.summary["total_steps"]
    )


def test_chunked_steps_equal_whole():
    rec = SyntheticRecording("wrist", days=0.5, seed=2)
    p = default_preset("wrist")

    def run(chunk):
        f = ChunkedStepFinder(
            PeakStepDetector("wrist", min_prominence_g=p.min_prominence_g),
            100.0,
            active_range_g=p.min_prominence_g,
        )
        out = [f.push(c.time_ns, c.acc_g) for c, _ in rec.iter_chunks(chunk)]
        out.append(f.finish())
        return np.concatenate(out)

    whole = run(rec.n_samples)
    assert whole.size > 1000
    for chunk in (7_001, 250_000):
        np.testing.assert_array_equal(run(chunk), whole)
