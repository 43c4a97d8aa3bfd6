"""Fitbit account-export JSON: per-minute steps in the account's local time."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from walkrx.consumer.records import ImportFileError, ParseReport
from walkrx.importers import fitbit


def test_fixture_steps_and_local_dates(fixtures_dir: Path):
    path = fixtures_dir / "fitbit" / "steps-1995-06-23_Fitbit.json"
    entries = json.loads(path.read_text())
    nonzero = [e for e in entries if int(e["value"]) > 0]
    report = ParseReport(str(path))
    recs = list(fitbit.iter_fitbit(path, report, tz="America/New_York"))
    assert len(recs) == len(nonzero)
    assert sum(r.value for r in recs) == sum(int(e["value"]) for e in entries)
    assert report.skipped == {"zero-step minute (not stored)": len(entries) - len(nonzero)}
    first = dt.datetime.strptime(nonzero[0]["dateTime"], "%m/%d/%y %H:%M:%S")
    assert recs[0].start_utc == first.replace(tzinfo=ZoneInfo("America/New_York"))
    assert recs[0].utc_offset_minutes == -240  # EDT in June
    assert recs[0].local_date == first.date() == dt.date(1995, 6, 24)
    assert all(r.end_s - r.start_s == 60 for r in recs)


def test_fitbit_needs_a_zone(fixtures_dir: Path):
    with pytest.raises(ImportFileError, match="--tz"):
        list(fitbit.iter_fitbit(fixtures_dir / "fitbit" / "steps-1995-06-23_Fitbit.json"))


def test_bad_entry_is_named(tmp_path: Path):
    path = tmp_path / "steps.json"
    path.write_text(
        '[{"dateTime": "06/23/95 00:00:00", "value": "3"}, {"dateTime": "yesterday", "value": "1"}]'
    )
    with pytest.raises(ImportFileError, match="entry 1"):
        list(fitbit.iter_fitbit(path, tz="Europe/Oslo"))
