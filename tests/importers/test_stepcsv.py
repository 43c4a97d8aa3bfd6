"""The documented step CSV (docs/import-csv.md)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from walkrx.consumer.records import ImportFileError, ParseReport
from walkrx.importers import stepcsv

DOC = Path(__file__).resolve().parents[2] / "docs" / "import-csv.md"


def test_example_in_the_docs_imports(tmp_path: Path):
    example = re.search(r"```csv\n(.*?)```", DOC.read_text(), re.S).group(1)
    path = tmp_path / "steps.csv"
    path.write_text(example)
    report = ParseReport(str(path))
    recs = list(stepcsv.iter_stepcsv(path, report, tz="Europe/Oslo"))
    steps = [r for r in recs if r.kind == "steps"]
    assert steps and all(r.value > 0 for r in steps)


def test_offsets_local_times_minutes_and_distance(tmp_path: Path):
    path = tmp_path / "steps.csv"
    path.write_text(
        "time,steps,minutes,distance_m\n"
        "2024-03-31T01:30:00,100,10,80\n"  # Oslo, before the DST jump
        "2024-03-31T03:30:00,200,5,\n"  # after it: +02:00
        "2024-06-01T23:30:00-07:00,50,1,40\n"
        "2024-06-02T00:00:00Z,0,1,\n"
    )
    report = ParseReport(str(path))
    recs = list(stepcsv.iter_stepcsv(path, report, tz="Europe/Oslo"))
    steps = [r for r in recs if r.kind == "steps"]
    assert [r.utc_offset_minutes for r in steps] == [60, 120, -420]
    assert [r.end_s - r.start_s for r in steps] == [600, 300, 60]
    assert steps[2].local_date == dt.date(2024, 6, 1)
    assert [r.value for r in recs if r.kind == "distance"] == [80, 40]
    assert report.skipped == {"zero-step row (not stored)": 1}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("when,steps\n", "header"),
        ("time,steps\nnot-a-time,3\n", "line 2"),
        ("time,steps\n2024-01-01T00:00:00Z,-3\n", "line 2"),
        ("time,steps\n2024-01-01T00:00:00Z,3\n2024-01-01T00:01:00,4\n", "no UTC offset"),
    ],
)
def test_errors_name_the_line(tmp_path: Path, text: str, words: str):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(ImportFileError, match=words):
        list(stepcsv.iter_stepcsv(path))
