"""A long import does not hold the database while it reads (issue 14).

SQLite has one writer at a time: an import that stored a 1 GB export in one transaction held
the write lock while it read the file, so every page that writes (the clinician's walker page
writes an audit row; sign-in, check-ins, cancelling the upload, the worker's heartbeat) waited
for it, up to the 20 s busy timeout, then failed. The import now reads before its transaction
opens, and stays all or nothing.

These tests run outside a test transaction (``transactional_db``), as the worker does.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from walkrx.web.imports import services
from walkrx.web.imports.models import ConsumerInterval, SourceFile
from walkrx.web.walking.models import DailyActivity, Walker

from .test_services import assert_failed_imports_change_nothing, export, hour_body

pytestmark = [pytest.mark.db, pytest.mark.django_db(transaction=True)]


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
    assert_failed_imports_change_nothing(
        fixtures_dir,
        tmp_path,
        media,
        fail_after_records=20,
        # many short transactions before the error
        before_failing=lambda: monkeypatch.setattr(services, "BATCH", 10, raising=False),
    )
    assert not SourceFile.objects.filter(sha256__startswith="pending-").exists()
