"""A long import does not hold the database: it stores in short transactions (issue 14).

SQLite has one writer at a time: an import that stored a 1 GB export in one transaction held
the write lock for the whole import, so every page that writes (the clinician's walker page
writes an audit row; sign-in, check-ins, cancelling the upload, the worker's heartbeat) waited
for it, up to the 20 s busy timeout, then failed. The import now stores records in short
transactions and writes the days in one short transaction at the end; a failed or killed
import's records are removed, so nothing from it stays stored.

These tests run outside a test transaction (``transactional_db``), as the worker does. The
first two hold for any storage design (no write lock held across the parse; all or nothing);
the last two test this design's pending file rows.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from walkrx.consumer.records import ImportFileError
from walkrx.web.imports import pending, services
from walkrx.web.imports.models import ConsumerInterval, SourceFile
from walkrx.web.walking.models import DailyActivity, Walker

from .test_services import export, hour_body, snapshot

pytestmark = [pytest.mark.db, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def walker() -> Walker:
    return Walker.objects.create(
        name="kari", age=62, goal="lower-risk", start_date=dt.date(2019, 1, 1), tz="Europe/Oslo"
    )


def _from_another_connection(walker_pk: int) -> dict[str, Any]:
    """What a web request sees and can do while the import runs (its own connection)."""
    out: dict[str, Any] = {}

    def probe() -> None:
        try:
            with connection.cursor() as cur:  # a new connection: this is another thread
                if connection.vendor == "sqlite":
                    cur.execute("PRAGMA busy_timeout = 1000")
                else:
                    cur.execute("SET lock_timeout = '1s'")
            ConsumerInterval.objects.filter(walker_id=walker_pk).count()  # a page's read
            Walker.objects.create(
                name="other",
                age=50,
                goal="lower-risk",
                tz="Europe/Oslo",
                start_date=dt.date(2019, 1, 1),
            )
            out["wrote"] = True
        except Exception as exc:  # reported by the test
            out["error"] = repr(exc)
        finally:
            connection.close()

    t = threading.Thread(target=probe)
    t.start()
    t.join(30)
    return out


def test_pages_can_write_while_a_long_import_stores_its_records(
    walker: Walker, fixtures_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "BATCH", 10, raising=False)
    path = export(
        fixtures_dir, tmp_path / "export.xml", hour_body("2019-06-11", range(8, 12), range(8, 12))
    )
    seen: list[dict[str, Any]] = []

    def progress(done: int, total: int, name: str) -> None:
        if len(seen) < 1 and done < total:  # in the middle of storing the records
            seen.append(_from_another_connection(walker.pk))

    summary = services.import_files("kari", [path], progress)
    assert seen, "progress was never reported while storing"
    assert "error" not in seen[0], seen[0]  # old code: "database is locked" after 1 s
    assert seen[0]["wrote"]
    assert summary.days_added == [dt.date(2019, 6, 11)]
    assert DailyActivity.objects.get(walker=walker, date=dt.date(2019, 6, 11)).steps > 0


def test_a_failed_import_leaves_nothing_stored(
    walker: Walker, fixtures_dir: Path, tmp_path: Path, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = export(
        fixtures_dir, tmp_path / "good.xml", hour_body("2019-06-10", range(9, 10), range(9, 10))
    )
    services.import_files("kari", [good])
    before = snapshot()
    files_before = sorted(p for p in media.rglob("*") if p.is_file())
    monkeypatch.setattr(
        services, "BATCH", 10, raising=False
    )  # many short transactions before the error
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
    bigger = export(
        fixtures_dir, tmp_path / "bigger.xml", hour_body("2019-06-13", range(9, 10), range(9, 10))
    )
    with pytest.raises(services.ImportAborted):
        services.import_files("kari", [bigger], fail_after_records=20)
    assert snapshot() == before
    assert not SourceFile.objects.filter(sha256__startswith="pending-").exists()


def _half_stored(walker: Walker, pid: int) -> SourceFile:
    """The pending file row of an import run by ``pid``, with the 6 records it stored."""
    row = SourceFile.objects.create(
        walker=walker,
        kind="apple",
        original_name="export.zip",
        sha256=pending.marker(pid=pid),
        size=1,
        stored="",
    )
    t0 = dt.datetime(2019, 6, 11, 7, 0, tzinfo=dt.UTC)
    ConsumerInterval.objects.bulk_create(
        ConsumerInterval(
            walker=walker,
            source_file=row,
            source_name="Killed phone",
            device_kind="phone",
            kind="steps",
            start_utc=t0 + dt.timedelta(minutes=10 * i),
            end_utc=t0 + dt.timedelta(minutes=10 * i + 10),
            value=5000,
            unit="count",
            utc_offset_minutes=120,
        )
        for i in range(6)
    )
    return row


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_a_killed_imports_records_are_removed_and_never_counted(
    walker: Walker, fixtures_dir: Path, tmp_path: Path
) -> None:
    # what a killed import leaves: its file row (still pending) and the records it had stored
    killed = _half_stored(walker, _dead_pid())
    # a live import's rows are left alone (its process is this one's parent: alive)
    live = SourceFile.objects.create(
        walker=walker,
        kind="apple",
        original_name="x",
        size=1,
        stored="",
        sha256=pending.marker(pid=os.getppid()),
    )
    path = export(
        fixtures_dir, tmp_path / "export.xml", hour_body("2019-06-11", range(9, 10), range(0))
    )
    assert pending.sweep(walker.pk, wait=False) == [killed.pk]
    live.delete()
    services.import_files("kari", [path])
    assert not ConsumerInterval.objects.filter(source_name="Killed phone").exists()
    day = DailyActivity.objects.get(walker=walker, date=dt.date(2019, 6, 11))
    assert day.steps_by_source == {"Kari’s iPhone": 6000}


def test_the_worker_removes_what_a_killed_import_stored(walker: Walker) -> None:
    """A cancelled, timed-out or crashed job: its records go before its outcome is written."""
    from walkrx.web.walking.jobs import supervise
    from walkrx.web.walking.models import UploadJob

    child = subprocess.Popen(["sleep", "60"], start_new_session=True)  # stands for the import
    row = _half_stored(walker, child.pid)
    job = UploadJob.objects.create(
        id=uuid.uuid4().hex, walker=walker, file_name="export.zip", kind="consumer"
    )
    supervise._end(child, job)  # kills the job's process group, then cleans up
    assert child.poll() is not None
    assert not SourceFile.objects.filter(pk=row.pk).exists()
    assert not ConsumerInterval.objects.filter(walker=walker).exists()
