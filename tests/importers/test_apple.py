"""Apple Health export reader: fixtures, fast path == standard parser, quirks, hostile XML."""

from __future__ import annotations

import datetime as dt
import math
import re
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from walkrx.consumer.records import ImportFileError, Interval, ParseReport, Workout
from walkrx.importers import apple

STEP = "HKQuantityTypeIdentifierStepCount"
DIST = "HKQuantityTypeIdentifierDistanceWalkingRunning"
WATCH = (
    "&lt;&lt;HKDevice: 0x282a45810&gt;, name:Apple Watch, manufacturer:Apple, model:Watch, "
    "hardware:Watch2,4, software:4.3.1&gt;"
)
PHONE = (
    "&lt;&lt;HKDevice: 0x1c0093b50&gt;, name:iPhone, manufacturer:Apple, model:iPhone, "
    "hardware:iPhone10,4, software:12.3.1&gt;"
)

APPLE_DTD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 11 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
]>
"""


def fixture_text(fixtures_dir: Path) -> str:
    return (fixtures_dir / "apple-health" / "export.xml").read_text(encoding="utf-8")


def record(
    typ: str = STEP,
    value: str = "120",
    start: str = "2019-06-11 15:00:00 -0700",
    end: str = "2019-06-11 15:10:00 -0700",
    source: str = "Simon’s Apple Watch",
    device: str = WATCH,
    unit: str = "count",
) -> str:
    """A record in Apple's attribute layout (as in the fixture)."""
    return (
        f'    <Record type="{typ}" sourceName="{source}" sourceVersion="4.3.1" device="{device}" '
        f'unit="{unit}" creationDate="{end}" startDate="{start}" endDate="{end}" value="{value}"/>\n'
    )


def with_records(fixtures_dir: Path, body: str, dtd: str = "") -> str:
    """The fixture export with extra records inserted before the end of the root element."""
    text = fixture_text(fixtures_dir)
    head, tail = text.rsplit("</HealthData>", 1)
    return dtd + head + body + "</HealthData>" + tail


def read_all(path: Path, parser: str = "auto", **kw: object) -> tuple[list, ParseReport]:
    report = ParseReport(str(path))
    recs = list(apple.iter_apple(path, report, parser=parser, **kw))
    return recs, report


def expected_from_etree(path: Path) -> list[tuple[str, float, str, str]]:
    """Wanted records read with the standard library, independently of walkrx."""
    out = []
    for _ev, el in ET.iterparse(path):
        if el.tag == "Record" and el.get("type") in (STEP, DIST):
            out.append(
                (el.get("type"), float(el.get("value")), el.get("startDate"), el.get("sourceName"))
            )
    return out


# ----------------------------------------------------------------------------- fixtures


def test_fixture_export_yields_what_the_file_holds(fixtures_dir: Path):
    path = fixtures_dir / "apple-health" / "export.xml"
    root = ET.parse(path).getroot()
    wanted = [r for r in root.iter("Record") if r.get("type") in (STEP, DIST)]
    workouts = root.findall("Workout")
    walking = [w for w in workouts if w.get("workoutActivityType") in apple.WORKOUT_ACTIVITIES]
    for parser in ("auto", "xml"):
        recs, report = read_all(path, parser)
        assert len([r for r in recs if isinstance(r, Interval)]) == len(wanted)
        assert len([r for r in recs if isinstance(r, Workout)]) == len(walking)
        assert sum(report.skipped.values()) == len(workouts) - len(walking)
        assert report.skipped == {"workout of type Running": 1}


def build_zip(fixtures_dir: Path, dest: Path, *, member: str = "export.xml", edit=None) -> Path:
    src = fixtures_dir / "apple-health" / "zip_contents"
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(src.rglob("*")):
            if f.is_file():
                rel = f.relative_to(src).as_posix()
                data = f.read_bytes()
                if rel.endswith("/export.xml"):
                    rel = rel.rsplit("/", 1)[0] + "/" + member
                    if edit is not None:
                        data = edit(data.decode("utf-8")).encode("utf-8")
                zf.writestr(rel, data)
        # a decoy with another root, as Apple writes beside the export
        zf.writestr(
            "apple_health_export/export_cda.xml", "<?xml version='1.0'?><ClinicalDocument/>"
        )
    return dest


def gpx_points(path: Path) -> list[tuple[float, float, str]]:
    ns = {"g": "http://www.topografix.com/GPX/1/1"}
    root = ET.parse(path).getroot()
    return [
        (float(p.get("lat")), float(p.get("lon")), p.find("g:time", ns).text)
        for p in root.iter("{http://www.topografix.com/GPX/1/1}trkpt")
    ]


def haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    r = 6_371_008.8
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    )
    return 2 * r * math.asin(math.sqrt(h))


def test_zip_found_by_content_with_a_localised_name_and_its_route(
    fixtures_dir: Path, tmp_path: Path
):
    def walking(text: str) -> str:
        return text.replace("HKWorkoutActivityTypeRunning", "HKWorkoutActivityTypeWalking")

    z = build_zip(fixtures_dir, tmp_path / "export.zip", member="Exportieren.xml", edit=walking)
    recs, report = read_all(z)
    (w,) = [r for r in recs if isinstance(r, Workout)]
    src_xml = fixtures_dir / "apple-health" / "zip_contents" / "apple_health_export" / "export.xml"
    el = ET.parse(src_xml).getroot().find("Workout")
    assert w.activity == "walking"
    assert w.duration_s == pytest.approx(float(el.get("duration")) * 60)
    assert w.distance_m == pytest.approx(float(el.get("totalDistance")) * 1609.344)
    assert w.utc_offset_minutes == -7 * 60  # from the workout's own startDate
    route = gpx_points(next((fixtures_dir / "apple-health" / "zip_contents").rglob("*.gpx")))
    assert len(w.route) == len(route)
    assert [(p.lat, p.lon) for p in w.route] == [(a, b) for a, b, _ in route]
    assert apple.find_export_member(zipfile.ZipFile(z)).filename.endswith("Exportieren.xml")


def test_zip_without_export_is_refused(tmp_path: Path):
    z = tmp_path / "other.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("notes.txt", "hello")
    with pytest.raises(ImportFileError, match="no Apple Health export"):
        read_all(z)


# ----------------------------------------------------------------------------- records


def test_records_match_the_standard_library(fixtures_dir: Path, tmp_path: Path):
    body = "".join(
        [
            record(value="120"),
            record(typ=DIST, value="0.0853", unit="km"),
            record(typ=DIST, value="0.05", unit="mi", source="Simon’s iPhone", device=PHONE),
            record(value="33", source="Simon’s iPhone", device=PHONE),
            record(typ="HKQuantityTypeIdentifierHeartRate", value="70", unit="count/min"),
        ]
    )
    path = tmp_path / "export.xml"
    path.write_text(with_records(fixtures_dir, body), encoding="utf-8")
    expected = expected_from_etree(path)
    for parser in ("auto", "xml"):
        recs, _ = read_all(path, parser)
        got = [r for r in recs if isinstance(r, Interval)]
        assert [(r.source_name, r.local_date.isoformat()) for r in got] == [
            (e[3], e[2][:10]) for e in expected
        ]
        steps = [r.value for r in got if r.kind == "steps"]
        assert steps == [e[1] for e in expected if e[0] == STEP]
        dist = [r.value for r in got if r.kind == "distance"]
        assert dist == pytest.approx([85.3, 0.05 * 1609.344])
        assert got[0].device_kind == "watch" and got[3].device_kind == "phone"
        assert got[0].device == "Apple Watch Watch2,4"


def test_record_at_2330_minus_0700_lands_on_its_local_date(fixtures_dir: Path, tmp_path: Path):
    body = record(start="2019-06-11 23:30:00 -0700", end="2019-06-11 23:40:00 -0700")
    path = tmp_path / "export.xml"
    path.write_text(with_records(fixtures_dir, body), encoding="utf-8")
    (r,) = [x for x in read_all(path)[0] if isinstance(x, Interval)]
    assert r.start_utc == dt.datetime(2019, 6, 12, 6, 30, tzinfo=dt.UTC)
    assert r.utc_offset_minutes == -420
    assert r.local_date == dt.date(2019, 6, 11)


def unusual_body() -> str:
    """Wanted records in layouts other than Apple's: the generic code must read them."""
    return "".join(
        [
            # attributes in another order, single quotes
            f"    <Record value='42' endDate='2019-06-12 08:10:00 +0200' startDate='2019-06-12 08:00:00 +0200' "
            f"unit='count' sourceName='Ola &amp; Kari' type='{STEP}'/>\n",
            # a tag spread over lines, with a stray control character in a value
            f'    <Record\n      type="{STEP}"\n      sourceName="Pedometer\x01 app"\n'
            f'      unit="count" startDate="2019-06-12 09:00:00 +0200" endDate="2019-06-12 09:05:00 +0200"\n'
            f'      value="77">\n        <MetadataEntry key="HKWasUserEntered" value="1"/>\n    </Record>\n',
            # a character reference in the source name
            f'    <Record type="{STEP}" sourceName="Caf&#233;" unit="count" '
            f'startDate="2019-06-12 10:00:00 +0200" endDate="2019-06-12 10:01:00 +0200" value="5"/>\n',
            # a unit walkrx does not know: skipped with a reason
            f'    <Record type="{DIST}" sourceName="X" unit="furlong" '
            f'startDate="2019-06-12 10:00:00 +0200" endDate="2019-06-12 10:01:00 +0200" value="5"/>\n',
        ]
    )


@pytest.mark.parametrize("block_bytes", [64, 1000, apple.BLOCK_BYTES])
def test_fast_path_equals_standard_parser_on_every_layout(
    fixtures_dir: Path, tmp_path: Path, block_bytes: int
):
    body = unusual_body() + "".join(
        record(
            value=str(i),
            start=f"2019-06-13 1{i % 10}:00:00 -0700",
            end=f"2019-06-13 1{i % 10}:05:00 -0700",
        )
        for i in range(40)
    )
    body += (
        '    <Workout workoutActivityType="HKWorkoutActivityTypeHiking" duration="90" durationUnit="min" '
        'sourceName="Simon’s Apple Watch" startDate="2019-06-14 09:00:00 -0700" endDate="2019-06-14 10:30:00 -0700">\n'
        '        <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" sum="5.5" unit="km"/>\n'
        '        <WorkoutStatistics type="HKQuantityTypeIdentifierStepCount" sum="9000" unit="count"/>\n'
        "    </Workout>\n"
    )
    path = tmp_path / "export.xml"
    path.write_text(with_records(fixtures_dir, body, APPLE_DTD), encoding="utf-8")
    fast, fast_report = read_all(path, "auto", block_bytes=block_bytes)
    slow, slow_report = read_all(path, "xml")
    assert fast == slow
    assert (
        fast_report.skipped
        == slow_report.skipped
        == {
            "distance record in unknown unit 'furlong'": 1,
            "workout of type Running": 1,
        }
    )
    names = [r.source_name for r in fast if isinstance(r, Interval)][:3]
    assert names == ["Ola & Kari", "Pedometer app", "Café"]  # control character stripped
    hike = [r for r in fast if isinstance(r, Workout)][0]
    assert (hike.activity, hike.duration_s, hike.distance_m, hike.steps) == (
        "hiking",
        5400,
        5500,
        9000,
    )
    assert fast_report.notes == []  # no fallback needed for these


def test_comment_in_body_switches_to_the_standard_parser_without_duplicates(
    fixtures_dir: Path, tmp_path: Path
):
    first = "".join(record(value=str(i + 1)) for i in range(30))
    second = (
        '    <!-- an unusual comment: <Record type="HKQuantityTypeIdentifierStepCount"/> -->\n'
        + record(value="999")
    )
    path = tmp_path / "export.xml"
    path.write_text(with_records(fixtures_dir, first + second), encoding="utf-8")
    recs, report = read_all(path, block_bytes=256)
    assert [r.value for r in recs if isinstance(r, Interval)] == [*range(1, 31), 999]
    assert any("standard parser" in n for n in report.notes)


def test_broken_dtd_of_some_ios_versions_is_tolerated(fixtures_dir: Path, tmp_path: Path):
    # iOS 14-style defect: declarations the DTD grammar rejects (duplicate/unterminated ATTLIST).
    broken = APPLE_DTD.replace(
        "<!ELEMENT Record",
        "<!ATTLIST ExportDate value CDATA #REQUIRED\n<!ATTLIST Record foo CDATA>\n<!ELEMENT Record",
    )
    path = tmp_path / "export.xml"
    path.write_text(with_records(fixtures_dir, record(), broken), encoding="utf-8")
    with pytest.raises(ET.ParseError):
        ET.parse(path)  # the standard library chokes on it
    for parser in ("auto", "xml"):
        recs, _ = read_all(path, parser)
        assert [r.value for r in recs if isinstance(r, Interval)] == [120]


def test_stray_control_characters_are_stripped_on_both_paths(fixtures_dir: Path, tmp_path: Path):
    text = with_records(fixtures_dir, record()).replace("Health Mate", "Health\x0b Mate")
    path = tmp_path / "export.xml"
    path.write_text(text, encoding="utf-8")
    for parser in ("auto", "xml"):
        recs, _ = read_all(path, parser)
        assert len([r for r in recs if isinstance(r, Interval)]) == 1


def test_truncated_export_is_an_error(fixtures_dir: Path, tmp_path: Path):
    text = with_records(fixtures_dir, record() * 5)
    path = tmp_path / "export.xml"
    path.write_text(text[: text.rindex("</HealthData>")], encoding="utf-8")
    for parser in ("auto", "xml"):
        with pytest.raises(ImportFileError, match="end of file"):
            read_all(path, parser)


def test_undefined_entity_is_refused(fixtures_dir: Path, tmp_path: Path):
    path = tmp_path / "export.xml"
    path.write_text(with_records(fixtures_dir, record(source="&lol9;")), encoding="utf-8")
    for parser in ("auto", "xml"):
        with pytest.raises(ImportFileError, match="(?i)undefined entity"):
            read_all(path, parser)


# ----------------------------------------------------------------------------- hostile XML

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE HealthData [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<HealthData locale="en_US">
 <Record type="HKQuantityTypeIdentifierStepCount" sourceName="&lol9;" unit="count" startDate="2019-06-11 15:00:00 -0700" endDate="2019-06-11 15:10:00 -0700" value="1"/>
</HealthData>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE HealthData [
 <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<HealthData locale="en_US">
 <Record type="HKQuantityTypeIdentifierStepCount" sourceName="&xxe;" unit="count" startDate="2019-06-11 15:00:00 -0700" endDate="2019-06-11 15:10:00 -0700" value="1"/>
</HealthData>
"""

EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE HealthData SYSTEM "http://example.invalid/health.dtd">
<HealthData locale="en_US"/>
"""

PARAMETER_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE HealthData [
 %remote;
]>
<HealthData locale="en_US"/>
"""


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (BILLION_LAUGHS, "declares an entity"),
        (EXTERNAL_ENTITY, "declares an entity"),
        (EXTERNAL_DTD, "external DTD"),
        (PARAMETER_ENTITY, "parameter entity"),
    ],
    ids=["billion-laughs", "external-entity", "external-dtd", "parameter-entity"],
)
@pytest.mark.parametrize("parser", ["auto", "xml"])
def test_hostile_xml_is_refused_quickly(tmp_path: Path, text: str, words: str, parser: str):
    path = tmp_path / "export.xml"
    path.write_text(text)
    t = time.perf_counter()
    with pytest.raises(ImportFileError, match=re.escape(words)) as info:
        read_all(path, parser)
    assert time.perf_counter() - t < 2.0
    assert str(path) in str(info.value) and "refused" in str(info.value)


def test_hostile_xml_inside_a_zip_is_refused(tmp_path: Path):
    z = tmp_path / "export.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("apple_health_export/export.xml", BILLION_LAUGHS)
    with pytest.raises(ImportFileError, match="declares an entity"):
        read_all(z)


def test_dates_parse_like_the_standard_library():
    for text in [
        "2019-06-11 15:00:00 -0700",
        "2020-03-29 01:59:59 +0100",
        "2016-11-14 07:25:41 +0545",
    ]:
        expected = dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S %z")
        seconds, offset = apple.parse_apple_time(text)
        assert seconds == expected.timestamp()
        assert offset == expected.utcoffset().total_seconds() / 60
    for bad in [
        "2019-06-11T15:00:00 -0700",
        "2019-06-11 15:00:00",
        "2019-13-11 15:00:00 -0700",
        "2019-06-11 15:0x:00 -0700",
    ]:
        with pytest.raises(ValueError):
            apple.parse_apple_time(bad)


def test_damaged_route_is_noted_and_the_workout_kept(fixtures_dir: Path, tmp_path: Path):
    z = tmp_path / "export.zip"
    src = fixtures_dir / "apple-health" / "zip_contents" / "apple_health_export" / "export.xml"
    text = src.read_text(encoding="utf-8").replace(
        "HKWorkoutActivityTypeRunning", "HKWorkoutActivityTypeWalking"
    )
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("apple_health_export/export.xml", text)
        zf.writestr("apple_health_export/workout-routes/route_2019-06-11_3.00pm.gpx", "<gpx><trk>")
    recs, report = read_all(z)
    (w,) = [r for r in recs if isinstance(r, Workout)]
    assert w.route == () and w.distance_m is not None
    assert any("route skipped" in n for n in report.notes)
