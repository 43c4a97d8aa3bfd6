"""import_files: one transaction, idempotent, overlapping exports, failures leave the DB as it was."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from walkrx.consumer.records import ImportFileError
from walkrx.web.imports import services
from walkrx.web.imports.models import ConsumerInterval, IntervalChunk, SourceFile
from walkrx.web.walking.models import DailyActivity, Walker

from .conftest import read_with

pytestmark = [pytest.mark.db, pytest.mark.django_db]

STEP = "HKQuantityTypeIdentifierStepCount"
WATCH = "&lt;&lt;HKDevice: 0x1&gt;, name:Apple Watch, manufacturer:Apple, model:Watch, hardware:Watch2,4, software:4&gt;"
PHONE = "&lt;&lt;HKDevice: 0x2&gt;, name:iPhone, manufacturer:Apple, model:iPhone, hardware:iPhone10,4, software:12&gt;"


@pytest.fixture(autouse=True, params=["inline", "parallel"])
def parser_mode(request, monkeypatch) -> str:
    """Every test runs twice: read here in one pass, and cut into parts read by two processes."""
    # small test exports: parts of 4 KiB, so that there are several
    read_with(monkeypatch, parallel=request.param == "parallel", part_bytes=4096)
    return str(request.param)


@pytest.fixture
def walker() -> Walker:
    return Walker.objects.create(
        name="kari",
        age=62,
        goal="lower-risk",
        start_date=dt.date(2019, 1, 1),
        tz="America/Los_Angeles",
    )


def stored() -> list[tuple]:
    """Every stored record of every walker: (source, kind, start, value)."""
    out = []
    for w in Walker.objects.all():
        for r in services.stored_records(w):
            kind = getattr(r, "kind", "workout")
            value = r.value if kind != "workout" else r.duration_s
            out.append((r.source_name, kind, r.start_s, value))
    return sorted(out)


def snapshot() -> tuple:
    """Everything the import may touch."""
    return (
        stored(),
        sorted(IntervalChunk.objects.values_list("stored", "records")),
        sorted(
            DailyActivity.objects.values_list("date", "origin", "steps", "walk_min", "distance_m")
        ),
        sorted(SourceFile.objects.values_list("sha256", "original_name")),
    )


def rec(source: str, device: str, start: str, end: str, value: int) -> str:
    return (
        f' <Record type="{STEP}" sourceName="{source}" sourceVersion="1" device="{device}" unit="count" '
        f'creationDate="{end}" startDate="{start}" endDate="{end}" value="{value}"/>\n'
    )


def export(fixtures_dir: Path, path: Path, body: str, *, truncate: bool = False) -> Path:
    text = (fixtures_dir / "apple-health" / "export.xml").read_text(encoding="utf-8")
    head, tail = text.rsplit("</HealthData>", 1)
    text = head + body + ("" if truncate else "</HealthData>" + tail)
    path.write_text(text, encoding="utf-8")
    return path


def hour_body(day: str, hours: range, watch_hours: range) -> str:
    """iPhone records every 10 min and Watch records every minute (contiguous), in -0700."""
    base = dt.datetime.fromisoformat(day)

    def t(minutes: int) -> str:
        return (base + dt.timedelta(minutes=minutes)).strftime("%Y-%m-%d %H:%M:%S -0700")

    out = []
    for h in hours:
        for m in range(0, 60, 10):
            out.append(rec("Kari’s iPhone", PHONE, t(h * 60 + m), t(h * 60 + m + 10), 1000))
        if h in watch_hours:
            for m in range(60):
                out.append(rec("Kari’s Apple Watch", WATCH, t(h * 60 + m), t(h * 60 + m + 1), 110))
    return "".join(out)


def test_fixtures_import_with_the_right_numbers(walker: Walker, fixtures_dir: Path):
    g = fixtures_dir / "garmin"
    fb = fixtures_dir / "fitbit" / "steps-1995-06-23_Fitbit.json"
    summary = services.import_files(
        "kari", [g / "garmin-fenix-5-walk.fit", g / "MonitoringFile.fit", fb], tz="America/New_York"
    )
    days = {d.date: d for d in DailyActivity.objects.filter(walker=walker, origin="imported")}
    fitbit_total = sum(int(e["value"]) for e in json.loads(fb.read_text()))
    assert days[dt.date(1995, 6, 24)].steps == fitbit_total
    assert days[dt.date(1995, 6, 24)].steps_by_source == {"Fitbit": fitbit_total}
    assert (
        days[dt.date(2014, 12, 27)].steps == 3142 + 31
    )  # the monitoring file's own daily summaries
    assert days[dt.date(2017, 6, 11)].steps == 82  # 2 x 41 strides
    assert days[dt.date(2017, 6, 11)].distance_m == pytest.approx(67.85, abs=0.05)
    assert days[dt.date(2017, 6, 11)].walk_min == pytest.approx(45 / 60, abs=0.02)
    assert len(summary.days_added) == 3 and not summary.days_updated
    assert summary.skipped["zero-step minute (not stored)"] == 24


def test_apple_iphone_and_watch_same_hour_count_once_and_gap_keeps_phone(
    walker: Walker, fixtures_dir: Path, tmp_path: Path
):
    # watch worn 09:00-10:00 only; phone carried 09:00-11:00
    path = export(
        fixtures_dir, tmp_path / "export.xml", hour_body("2019-06-11", range(9, 11), range(9, 10))
    )
    summary = services.import_files("kari", [path])
    day = DailyActivity.objects.get(walker=walker, origin="imported", date=dt.date(2019, 6, 11))
    assert day.steps_by_source == {"Kari’s Apple Watch": 6600, "Kari’s iPhone": 6000}
    assert day.steps == 12600
    assert day.walk_min == pytest.approx(120, abs=0.5)  # 110 and 100 steps/min: all walking
    assert summary.as_dict()["totals"]["days_added"] == 1


def test_reimport_is_a_no_op_and_the_original_is_kept(
    walker: Walker, fixtures_dir: Path, tmp_path: Path, media: Path
):
    path = export(
        fixtures_dir, tmp_path / "export.xml", hour_body("2019-06-11", range(9, 11), range(9, 10))
    )
    services.import_files("kari", [path])
    before = snapshot()
    again = services.import_files("kari", [path])
    assert snapshot() == before
    assert again.files[0].new_records == 0 and again.files[0].already_imported
    assert (len(again.days_added), len(again.days_updated), len(again.days_unchanged)) == (0, 0, 1)
    (sf,) = SourceFile.objects.filter(walker=walker)
    with sf.stored.open("rb") as fh:
        assert fh.read() == path.read_bytes()
    assert not (media / "imports" / "tmp").exists()
    assert not services.temp_dir(walker.pk).exists()


def test_later_overlapping_export_adds_only_what_is_new(
    walker: Walker, fixtures_dir: Path, tmp_path: Path
):
    first = export(
        fixtures_dir, tmp_path / "a.xml", hour_body("2019-06-11", range(9, 10), range(9, 10))
    )
    services.import_files("kari", [first])
    n1 = len(stored())
    later = export(
        fixtures_dir,
        tmp_path / "b.xml",
        hour_body("2019-06-11", range(9, 11), range(9, 10))
        + hour_body("2019-06-12", range(8, 9), range(0)),
    )
    summary = services.import_files("kari", [later])
    assert summary.files[0].new_records == len(stored()) - n1 == 6 + 6
    assert summary.days_updated == [dt.date(2019, 6, 11)]
    assert summary.days_added == [dt.date(2019, 6, 12)]
    day = DailyActivity.objects.get(walker=walker, date=dt.date(2019, 6, 11))
    assert day.steps == 12600


def assert_failed_imports_change_nothing(
    fixtures_dir: Path,
    tmp_path: Path,
    media: Path,
    *,
    fail_after_records: int,
    before_failing: Callable[[], object] = lambda: None,
) -> None:
    """After a good import, two failing imports leave the database (and the media folder) as
    they were; ``before_failing`` runs between the good import and the failing ones."""
    good = export(
        fixtures_dir, tmp_path / "good.xml", hour_body("2019-06-10", range(9, 10), range(9, 10))
    )
    services.import_files("kari", [good])
    before = snapshot()
    files_before = sorted(p for p in media.rglob("*") if p.is_file())
    before_failing()
    # a real parser error: the export is cut off after many records
    broken = export(
        fixtures_dir,
        tmp_path / "broken.xml",
        hour_body("2019-06-11", range(9, 12), range(9, 12)),
        truncate=True,
    )
    other = export(
        fixtures_dir, tmp_path / "other.xml", hour_body("2019-06-12", range(9, 10), range(0))
    )
    with pytest.raises(ImportFileError, match="end of file"):
        services.import_files("kari", [other, broken])
    assert snapshot() == before
    assert sorted(p for p in media.rglob("*") if p.is_file()) == files_before
    # and the test hook, raising after some records were stored
    bigger = export(
        fixtures_dir, tmp_path / "bigger.xml", hour_body("2019-06-13", range(9, 10), range(9, 10))
    )
    with pytest.raises(services.ImportAborted):
        services.import_files("kari", [bigger], fail_after_records=fail_after_records)
    assert snapshot() == before


def test_failure_in_the_middle_leaves_the_database_as_it_was(
    walker: Walker, fixtures_dir: Path, tmp_path: Path, media: Path, monkeypatch
):
    assert_failed_imports_change_nothing(fixtures_dir, tmp_path, media, fail_after_records=10)


def billion_laughs(path: Path) -> Path:
    ents = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    ]
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE HealthData [\n' + "\n".join(ents) + "\n]>\n"
        '<HealthData locale="en_US"><Record type="HKQuantityTypeIdentifierStepCount" sourceName="&lol9;" '
        'unit="count" startDate="2019-06-11 15:00:00 -0700" endDate="2019-06-11 15:10:00 -0700" value="1"/></HealthData>\n'
    )
    return path


def test_hostile_exports_store_nothing(
    walker: Walker, tmp_path: Path, fixtures_dir: Path, media: Path
):
    before = snapshot()
    bomb = billion_laughs(tmp_path / "export.xml")
    with pytest.raises(ImportFileError, match="refused"):
        services.import_files("kari", [bomb])
    z = tmp_path / "export.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr(
            "apple_health_export/export.xml",
            '<?xml version="1.0"?><!DOCTYPE HealthData [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            '<HealthData locale="en_US"><Record type="HKQuantityTypeIdentifierStepCount" sourceName="&x;" '
            'unit="count" startDate="2019-06-11 15:00:00 -0700" endDate="2019-06-11 15:10:00 -0700" value="1"/></HealthData>',
        )
    with pytest.raises(ImportFileError, match="refused"):
        services.import_files("kari", [z])
    assert snapshot() == before
    assert not [p for p in media.rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("activity-filecrc.fit", "CRC"),
        ("activity-settings-corruptheader.fit", "header"),
        ("activity-unexpected-eof.fit", "end of file"),
        ("activity-settings-nodata.fit", "missing data"),
    ],
)
def test_invalid_fit_stores_nothing(walker: Walker, fixtures_dir: Path, name: str, words: str):
    good = fixtures_dir / "garmin" / "garmin-fenix-5-walk.fit"
    before = snapshot()
    with pytest.raises(ImportFileError, match=words):
        services.import_files("kari", [good, fixtures_dir / "garmin" / "invalid" / name])
    assert snapshot() == before


def test_source_priority_from_the_walkers_preferences(
    walker: Walker, fixtures_dir: Path, tmp_path: Path
):
    walker.preferences = {"source_priority": ["Kari’s iPhone"]}
    walker.save()
    path = export(
        fixtures_dir, tmp_path / "export.xml", hour_body("2019-06-11", range(9, 10), range(9, 10))
    )
    services.import_files("kari", [path])
    day = DailyActivity.objects.get(walker=walker, date=dt.date(2019, 6, 11))
    assert day.steps_by_source == {"Kari’s iPhone": 6000}


def test_apple_fixture_zip_imports_with_the_right_numbers(
    walker: Walker, fixtures_dir: Path, tmp_path: Path
):
    import xml.etree.ElementTree as ET

    src = fixtures_dir / "apple-health" / "zip_contents"
    z = tmp_path / "export.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(src.rglob("*")):
            if f.is_file():
                zf.write(f, f.relative_to(src).as_posix())
    root = ET.parse(src / "apple_health_export" / "export.xml").getroot()
    wanted = [
        r
        for r in root.iter("Record")
        if r.get("type") in (STEP, "HKQuantityTypeIdentifierDistanceWalkingRunning")
    ]
    other_workouts = [
        w
        for w in root.iter("Workout")
        if w.get("workoutActivityType")
        not in ("HKWorkoutActivityTypeWalking", "HKWorkoutActivityTypeHiking")
    ]
    summary = services.import_files("kari", [z])
    (f,) = summary.files
    assert (f.format, f.records) == ("apple-health", len(wanted))
    assert summary.skipped == {"workout of type Running": len(other_workouts)}
    assert len(stored()) == len(wanted)
    (sf,) = SourceFile.objects.all()
    assert sf.original_name == "export.zip" and sf.size == z.stat().st_size


def test_first_import_merged_in_memory_equals_merging_from_the_database(
    walker: Walker, fixtures_dir: Path, tmp_path: Path
):
    body = hour_body("2019-06-11", range(8, 12), range(9, 11))
    # a duplicate record (same source, start and end, another value): the first one is kept
    dup = rec("Kari’s iPhone", PHONE, "2019-06-11 08:00:00 -0700", "2019-06-11 08:10:00 -0700", 5)
    path = export(
        fixtures_dir,
        tmp_path / "export.xml",
        body + dup + hour_body("2019-06-12", range(23, 24), range(23, 24)),
    )
    first = services.import_files("kari", [path])
    assert first.files[0].records == first.files[0].new_records + 1
    in_memory = snapshot()
    summary = services.ImportSummary(walker="kari")
    services.recompute_days(walker, set(first.days_added), summary)  # from the database
    assert summary.days_updated == [] and len(summary.days_unchanged) == len(first.days_added)
    assert snapshot() == in_memory


def test_deleting_a_walker_deletes_their_imported_records(walker: Walker, fixtures_dir: Path):
    services.import_files("kari", [fixtures_dir / "garmin" / "garmin-fenix-5-walk.fit"])
    assert stored() and SourceFile.objects.exists() and IntervalChunk.objects.exists()
    walker.delete()
    assert not ConsumerInterval.objects.exists() and not SourceFile.objects.exists()
    assert not IntervalChunk.objects.exists()


def test_account_erasure_removes_the_interval_files(
    walker: Walker, fixtures_dir: Path, tmp_path: Path, media: Path
):
    from walkrx.web.walking import jobs
    from walkrx.web.walking.services import erase_walker

    path = export(
        fixtures_dir, tmp_path / "export.xml", hour_body("2019-06-11", range(9, 11), range(9, 10))
    )
    services.import_files("kari", [path])
    (chunk,) = IntervalChunk.objects.filter(walker=walker)
    stored_file = media / chunk.stored.name
    assert stored_file.is_file() and chunk.records == 2 * 6 + 60
    folders = jobs.walker_folders(walker)
    erase_walker(walker)
    for folder in folders:  # as the delete-account view does
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    assert not IntervalChunk.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_chunk_file_of_a_killed_import_is_swept(
    walker: Walker, fixtures_dir: Path, tmp_path: Path, media: Path
):
    path = export(
        fixtures_dir, tmp_path / "export.xml", hour_body("2019-06-11", range(9, 10), range(9, 10))
    )
    services.import_files("kari", [path])
    (kept,) = IntervalChunk.objects.all()
    folder = (media / kept.stored.name).parent
    dead = 2**22 + 12345  # above the default pid_max: no such process
    orphan = folder / f"{dead}-0123456789abcdef.npz"
    orphan.write_bytes(b"left by an import killed before its commit")
    later = export(
        fixtures_dir, tmp_path / "later.xml", hour_body("2019-06-12", range(9, 10), range(0))
    )
    services.import_files("kari", [later])
    assert not orphan.exists()
    assert (media / kept.stored.name).is_file() and IntervalChunk.objects.count() == 2
