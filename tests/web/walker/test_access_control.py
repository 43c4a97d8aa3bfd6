"""A walker sees and changes only their own data, whatever the URL or the form says."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from walkrx.web.walking import services
from walkrx.web.walking.models import CheckIn, UploadJob, Walk, Walker

from .conftest import checkin_form

pytestmark = [pytest.mark.db, pytest.mark.django_db]


@pytest.fixture
def media(tmp_path: Path, settings: Any) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _bob_data(bob: Walker, media: Path) -> dict[str, Any]:
    day = services.local_today(bob.tz)
    walk = services.log_walk(
        bob, local_date=day, minutes=33, pain_before=2, notes="bob-secret"
    ).walk
    ci = services.record_checkin(bob, date=day, avg_pain=2)
    job_id = uuid.uuid4().hex
    UploadJob.objects.create(
        id=job_id, walker=bob, file_name="bob.gpx", kind="consumer", state="done", percent=100
    )
    return {"walk": walk.pk, "checkin": ci["checkin_id"], "job": job_id}


def test_other_walkers_ids_give_404_by_url(
    ann: tuple[Client, Walker], bob: tuple[Client, Walker], media: Path
) -> None:
    c, _ = ann
    ids = _bob_data(bob[1], media)
    for url in (
        f"/walks/{ids['walk']}/",
        f"/check-in/{ids['checkin']}/",
        f"/data/uploads/{ids['job']}/",
        f"/data/uploads/{ids['job']}/?format=json",
    ):
        assert c.get(url).status_code == 404, url
    assert c.post(f"/data/uploads/{ids['job']}/cancel/").status_code == 404
    # ...while bob reaches his own
    bc = bob[0]
    assert bc.get(f"/walks/{ids['walk']}/").status_code == 200
    assert bc.get(f"/check-in/{ids['checkin']}/").status_code == 200
    assert bc.get(f"/data/uploads/{ids['job']}/?format=json").json()["file"] == "bob.gpx"
    # path tricks on the job id
    assert c.get("/data/uploads/..%2F..%2Fsecret_key/").status_code == 404


def test_other_walkers_data_cannot_be_changed(
    ann: tuple[Client, Walker], bob: tuple[Client, Walker], media: Path
) -> None:
    c, ann_w = ann
    bob_w = bob[1]
    ids = _bob_data(bob_w, media)
    assert c.post(f"/walks/{ids['walk']}/delete/").status_code == 404
    assert Walk.objects.filter(pk=ids["walk"]).exists()
    # a form naming bob's walker id still writes to ann only
    day = services.local_today(ann_w.tz).isoformat()
    c.post(
        "/walks/log/",
        {
            "date": day,
            "minutes": "12",
            "terrain": "flat",
            "walker": bob_w.pk,
            "walker_id": bob_w.pk,
        },
    )
    assert Walk.objects.filter(walker=bob_w).count() == 1
    assert Walk.objects.filter(walker=ann_w).count() == 1
    from walkrx.evidence.red_flags import CHECKIN_CODES

    data = checkin_form(CHECKIN_CODES, yes=("fever-unwell",), walker=str(bob_w.pk))
    c.post("/check-in/", data)
    assert CheckIn.objects.filter(walker=bob_w).count() == 1
    assert services.recorded_safety(bob_w)["status"] != "paused"
    assert services.recorded_safety(ann_w)["status"] == "paused"
    # ann's erasure leaves bob whole
    c.post("/data/delete/", {"confirm": "DELETE", "walker": bob_w.pk})
    assert not Walker.objects.filter(pk=ann_w.pk).exists()
    assert Walker.objects.filter(pk=bob_w.pk).exists()
    assert Walk.objects.filter(walker=bob_w).count() == 1
    assert UploadJob.objects.filter(pk=ids["job"], walker=bob_w).exists()


def test_download_holds_only_own_data(
    ann: tuple[Client, Walker], bob: tuple[Client, Walker], media: Path
) -> None:
    c, _ = ann
    _bob_data(bob[1], media)
    r = c.get("/data/export.zip?walker=bob")
    zf = zipfile.ZipFile(io.BytesIO(r.getvalue()))
    blob = "".join(_member_text(zf, n) for n in zf.namelist())
    assert "bob-secret" not in blob and '"bob"' not in blob
    data = json.loads(zf.read("walkrx.json"))
    assert data["walker"][0]["name"] == "ann"
    assert data["walks"] == []


def _member_text(zf: zipfile.ZipFile, name: str) -> str:
    if name.endswith(".parquet"):  # typed and compressed: compare its values as text
        import pyarrow.parquet as pq

        return json.dumps(pq.read_table(io.BytesIO(zf.read(name))).to_pylist(), default=str)
    return zf.read(name).decode()


def test_signed_out_visitors_are_sent_to_sign_in(db: None) -> None:
    c = Client()
    for url in (
        "/today/",
        "/progress/",
        "/check-in/",
        "/data/",
        "/data/export.zip",
        "/safety/",
        "/walks/1/",
    ):
        r = c.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/"), url
    assert c.post("/walks/log/", {"minutes": "5"}).status_code == 302
    assert c.get("/admin/").status_code == 302


def test_walker_cannot_use_admin(ann: tuple[Client, Walker]) -> None:
    c, _ = ann
    r = c.get("/admin/walking/walk/")
    assert r.status_code == 302 and "/admin/login/" in r["Location"]
