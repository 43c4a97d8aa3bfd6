"""GPX: distance (haversine), duration and moving time, secure parsing."""

from __future__ import annotations

import datetime as dt
import math
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from walkrx.consumer.records import ImportFileError, Interval, Workout
from walkrx.importers import gpx

NS = "{http://www.topografix.com/GPX/1/1}"


def route_file(fixtures_dir: Path) -> Path:
    return next((fixtures_dir / "apple-health" / "zip_contents").rglob("*.gpx"))


def test_route_numbers_derived_from_the_file(fixtures_dir: Path):
    path = route_file(fixtures_dir)
    pts = [
        (
            float(p.get("lat")),
            float(p.get("lon")),
            dt.datetime.fromisoformat(p.find(f"{NS}time").text.replace("Z", "+00:00")),
        )
        for p in ET.parse(path).getroot().iter(f"{NS}trkpt")
    ]
    r = 6_371_008.8
    expected = 0.0
    for (la1, lo1, _), (la2, lo2, _) in zip(pts, pts[1:], strict=False):
        p1, p2 = math.radians(la1), math.radians(la2)
        a = (
            math.sin((p2 - p1) / 2) ** 2
            + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lo2 - lo1) / 2) ** 2
        )
        expected += 2 * r * math.asin(math.sqrt(a))
    recs = list(gpx.iter_gpx(path, utc_offset_minutes=-420))
    (w,) = [x for x in recs if isinstance(x, Workout)]
    (d,) = [x for x in recs if isinstance(x, Interval)]
    assert w.distance_m == pytest.approx(expected) == d.value
    assert w.duration_s == (pts[-1][2] - pts[0][2]).total_seconds()
    assert w.start_utc == pts[0][2]
    assert len(w.route) == len(pts)


def test_moving_time_uses_the_speed_threshold(tmp_path: Path):
    # 10 points 60 s apart: walking (1.2 m/s) for 5 legs, then standing still for 4 legs.
    lat0 = 60.0
    pts = []
    t0 = dt.datetime(2024, 5, 1, 8, 0, tzinfo=dt.UTC)
    lat = lat0
    for i in range(10):
        pts.append((lat, 10.0, t0 + dt.timedelta(seconds=60 * i)))
        if i < 5:
            lat += 72.0 / 111_195  # 72 m north per minute
    body = "".join(
        f'<trkpt lat="{la:.7f}" lon="{lo}"><time>{t.isoformat().replace("+00:00", "Z")}</time></trkpt>'
        for la, lo, t in pts
    )
    path = tmp_path / "walk.gpx"
    path.write_text(
        f'<?xml version="1.0"?><gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>{body}</trkseg></trk></gpx>'
    )
    (w, d) = list(gpx.iter_gpx(path))
    assert w.duration_s == 540
    assert w.moving_s == 300
    assert w.distance_m == pytest.approx(360, rel=0.01)


def test_gpx_with_an_entity_is_refused(tmp_path: Path):
    path = tmp_path / "evil.gpx"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]><gpx>&x;</gpx>'
    )
    with pytest.raises(ImportFileError, match="refused"):
        list(gpx.iter_gpx(path))


def test_gpx_without_times_is_refused(tmp_path: Path):
    path = tmp_path / "untimed.gpx"
    path.write_text('<gpx><trk><trkseg><trkpt lat="1" lon="2"/></trkseg></trk></gpx>')
    with pytest.raises(ImportFileError, match="no timed track points"):
        list(gpx.iter_gpx(path))
