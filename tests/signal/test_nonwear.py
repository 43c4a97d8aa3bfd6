import numpy as np

from walkrx.measure import measure_chunks
from walkrx.signal.nonwear import flag_nonwear, minute_moments, minute_sd
from walkrx.synthetic.signals import SyntheticRecording

NS = 1_000_000_000


def test_flag_runs_only_when_long_enough():
    still = np.array([0] * 5 + [1] * 59 + [0] + [1] * 60 + [0] * 3, dtype=bool)
    flags = flag_nonwear(still, window_min=60)
    assert not flags[:65].any()
    assert flags[65:125].all()
    assert not flags[125:].any()


def test_minute_moments_merge_exactly():
    rng = np.random.default_rng(0)
    minute = np.repeat(np.arange(10), 600)
    acc = rng.normal(size=(minute.size, 3))
    m_all, mo_all = minute_moments(minute, acc)
    a, ma = minute_moments(minute[:2500], acc[:2500])
    b, mb = minute_moments(minute[2500:], acc[2500:])
    merged = np.zeros_like(mo_all)
    merged[a - m_all[0]] += ma
    merged[b - m_all[0]] += mb
    np.testing.assert_allclose(minute_sd(merged), minute_sd(mo_all), rtol=1e-5)
    np.testing.assert_allclose(minute_sd(mo_all)[0], acc[:600].std(axis=0), rtol=1e-5)


def test_nonwear_is_flagged_not_deleted():
    rec = SyntheticRecording("lower-back", days=1, seed=3, nonwear_h_per_day=2.0)
    res = measure_chunks(rec.iter_chunks(500_000), rec.info(), "lower-back", "UTC")
    minutes = res.minutely
    # every minute of the recording is still in the table
    assert len(minutes) == 24 * 60
    assert minutes["data"].all()
    t = minutes["time"].dt.tz_convert("UTC").astype("int64").to_numpy()
    ((nw0, nw1),) = rec.truth_nonwear
    inside = (t >= nw0 + 60 * NS) & (t + 60 * NS <= nw1 - 60 * NS)
    assert inside.sum() > 100
    assert not minutes.loc[inside, "wear"].any()
    # worn daytime minutes stay worn
    day = (t >= rec.start_ns + 8 * 3600 * NS) & (t < rec.start_ns + 20 * 3600 * NS)
    assert minutes.loc[day, "wear"].mean() > 0.95
