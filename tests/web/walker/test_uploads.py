"""Uploads are imported by a real worker process with visible progress; bad files fail clearly."""

from __future__ import annotations

import io
import stat
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from walkrx.web.walking import jobs
from walkrx.web.walking.models import DailyActivity

from .conftest import signed_in

pytestmark = [pytest.mark.db]

GPX = b"""<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="walkrx-test" xmlns="http://www.topografix.com/GPX/1/1">
<trk><trkseg>
<trkpt lat="63.4300" lon="10.3950"><time>2026-01-05T08:00:00Z</time></trkpt>
<trkpt lat="63.4310" lon="10.3960"><time>2026-01-05T08:05:00Z</time></trkpt>
</trkseg></trk></gpx>
"""


def _wait(client: Client, url: str, timeout: float = 180) -> dict[str, Any]:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        job = client.get(url + "?format=json").json()
        if job["state"] not in ("queued", "running"):
            return dict(job)
        time.sleep(0.2)
    raise AssertionError("import did not finish")


@pytest.fixture
def walker_client(upload_worker: Path) -> tuple[Client, Any]:
    return signed_in("uma")


def test_consumer_upload_is_imported_in_the_background(walker_client: tuple[Client, Any]) -> None:
    c, w = walker_client
    if not jobs.supported()["consumer"]:
        pytest.skip("consumer importer not installed")
    r = c.post("/data/upload/", {"file": SimpleUploadedFile("walk.gpx", GPX), "kind": "consumer"})
    assert r.status_code == 302
    page = c.get(r["Location"])
    assert b"<progress" in page.content
    job = _wait(c, r["Location"])
    assert job["state"] == "done", job
    assert DailyActivity.objects.filter(walker=w).exists()
    assert "walk.gpx" in c.get("/data/").content.decode()
    # the stored copy and its folders are private (umask 077 in web and worker processes)
    stored = [p for f in jobs.walker_folders(w) for p in f.rglob("*")]
    assert any(p.is_file() for p in stored)
    for p in stored:
        mode = stat.S_IMODE(p.stat().st_mode)
        assert mode == (0o700 if p.is_dir() else 0o600), (p.name, oct(mode))


def test_bad_file_fails_with_a_clear_message(walker_client: tuple[Client, Any]) -> None:
    c, w = walker_client
    if not jobs.supported()["consumer"]:
        pytest.skip("consumer importer not installed")
    r = c.post(
        "/data/upload/",
        {"file": SimpleUploadedFile("broken.gpx", b"<gpx><trk><trkseg><trkpt"), "kind": "consumer"},
    )
    job = _wait(c, r["Location"])
    assert job["state"] == "failed"
    assert job["headline"].startswith("broken.gpx could not be imported")
    assert "damaged or incomplete" in job["explanation"]
    assert job["message"].startswith("broken.gpx")  # the worker's own sentence
    assert str(jobs.uploads_dir(w)) not in job["message"]
    page = c.get(r["Location"]).content.decode()
    assert '<details class="technical">' in page and "<progress" not in page
    assert not DailyActivity.objects.filter(walker=w).exists()


def test_sensor_upload_needs_a_placement(walker_client: tuple[Client, Any]) -> None:
    c, _ = walker_client
    cwa = b"MD" + b"\x00" * 1022  # an Axivity header: recognised by content
    r = c.post("/data/upload/", {"file": SimpleUploadedFile("rec.bin", cwa)})
    assert r.status_code == 400
    assert "where the sensor was worn" in r.content.decode()
    assert "Axivity" in r.content.decode()


def test_supported_kinds_are_detected_at_run_time() -> None:
    kinds = jobs.supported()
    assert set(kinds) == {"consumer", "sensor"}


def test_sensor_recording_is_measured_and_stored(
    walker_client: tuple[Client, Any], fixtures_dir: Path
) -> None:
    c, w = walker_client
    if not jobs.supported()["sensor"]:
        pytest.skip("sensor measurement not installed")
    data = (fixtures_dir / "axivity" / "ax3_testfile.cwa").read_bytes()
    r = c.post(
        "/data/upload/",
        {
            "file": SimpleUploadedFile("ax3_testfile.cwa", data),
            "kind": "sensor",
            "placement": "lower-back",
        },
    )
    assert r.status_code == 302
    job = _wait(c, r["Location"])
    assert job["state"] == "done", job
    assert DailyActivity.objects.filter(walker=w, origin="measured").exists()
    # the measured recording is kept as the walker's original (and only that: no work files)
    kept = [p for p in jobs.uploads_dir(w).rglob("*") if p.is_file()]
    assert [p.name for p in kept] == ["ax3_testfile.cwa"] and kept[0].read_bytes() == data
    export = zipfile.ZipFile(io.BytesIO(c.get("/data/export.zip").getvalue()))
    assert any(n.endswith("-ax3_testfile.cwa") for n in export.namelist())


def test_erasure_removes_uploaded_and_imported_files(walker_client: tuple[Client, Any]) -> None:
    c, w = walker_client
    if not jobs.supported()["consumer"]:
        pytest.skip("consumer importer not installed")
    r = c.post("/data/upload/", {"file": SimpleUploadedFile("walk.gpx", GPX), "kind": "consumer"})
    assert _wait(c, r["Location"])["state"] == "done"
    export = c.get("/data/export.zip")
    import io
    import json
    import zipfile

    data = json.loads(zipfile.ZipFile(io.BytesIO(export.getvalue())).read("walkrx.json"))
    assert [f["name"] for f in data["imported_files"]] == ["walk.gpx"]
    folders = jobs.walker_folders(w)
    assert any(p.is_file() for f in folders for p in f.rglob("*"))
    assert c.post("/data/delete/", {"confirm": "DELETE"}).status_code == 200
    left = [p for f in folders for p in f.rglob("*") if p.is_file()]
    assert not left, left
    assert not DailyActivity.objects.filter(walker_id=w.pk).exists()
