"""A damaged or missing chunk file: the next import stops with a clear error and changes nothing.

The chunk files (``.npz``) hold the walker's step/distance records. If one is truncated, has
the wrong arrays, holds a pickle or is gone from disk, the next import of that walker must
name the chunk file, the import it came from and the problem, and leave the stored records,
chunks and days as they were (no raw numpy or zipfile traceback).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np
import pytest

from walkrx.consumer.records import ImportFileError
from walkrx.web.imports import services
from walkrx.web.imports.models import IntervalChunk, SourceFile
from walkrx.web.walking.models import DailyActivity, Walker

pytestmark = [pytest.mark.db, pytest.mark.django_db]

STEP = "HKQuantityTypeIdentifierStepCount"
PHONE = "&lt;&lt;HKDevice: 0x2&gt;, name:iPhone, manufacturer:Apple, model:iPhone, hardware:iPhone10,4, software:12&gt;"


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def walker() -> Walker:
    return Walker.objects.create(
        name="kari", age=62, goal="lower-risk", start_date=dt.date(2019, 1, 1), tz="UTC"
    )


def export(fixtures_dir: Path, path: Path, day: str) -> Path:
    base = dt.datetime.fromisoformat(day)

    def t(minutes: int) -> str:
        return (base + dt.timedelta(minutes=minutes)).strftime("%Y-%m-%d %H:%M:%S -0700")

    body = "".join(
        f' <Record type="{STEP}" sourceName="Kari’s iPhone" sourceVersion="1" device="{PHONE}" '
        f'unit="count" creationDate="{t(m + 10)}" startDate="{t(m)}" endDate="{t(m + 10)}" '
        f'value="1000"/>\n'
        for m in range(9 * 60, 11 * 60, 10)
    )
    text = (fixtures_dir / "apple-health" / "export.xml").read_text(encoding="utf-8")
    head, tail = text.rsplit("</HealthData>", 1)
    path.write_text(head + body + "</HealthData>" + tail, encoding="utf-8")
    return path


def _arrays(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def _save(path: Path, arrays: dict[str, np.ndarray]) -> None:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    path.write_bytes(buf.getvalue())


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _delete(path: Path) -> None:
    path.unlink()


def _garbage(path: Path) -> None:
    path.write_bytes(b"not an npz file at all")


def _one_array(path: Path) -> None:
    buf = io.BytesIO()
    np.save(buf, _arrays(path)["start"])
    path.write_bytes(buf.getvalue())


def _pickle(path: Path) -> None:
    a = _arrays(path)
    a["source_name"] = np.array([{"evil": 1}] * len(a["source_name"]), dtype=object)
    _save(path, a)


def _whole_pickle(path: Path) -> None:
    import pickle

    path.write_bytes(pickle.dumps({"start": [1, 2, 3]}))


def _missing_array(path: Path) -> None:
    a = _arrays(path)
    del a["value"]
    _save(path, a)


def _short_column(path: Path) -> None:
    a = _arrays(path)
    a["end"] = a["end"][:-1]
    _save(path, a)


def _wrong_dtype(path: Path) -> None:
    a = _arrays(path)
    a["start"] = a["start"].astype(np.float64) + 0.5
    _save(path, a)


def _two_dimensional(path: Path) -> None:
    a = _arrays(path)
    a["value"] = np.stack([a["value"], a["value"]])
    _save(path, a)


def _unknown_kind(path: Path) -> None:
    a = _arrays(path)
    a["kind"] = a["kind"].copy()
    a["kind"][0] = 7
    _save(path, a)


def _source_out_of_range(path: Path) -> None:
    a = _arrays(path)
    a["source"] = a["source"].copy()
    a["source"][-1] = len(a["source_name"]) + 3
    _save(path, a)


def _negative_source(path: Path) -> None:
    a = _arrays(path)
    a["source"] = a["source"].copy()
    a["source"][0] = -1
    _save(path, a)


def _source_table_mismatch(path: Path) -> None:
    a = _arrays(path)
    a["device"] = np.array([], dtype=str)
    _save(path, a)


def _fewer_records(path: Path) -> None:
    a = _arrays(path)
    for c in ("start", "end", "value", "kind", "offset", "source"):
        a[c] = a[c][:-2]
    _save(path, a)


DAMAGE = {
    "truncated": (_truncate, "cannot be read"),
    "deleted": (_delete, "missing"),
    "not a zip": (_garbage, "cannot be read"),
    "a whole pickle": (_whole_pickle, "pickled data, which is never loaded"),
    "pickle inside": (_pickle, "pickled data, which is never loaded"),
    "a lone .npy array": (_one_array, "not an .npz archive"),
    "array missing": (_missing_array, "value"),
    "columns of different lengths": (_short_column, "end"),
    "wrong dtype": (_wrong_dtype, "start"),
    "two-dimensional column": (_two_dimensional, "value"),
    "unknown kind code": (_unknown_kind, "kind"),
    "source index out of range": (_source_out_of_range, "source"),
    "negative source index": (_negative_source, "source"),
    "source table columns differ": (_source_table_mismatch, "device"),
    "fewer records than the row says": (_fewer_records, "records"),
}


def _state() -> tuple:
    return (
        sorted(IntervalChunk.objects.values_list("id", "stored", "records")),
        sorted(
            DailyActivity.objects.values_list(
                "date", "origin", "steps", "walk_min", "distance_m", "steps_by_source"
            )
        ),
        sorted(SourceFile.objects.values_list("sha256", "original_name")),
    )


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_chunk_stops_the_next_import_and_changes_nothing(
    damage: str, walker: Walker, fixtures_dir: Path, tmp_path: Path, media: Path
):
    first = export(fixtures_dir, tmp_path / "first-export.xml", "2019-06-11")
    services.import_files("kari", [first])
    (chunk,) = IntervalChunk.objects.all()
    path = media / chunk.stored.name
    spoil, problem = DAMAGE[damage]
    spoil(path)
    damaged = path.read_bytes() if path.exists() else None
    before = _state()
    files_before = sorted(p for p in media.rglob("*") if p.is_file())

    later = export(fixtures_dir, tmp_path / "later-export.xml", "2019-06-12")
    with pytest.raises(ImportFileError) as info:
        services.import_files("kari", [later])
    message = str(info.value)
    assert path.name in message  # the chunk file
    assert "first-export.xml" in message  # the import it came from
    assert problem in message  # the problem
    assert not isinstance(info.value.__cause__, ImportFileError)
    assert _state() == before  # days, chunks and files as they were
    assert sorted(p for p in media.rglob("*") if p.is_file()) == files_before
    assert (path.read_bytes() if path.exists() else None) == damaged  # not "repaired" or deleted


def test_the_cli_reports_a_damaged_chunk_without_a_traceback(
    walker: Walker, fixtures_dir: Path, tmp_path: Path, media: Path, capsys
):
    from walkrx.cli import _django, main

    _django._done = True  # pytest-django has set Django up
    first = export(fixtures_dir, tmp_path / "first-export.xml", "2019-06-11")
    services.import_files("kari", [first])
    (chunk,) = IntervalChunk.objects.all()
    _truncate(media / chunk.stored.name)
    later = export(fixtures_dir, tmp_path / "later-export.xml", "2019-06-12")
    capsys.readouterr()
    code = main(["import", "kari", str(later), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 1
    assert Path(chunk.stored.name).name in err and "first-export.xml" in err
    assert "Traceback" not in err and "BadZipFile" not in err


def test_an_upload_job_fails_with_the_chunk_named_and_no_server_path(
    walker: Walker, fixtures_dir: Path, tmp_path: Path, media: Path, monkeypatch
):
    import django.db

    from walkrx.web.walking.jobs import child, upload_path

    monkeypatch.setattr(django.db, "close_old_connections", lambda: None)  # the test database
    from walkrx.web.walking.models import UploadJob

    first = export(fixtures_dir, tmp_path / "first-export.xml", "2019-06-11")
    services.import_files("kari", [first])
    (chunk,) = IntervalChunk.objects.all()
    _truncate(media / chunk.stored.name)
    before = _state()
    job = UploadJob.objects.create(
        id="0123456789abcdef", walker=walker, file_name="later-export.xml", kind="consumer"
    )
    upload = upload_path(job)
    upload.parent.mkdir(parents=True)
    export(fixtures_dir, upload, "2019-06-12")
    assert child.run(job.pk) == 1
    job.refresh_from_db()
    assert job.state == "failed"
    assert Path(chunk.stored.name).name in job.message and "first-export.xml" in job.message
    assert "damaged or cut short" in job.message
    assert str(media) not in job.message  # no server path for the walker
    assert _state() == before
