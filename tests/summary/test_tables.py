import datetime as dt

import numpy as np
import pandas as pd
import pytest

from walkrx.measure import measure_chunks
from walkrx.summary.tables import check_tz, day_length_h, minute_table
from walkrx.synthetic.signals import SyntheticRecording

NS = 1_000_000_000


@pytest.mark.parametrize(
    ("date", "hours"), [("2024-03-31", 23.0), ("2024-10-27", 25.0), ("2024-06-01", 24.0)]
)
def test_day_length_oslo(date, hours):
    assert day_length_h(date, "Europe/Oslo") == hours


def test_rejects_abbreviations():
    with pytest.raises(ValueError, match="IANA"):
        check_tz("CET")


@pytest.mark.parametrize(
    ("start", "dst_date", "hours"),
    [
        (dt.datetime(2024, 3, 30, 23, 0, tzinfo=dt.UTC), "2024-03-31", 23.0),  # 00:00 local
        (dt.datetime(2024, 10, 26, 22, 0, tzinfo=dt.UTC), "2024-10-27", 25.0),  # 00:00 local
    ],
)
def test_dst_day_totals(start, dst_date, hours):
    tz = "Europe/Oslo"
    rec = SyntheticRecording(
        "lower-back", days=2, seed=4, start_utc=start, sampling_rate_hz=25, tz=tz
    )
    res = measure_chunks(rec.iter_chunks(300_000), rec.info(), "lower-back", tz)
    daily = res.daily.set_index(res.daily["date"].astype(str))
    row = daily.loc[dst_date]
    assert row["day_length_h"] == hours
    assert row["data_min"] == hours * 60  # the whole local day is recorded
    # totals: the day's steps equal the steps of that local day, and days sum to the total
    local_dates = pd.to_datetime(res.step_ns, utc=True).tz_convert(tz).date
    assert row["steps"] == int(np.sum(local_dates == dt.date.fromisoformat(dst_date)))
    assert res.daily["steps"].sum() == res.summary["total_steps"]
    assert res.daily["walk_min"].sum() == pytest.approx(res.bouts["duration_s"].sum() / 60)
    assert abs(res.summary["total_steps"] - rec.truth_step_ns.size) <= 0.02 * rec.truth_step_ns.size


def test_walk_time_split_exactly_across_minutes():
    # a bout of 5 steps, 0.5 s apart, straddling a minute boundary
    t0 = 1_700_000_000 * NS // (60 * NS) * (60 * NS) + 59 * NS
    steps = t0 + np.arange(5) * NS // 2
    bouts = np.array([[0, 4]])
    minutes = np.array([t0 // (60 * NS), t0 // (60 * NS) + 1])
    moments = np.zeros((2, 7))
    moments[:, 0] = 6000
    moments[:, 4:7] = 6000 * 0.1  # SD ~ 0.3 g, worn
    m = minute_table(steps, bouts, minutes, moments, "UTC")
    assert m["walk_s"].tolist() == pytest.approx([1.0, 1.0])
    assert m["steps"].tolist() == [2, 3]
    assert m["cadence_stepping_spm"].tolist() == pytest.approx([120.0, 120.0])
    assert m["met"].tolist() == pytest.approx([5.0, 5.0])  # 3 + (120 - 100) * 3 / 30
    assert m["wear"].all()


def test_pause_inside_bout_does_not_lower_cadence():
    from walkrx.summary.tables import bout_table

    t = np.r_[np.arange(6) * 0.5, 2.5 + 1.4 + np.arange(6) * 0.5]
    steps = (1_700_000_000 + t) * NS
    steps = steps.astype(np.int64)
    b = bout_table(steps, np.array([[0, 11]]), "UTC", "cadence-adults")
    assert b["cadence_stepping_spm"].iloc[0] == pytest.approx(120.0)
    assert b["duration_s"].iloc[0] == pytest.approx(t[-1])  # the pause is walking time
    assert b["mean_met"].iloc[0] == pytest.approx(5.0)


def test_bout_table_names_both_cadences():
    """cadence_stepping_spm leaves pauses out; cadence_bout_spm is 60 x (n - 1) / duration."""
    from walkrx.summary.tables import bout_table

    t = np.r_[np.arange(6) * 0.5, 2.5 + 1.4 + np.arange(6) * 0.5]  # 12 steps, one 1.4-s pause
    steps = ((1_700_000_000 + t) * NS).astype(np.int64)
    b = bout_table(steps, np.array([[0, 11]]), "UTC", "cadence-adults")
    assert b["cadence_stepping_spm"].iloc[0] == pytest.approx(120.0)
    assert b["cadence_bout_spm"].iloc[0] == pytest.approx(60.0 * 11 / t[-1])
    assert b["cadence_bout_spm"].iloc[0] < 120.0
