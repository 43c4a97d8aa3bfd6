"""``walkrx import`` and ``walkrx days``: exit codes, summaries, every origin listed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from walkrx.cli import _django, main
from walkrx.web.imports.models import ConsumerInterval, IntervalChunk
from walkrx.web.walking.models import DailyActivity, Walk, Walker

pytestmark = [pytest.mark.db, pytest.mark.django_db]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]):
    _django._done = True  # pytest-django has set Django up

    def go(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
        out = capsys.readouterr()
        return code, out.out, out.err

    return go


@pytest.fixture
def walker() -> Walker:
    return Walker.objects.create(
        name="ola", age=70, goal="lower-risk", start_date=dt.date(2014, 1, 1), tz="America/Chicago"
    )


def test_import_json_summary_and_days(run, walker: Walker, fixtures_dir: Path):
    fit = fixtures_dir / "garmin" / "MonitoringFile.fit"
    fb = fixtures_dir / "fitbit" / "steps-1995-06-23_Fitbit.json"
    code, out, err = run("import", "ola", str(fit), str(fb), "--tz", "America/New_York", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["totals"]["days_added"] == 2
    assert data["skipped"]["zero-step minute (not stored)"] == 24
    code, out, _ = run("import", "ola", str(fit), str(fb), "--tz", "America/New_York")
    assert code == 0
    assert "0 days added, 0 updated, 2 unchanged" in out
    assert "skipped 24: zero-step minute (not stored)" in out
    # a manual walk and a measured day are listed beside the imported days
    Walk.objects.create(
        walker=walker,
        start_utc=dt.datetime(2014, 12, 27, 15, 0, tzinfo=dt.UTC),
        tz="America/Chicago",
        local_date=dt.date(2014, 12, 27),
        minutes=25,
        steps=2500,
    )
    Walk.objects.create(
        walker=walker,
        start_utc=dt.datetime(2014, 12, 27, 20, 0, tzinfo=dt.UTC),
        tz="America/Chicago",
        local_date=dt.date(2014, 12, 27),
        minutes=10,
    )
    DailyActivity.objects.create(
        walker=walker, date=dt.date(2014, 12, 27), origin="measured", steps=4000, walk_min=40
    )
    code, out, _ = run("days", "ola", "--from", "2014-12-01", "--to", "2014-12-31", "--json")
    rows = json.loads(out)
    assert [(r["date"], r["origin"]) for r in rows] == [
        ("2014-12-27", "measured"),
        ("2014-12-27", "imported"),
        ("2014-12-27", "manual"),
    ]
    imported = rows[1]
    assert imported["steps"] == 3173 and set(imported) >= {
        "date",
        "steps",
        "walk_min",
        "distance_m",
        "steps_by_source",
        "origin",
    }
    assert rows[2]["walk_min"] == 35 and rows[2]["steps"] == 2500
    code, out, _ = run("days", "ola")
    assert code == 0 and "1995-06-24" in out and "imported" in out


def test_bad_file_exits_1_names_file_and_problem_and_stores_nothing(
    run, walker: Walker, fixtures_dir: Path
):
    bad = fixtures_dir / "garmin" / "invalid" / "activity-filecrc.fit"
    good = fixtures_dir / "garmin" / "garmin-fenix-5-walk.fit"
    code, out, err = run("import", "ola", str(good), str(bad))
    assert code == 1
    assert str(bad) in err and "CRC" in err and "nothing was stored" in err
    assert ConsumerInterval.objects.count() == 0 and DailyActivity.objects.count() == 0
    assert IntervalChunk.objects.count() == 0


def test_hostile_export_exits_1(run, walker: Walker, tmp_path: Path):
    path = tmp_path / "export.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE HealthData [<!ENTITY a "b">]><HealthData locale="en"/>'
    )
    code, _, err = run("import", "ola", str(path))
    assert code == 1 and "refused" in err and str(path) in err


def test_usage_errors_exit_2(run, walker: Walker, tmp_path: Path):
    assert run("import", "ola")[0] == 2
    assert run("import", "ola", str(tmp_path / "missing.fit"))[0] == 2
    assert run("import", "ola", "x.fit", "--tz", "CET")[0] == 2
    assert run("days", "ola", "--from", "2024-13-01")[0] == 2
    assert run("days", "ola", "--from", "2024-02-01", "--to", "2024-01-01")[0] == 2


def test_unknown_walker_exits_1(run, fixtures_dir: Path):
    code, _, err = run("import", "nobody", str(fixtures_dir / "garmin" / "garmin-fenix-5-walk.fit"))
    assert code == 1 and "nobody" in err
    assert run("days", "nobody")[0] == 1
