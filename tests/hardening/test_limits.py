"""The limits of walkrx.ingest.limits: defaults, settings from the environment, and their effect."""

from __future__ import annotations

from pathlib import Path

import pytest

from walkrx.consumer.records import ImportFileError
from walkrx.importers import iter_records
from walkrx.ingest import limits
from walkrx.sensors import ReaderError, read_all


def test_defaults_and_settings(monkeypatch):
    assert limits.current() == limits.DEFAULTS
    assert limits.DEFAULTS.max_span_days == 31
    monkeypatch.setenv("WALKRX_MAX_SPAN_DAYS", "7.5")
    monkeypatch.setenv("WALKRX_MAX_SAMPLES", "1000")
    got = limits.current()
    assert got.max_span_days == 7.5 and got.max_samples == 1000
    assert got.max_span_ns == int(7.5 * 86400e9)


@pytest.mark.parametrize("bad", ["abc", "0", "-3", "inf", "nan"])
def test_a_bad_setting_names_its_variable(monkeypatch, bad: str):
    monkeypatch.setenv("WALKRX_MAX_RECORDS", bad)
    with pytest.raises(ValueError, match="WALKRX_MAX_RECORDS"):
        limits.current()


def test_sample_limit_refuses_the_file(fixtures_dir: Path, monkeypatch):
    path = fixtures_dir / "axivity" / "ax3_testfile.cwa"
    assert len(read_all(path)[1]) > 5000
    monkeypatch.setenv("WALKRX_MAX_SAMPLES", "5000")
    with pytest.raises(ReaderError, match="WALKRX_MAX_SAMPLES") as exc:
        read_all(path)
    assert "data block" in str(exc.value)


def test_span_setting_skips_what_lies_beyond(tmp_path: Path, monkeypatch, crafted):
    c = crafted
    log = b"".join(c.activity2_second(c.T0 + i) for i in range(30))
    log += b"".join(c.activity2_second(c.T0 + 3 * 86400 + i) for i in range(30))
    p = c.write_gt3x(tmp_path / "two.gt3x", log)
    assert len(read_all(p)[1]) == 60 * 30
    monkeypatch.setenv("WALKRX_MAX_SPAN_DAYS", "2")
    info, chunk = read_all(p)
    assert len(chunk) == 30 * 30
    assert {e.kind for e in info.read_errors} == {"implausible-time"}


def test_record_limit_refuses_the_file(tmp_path: Path, monkeypatch):
    p = tmp_path / "steps.csv"
    rows = "".join(f"2020-01-06T10:{m:02d}:00+01:00,100,1\n" for m in range(50))
    p.write_text("time,steps,minutes\n" + rows)
    assert len(list(iter_records(p))) == 50
    monkeypatch.setenv("WALKRX_MAX_RECORDS", "20")
    with pytest.raises(ImportFileError, match="WALKRX_MAX_RECORDS"):
        list(iter_records(p))


def test_records_out_of_range_or_too_long_are_skipped_and_counted(tmp_path: Path):
    from walkrx.consumer.records import ParseReport

    p = tmp_path / "steps.csv"
    p.write_text(
        "time,steps,minutes\n2020-01-06T10:00:00+01:00,100,1\n"
        "2150-01-06T10:00:00+01:00,100,1\n2020-01-07T10:00:00+01:00,100,44640\n"
    )
    report = ParseReport(str(p))
    assert len(list(iter_records(p, report))) == 2
    assert report.skipped["record dated outside 1970-2099"] == 1
