"""Garmin FIT: the fenix 5 walk against its upstream CSV, the monitoring file, invalid files."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import fitdecode
import pytest

from walkrx.consumer.records import ImportFileError, Interval, ParseReport, Workout
from walkrx.importers import fit

PDT = dt.timezone(dt.timedelta(hours=-7))


def csv_rows(fixtures_dir: Path) -> list[dict[str, str]]:
    with open(fixtures_dir / "garmin" / "garmin-fenix-5-walk-records.csv", newline="") as fh:
        return list(csv.DictReader(fh))


def csv_time(text: str) -> dt.datetime:
    # "Sun Jun 11 07:32:51 PDT 2017"
    assert " PDT " in text
    return dt.datetime.strptime(text.replace(" PDT", ""), "%a %b %d %H:%M:%S %Y").replace(
        tzinfo=PDT
    )


def session_field(path: Path, name: str):
    with fitdecode.FitReader(str(path)) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "session":
                return frame.get_value(name)
    raise AssertionError("no session")


def test_walk_matches_the_upstream_csv(fixtures_dir: Path):
    path = fixtures_dir / "garmin" / "garmin-fenix-5-walk.fit"
    rows = csv_rows(fixtures_dir)
    first, last = csv_time(rows[0]["timestamp"]), csv_time(rows[-1]["timestamp"])
    report = ParseReport(str(path))
    recs = list(fit.iter_fit(path, report))
    (walk,) = [r for r in recs if isinstance(r, Workout)]
    assert walk.activity == "walking"
    assert walk.start_utc == first
    assert walk.utc_offset_minutes == -7 * 60  # PDT, from the activity's local timestamp
    assert walk.local_date == first.date()
    assert abs(walk.duration_s - (last - first).total_seconds()) <= 1.0
    assert walk.distance_m == pytest.approx(float(rows[-1]["distance"]))
    # steps = 2 x strides for foot sports
    assert walk.steps == 2 * session_field(path, "total_strides")
    # the recorded cadence (strides/min) agrees with the steps within rounding of the per-record values
    cadence = [float(r["cadence"]) for r in rows]
    mean_spm = 2 * sum(cadence) / len(cadence)
    assert walk.steps / (walk.duration_s / 60) == pytest.approx(mean_spm, rel=0.2)
    steps = [r for r in recs if isinstance(r, Interval) and r.kind == "steps"]
    dist = [r for r in recs if isinstance(r, Interval) and r.kind == "distance"]
    assert [s.value for s in steps] == [walk.steps]
    assert [d.value for d in dist] == [walk.distance_m]
    assert report.skipped == {}


def test_run_is_skipped_with_a_reason(fixtures_dir: Path):
    report = ParseReport("run")
    assert list(fit.iter_fit(fixtures_dir / "garmin" / "garmin-fenix-5-run.fit", report)) == []
    assert report.skipped == {"activity of sport running (not walking or hiking)": 1}


def test_monitoring_steps_add_up_to_the_files_daily_summaries(fixtures_dir: Path):
    path = fixtures_dir / "garmin" / "MonitoringFile.fit"
    summaries = {}
    offset_min = None
    with fitdecode.FitReader(str(path)) as reader:
        for frame in reader:
            if not isinstance(frame, fitdecode.FitDataMessage):
                continue
            if frame.name == "monitoring" and frame.has_field("duration_min"):
                summaries[frame.get_value("activity_type")] = frame.get_value("steps")
            if frame.name == "monitoring_info":
                delta = frame.get_value("local_timestamp") - frame.get_value("timestamp")
                offset_min = round(delta.total_seconds() / 60)
                day_start = frame.get_value("timestamp")
    report = ParseReport(str(path))
    recs = list(fit.iter_fit(path, report))
    assert all(isinstance(r, Interval) and r.kind == "steps" for r in recs)
    assert sum(r.value for r in recs) == sum(summaries.values()) > 0
    assert {r.utc_offset_minutes for r in recs} == {offset_min}
    local_day = (day_start + dt.timedelta(minutes=offset_min)).date()
    assert {r.local_date for r in recs} == {local_day}
    assert all(r.start_s < r.end_s for r in recs)
    assert all(
        a.end_s <= b.start_s for a, b in zip(recs, recs[1:], strict=False)
    )  # time-ordered, no overlap
    assert report.skipped == {"daily summary message (a total, not an interval)": len(summaries)}


def _messages(*items):
    return [
        ("file_id", {"type": "monitoring_b", "manufacturer": "garmin", "garmin_product": "x"}),
        *items,
    ]


def test_monitoring_counter_resets_and_timestamp_16_rollover():
    t0 = dt.datetime(2020, 1, 1, 6, 0, tzinfo=dt.UTC)
    base = int(t0.timestamp()) - fit.FIT_EPOCH_S
    msgs = _messages(
        ("monitoring_info", {"timestamp": t0, "local_timestamp": t0 - dt.timedelta(hours=6)}),
        (
            "monitoring",
            {"timestamp_16": (base + 600) & 0xFFFF, "activity_type": "walking", "cycles": 50.0},
        ),
        (
            "monitoring",
            {"timestamp_16": (base + 900) & 0xFFFF, "activity_type": "walking", "cycles": 80.0},
        ),
        # the counter restarted (device reboot): 10 strides since
        (
            "monitoring",
            {"timestamp_16": (base + 1200) & 0xFFFF, "activity_type": "walking", "cycles": 10.0},
        ),
        # 70 000 s later: the 16-bit timestamp wrapped once
        (
            "monitoring",
            {
                "timestamp_16": (base + 1200 + 65000) & 0xFFFF,
                "activity_type": "walking",
                "steps": 40,
            },
        ),
        (
            "monitoring",
            {
                "timestamp_16": (base + 1300 + 65000) & 0xFFFF,
                "activity_type": "cycling",
                "cycles": 99.0,
            },
        ),
    )
    recs = list(fit._monitoring(Path("x.fit"), msgs, "Garmin x", ParseReport("x"), None))
    assert [r.value for r in recs] == [100, 60, 20, 20]
    assert [r.end_s - int(t0.timestamp()) for r in recs] == [600, 900, 1200, 66200]
    assert recs[1].start_s == recs[0].end_s
    assert {r.utc_offset_minutes for r in recs} == {-360}


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("activity-filecrc.fit", "CRC"),
        ("activity-settings-corruptheader.fit", "header"),
        ("activity-unexpected-eof.fit", "end of file"),
        ("activity-settings-nodata.fit", "missing data"),
    ],
)
def test_invalid_files_give_a_clear_error(fixtures_dir: Path, name: str, words: str):
    path = fixtures_dir / "garmin" / "invalid" / name
    with pytest.raises(ImportFileError, match=words) as info:
        list(fit.iter_fit(path))
    assert str(path) in str(info.value)


def test_not_a_fit_file(tmp_path: Path):
    path = tmp_path / "x.fit"
    path.write_bytes(b"hello, this is not FIT at all")
    with pytest.raises(ImportFileError, match="header"):
        list(fit.iter_fit(path))


def test_per_record_cycles_roll_over_at_256():
    t = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    counts = [250, 253, 255, 2, 10, 200, 30]  # two rollovers
    msgs = [
        ("record", {"timestamp": t + dt.timedelta(seconds=i), "cycles": c})
        for i, c in enumerate(counts)
    ]
    start = int(t.timestamp())
    assert fit.record_strides(msgs, start, start + 10) == (256 - 250) + 30 + 256
