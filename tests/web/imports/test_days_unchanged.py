"""Issue 16: the merged days are those of the row-by-row store, whatever the new storage does.

The reference is computed here the way the store worked before the columnar chunks: every
record read one by one (the strict standard parser for Apple exports), records longer than
seven days left out, the first of equal (kind, source, start, end) records kept, merged by the
reference engine (:func:`walkrx.consumer.merge.sweep`). The import under test reads the same
files on its fast paths (one pass, and parts read by two processes) into chunk files; the days
it stores must equal the reference exactly: steps, distance, walking minutes, steps by source.
This test passes on the code before the change too (base ``1532352``).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from walkrx.consumer.merge import merge_days
from walkrx.consumer.records import Interval, ParseReport, Workout
from walkrx.importers import iter_records
from walkrx.importers.apple import iter_apple
from walkrx.web.imports import services
from walkrx.web.walking.models import DailyActivity, Walker

from .conftest import read_with

pytestmark = [pytest.mark.db, pytest.mark.django_db]

GENERATOR = Path(__file__).resolve().parents[3].parent / "shared" / "tools" / "gen_apple_export.py"


@pytest.fixture(autouse=True, params=["one-pass", "parts"])
def parser_mode(request, monkeypatch) -> str:
    """Read in one pass here, and cut into small parts read by two processes."""
    read_with(monkeypatch, parallel=request.param == "parts", part_bytes=64 * 1024)
    return str(request.param)


@pytest.fixture
def walker() -> Walker:
    return Walker.objects.create(
        name="alex",
        age=58,
        goal="lower-risk",
        start_date=dt.date(2015, 1, 1),
        tz="America/Los_Angeles",
    )


def reference_days(paths: list[Path], tz: str) -> dict[dt.date, tuple]:
    """Days as the row-by-row store made them: see the module docstring."""
    seen: set[tuple] = set()
    intervals: list[Interval] = []
    workouts: list[Workout] = []
    for path in paths:
        report = ParseReport(str(path))
        if path.suffix in (".xml", ".zip"):
            records = iter_apple(path, report, parser="xml")
        else:
            records = iter_records(path, report, tz=tz)
        for r in records:
            if r.end_s - r.start_s > services.MAX_RECORD_S:
                continue
            kind = r.kind if isinstance(r, Interval) else "workout"
            key = (kind, r.source_name[:200], r.start_s, r.end_s)
            if key in seen:
                continue
            seen.add(key)
            if isinstance(r, Interval):
                intervals.append(r._replace(source_name=r.source_name[:200]))
            else:
                workouts.append(r)
    days = merge_days(intervals, workouts, engine="python")
    return {
        d: (t.steps, t.distance_m, t.walk_min, t.steps_by_source)
        for d, t in days.items()
        if t.steps is not None or t.distance_m is not None or t.walk_min is not None
    }


def stored_days(walker: Walker) -> dict[dt.date, tuple]:
    return {
        row.date: (row.steps, row.distance_m, row.walk_min, row.steps_by_source)
        for row in DailyActivity.objects.filter(walker=walker, origin="imported")
    }


def _zip(folder: Path, out: Path) -> Path:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                zf.write(f, f.relative_to(folder).as_posix())
    return out


def test_fixture_exports_merge_to_the_same_days(walker: Walker, fixtures_dir: Path, tmp_path: Path):
    apple_zip = _zip(fixtures_dir / "apple-health" / "zip_contents", tmp_path / "export.zip")
    files = [
        fixtures_dir / "apple-health" / "export.xml",
        apple_zip,
        fixtures_dir / "fitbit" / "steps-1995-06-23_Fitbit.json",
        fixtures_dir / "garmin" / "MonitoringFile.fit",
        fixtures_dir / "garmin" / "garmin-fenix-5-walk.fit",
    ]
    tz = "America/New_York"
    services.import_files("alex", files, tz=tz)
    want = reference_days(files, tz)
    assert want, "the fixtures hold days"
    assert stored_days(walker) == want
    # importing them again, one by one, changes nothing
    for f in files:
        services.import_files("alex", [f], tz=tz)
    assert stored_days(walker) == want


@pytest.mark.skipif(not GENERATOR.is_file(), reason="needs ../shared/tools/gen_apple_export.py")
def test_generated_watch_export_merges_to_the_same_days(walker: Walker, tmp_path: Path):
    export = tmp_path / "export.xml"
    subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(export), "--days", "6"],
        check=True,
        capture_output=True,
    )
    # a later export of the same phone and watch: the same six days and two more
    later = tmp_path / "later.xml"
    subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(later), "--days", "8"],
        check=True,
        capture_output=True,
    )
    services.import_files("alex", [export])
    assert stored_days(walker) == reference_days([export], walker.tz)
    summary = services.import_files("alex", [later])
    assert stored_days(walker) == reference_days([export, later], walker.tz)
    assert summary.files[0].new_records < summary.files[0].records
