"""The download zip: Parquet beside every CSV with the same columns, the FHIR bundle, the originals."""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.test import Client

from walkrx.interop.fhir_check import validate_bundle
from walkrx.web.imports.services import import_files
from walkrx.web.walking import jobs, services

from .conftest import make_walker

pytestmark = [pytest.mark.db, pytest.mark.django_db]

GPX = b"""<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="walkrx-test" xmlns="http://www.topografix.com/GPX/1/1">
<trk><trkseg>
<trkpt lat="63.4300" lon="10.3950"><time>2026-01-05T08:00:00Z</time></trkpt>
<trkpt lat="63.4310" lon="10.3960"><time>2026-01-05T08:05:00Z</time></trkpt>
</trkseg></trk></gpx>
"""


def _zip(client: Client) -> zipfile.ZipFile:
    r = client.get("/data/export.zip")
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(r.getvalue()))


def test_zip_has_parquet_fhir_and_originals(media: Path, tmp_path: Path) -> None:
    user, walker = make_walker("ann")
    today = services.local_today(walker.tz)
    services.log_walk(walker, local_date=today, minutes=17.5, steps=1800, pain_before=2)
    services.record_checkin(walker, date=today, avg_pain=2, red_flags=[])
    upload = tmp_path / "morning walk.gpx"
    upload.write_bytes(GPX)
    import_files("ann", [upload])
    job = jobs.uploads_dir(walker) / uuid.uuid4().hex
    job.mkdir(parents=True)
    (job / "sensor.cwa").write_bytes(b"not really a recording, but the walker's own bytes")
    (job / "status.json").write_text("{}")
    c = Client()
    c.force_login(user)
    zf = _zip(c)
    names = set(zf.namelist())
    tables = json.loads(zf.read("walkrx.json"))
    for table in tables:
        rows = list(csv.reader(io.StringIO(zf.read(f"{table}.csv").decode())))
        parquet = pq.read_table(io.BytesIO(zf.read(f"parquet/{table}.parquet")))
        assert parquet.column_names == rows[0], table
        assert parquet.num_rows == len(rows) - 1 == len(tables[table]), table
        glossary = json.loads(parquet.schema.metadata[b"walkrx:columns"])
        assert [g["name"] for g in glossary] == rows[0]
    walks = pq.read_table(io.BytesIO(zf.read("parquet/walks.parquet")))
    assert str(walks.schema.field("start_utc").type) == "timestamp[us, tz=UTC]"
    assert str(walks.schema.field("local_date").type) == "date32[day]"
    assert walks.column("minutes").to_pylist() == [17.5]
    assert walks.column("steps").to_pylist() == [1800]
    bundle = json.loads(zf.read("fhir/bundle.json"))
    assert validate_bundle(bundle) > 1
    originals = sorted(n for n in names if n.startswith("originals/"))
    assert len(originals) == 2
    by_suffix = {n.rsplit("-", 1)[-1] if n.endswith(".cwa") else n: zf.read(n) for n in originals}
    assert GPX in by_suffix.values() and b"the walker's own bytes" in b"".join(by_suffix.values())
    (imported,) = tables["imported_files"]
    assert imported["name"] == "morning walk.gpx"
    listed = next(csv.DictReader(io.StringIO(zf.read("imported_files.csv").decode())))
    assert listed["original"] in names and zf.read(listed["original"]) == GPX
    assert "status.json" not in " ".join(names)


def test_zip_without_uploads_still_has_every_table(media: Path) -> None:
    user, _ = make_walker("bea")
    c = Client()
    c.force_login(user)
    names = set(_zip(c).namelist())
    for table in (
        "walker",
        "walks",
        "checkins",
        "safety_events",
        "daily_activity",
        "plans",
        "imported_files",
    ):
        assert {f"{table}.csv", f"parquet/{table}.parquet"} <= names
    assert "fhir/bundle.json" in names and not any(n.startswith("originals/") for n in names)
