"""Issue 14, "What was found" §2-§3: crafted phone/watch exports raise only ImportFileError.

Each case failed on the code before the fix (see the issue note). Crafted files are made here.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from walkrx.consumer.records import ImportFileError, ParseReport
from walkrx.importers import apple, detect_format, iter_records
from walkrx.importers import fit as fit_io

GARMIN = "garmin"


def _refused(path: Path, tz: str | None = "Europe/Oslo") -> ImportFileError:
    with pytest.raises(ImportFileError) as exc:
        list(iter_records(path, ParseReport(str(path)), tz=tz))
    assert str(path) in str(exc.value)
    return exc.value


# --------------------------------------------------------------------------- FIT


def _patched(src: Path, dest: Path, at: int, new: bytes, insert: bool = False) -> Path:
    raw = bytearray(src.read_bytes())
    if insert:
        raw[at:at] = new
    else:
        raw[at : at + len(new)] = new
    dest.write_bytes(bytes(raw))
    return dest


@pytest.mark.parametrize(
    ("name", "at", "new", "insert", "was"),
    [
        ("garmin-fenix-5-walk.fit", 2123, b"\x50", False, "ValueError('size')"),
        ("garmin-fenix-5-walk.fit", 2484, b"\xf4\xf4", True, "AssertionError"),
        ("garmin-fenix-5-run.fit", 1977, b"\x31", False, "TypeError (a field turned array)"),
        ("garmin-fenix-5-run.fit", 0, b"\x0f", False, "struct.error (header size 14 -> 15)"),
    ],
    ids=["value-error-size", "assertion", "type-error-array", "struct-error-header"],
)
def test_fit_decoder_crashes_are_import_errors(
    fixtures_dir: Path, tmp_path: Path, name: str, at: int, new: bytes, insert: bool, was: str
):
    p = _patched(fixtures_dir / GARMIN / name, tmp_path / f"m{at}.fit", at, new, insert)
    with pytest.raises(ImportFileError) as exc:
        list(fit_io.iter_fit(p, tz="Europe/Oslo"))
    assert str(p) in str(exc.value) and str(exc.value).split(": ", 1)[1].strip()  # not "x.fit: "
    _refused(p)


# --------------------------------------------------------------------------- export.zip


BODY = b'<?xml version="1.0"?>\n<HealthData locale="en">' + b"<Me/>" * 20000 + b"</HealthData>"
XML = "apple_health_export/export.xml"


def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def test_export_zip_damaged_deflate_stream(tmp_path: Path, crafted):  # was zlib.error
    data = b"\xff" * 64 + _deflate(BODY)[64:]  # an invalid deflate block type
    p = crafted.raw_zip(tmp_path / "export.zip", XML, data, zlib.crc32(BODY), len(BODY))
    _refused(p)


def test_export_zip_member_cut_short(tmp_path: Path, crafted):  # was EOFError
    # the member says it holds the whole body but the archive ends after 200 bytes of it
    p = crafted.raw_zip(
        tmp_path / "export.zip",
        XML,
        BODY[:200],
        zlib.crc32(BODY),
        len(BODY),
        method=0,
        compress_size=len(BODY),
    )
    _refused(p)


def test_export_zip_unknown_compression_method(tmp_path: Path, crafted):  # NotImplementedError
    data = _deflate(BODY)
    p = crafted.raw_zip(tmp_path / "export.zip", XML, data, zlib.crc32(BODY), len(BODY), method=99)
    _refused(p)


def test_export_zip_1_gib_of_spaces_is_refused_at_once(tmp_path: Path, crafted):
    head = b'<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_US">\n'
    p = crafted.zip_with_member(
        tmp_path / "export.zip",
        "apple_health_export/export.xml",
        head,
        b" ",
        1024**3,
        b"</HealthData>\n",
    )
    assert p.stat().st_size < 3_000_000
    out, peak = crafted.peak_traced_mb(lambda: list(iter_records(p, tz="Europe/Oslo")))
    assert isinstance(out, ImportFileError), out
    assert "WALKRX_MAX_UNZIP_RATIO" in str(out)
    assert peak < 50


def test_256_mib_xml_attribute_in_a_zip_is_refused(tmp_path: Path, crafted):
    head = crafted.health_xml("")[: -len(b"</HealthData>\n")] + (
        f'<Record type="{crafted.STEP}" sourceName="'.encode()
    )
    tail = b'" unit="count" startDate="2020-01-01 10:00:00 +0000" endDate="2020-01-01 10:01:00 +0000" value="5"/>\n</HealthData>\n'
    p = crafted.zip_with_member(
        tmp_path / "export.zip", "export.xml", head, b"A", 256 * 1024**2, tail
    )
    out, peak = crafted.peak_traced_mb(lambda: list(iter_records(p, tz="Europe/Oslo")))
    assert isinstance(out, ImportFileError), out
    assert peak < 50


@pytest.mark.parametrize("parser", ["auto", "xml"])
def test_xml_attribute_longer_than_the_limit_is_refused(
    tmp_path: Path, crafted, monkeypatch, parser: str
):
    """The token limit itself, on a plain export.xml, on both parser paths (limit lowered)."""
    monkeypatch.setenv("WALKRX_MAX_XML_TOKEN_BYTES", str(1024**2))
    big = "A" * (3 * 1024**2)
    rec = crafted.step_record("2020-01-01 10:00:00 +0000", "2020-01-01 10:01:00 +0000")
    rec = rec.replace('sourceName="Phone"', f'sourceName="{big}"')
    p = tmp_path / "export.xml"
    p.write_bytes(crafted.health_xml(rec))
    with pytest.raises(ImportFileError) as exc:  # blocks smaller than the token
        list(apple.iter_apple(p, parser=parser, block_bytes=256 * 1024))
    assert "WALKRX_MAX_XML_TOKEN_BYTES" in str(exc.value) and "byte" in str(exc.value)


# --------------------------------------------------------------------------- step values


@pytest.mark.parametrize("value", ["1e308", "inf", "nan"])
def test_step_csv_non_finite_or_huge_values_are_refused(tmp_path: Path, value: str):
    p = tmp_path / "steps.csv"
    p.write_text(
        f"time,steps,minutes\n2020-01-01T10:00:00+01:00,100,1\n2020-01-01T10:01:00+01:00,{value},1\n"
    )
    err = _refused(p)
    assert "line 3" in str(err)
    p.write_text(f"time,steps,minutes\n2020-01-01T10:00:00+01:00,100,{value}\n")
    assert "line 2" in str(_refused(p))


@pytest.mark.parametrize("value", ["1e308", "Infinity", "NaN"])
def test_fitbit_non_finite_or_huge_values_are_refused(tmp_path: Path, value: str):
    p = tmp_path / "steps.json"
    p.write_text(
        f'[{{"dateTime": "2020-01-01 10:00:00", "value": "12"}}, {{"dateTime": "2020-01-01 10:01:00", "value": {value}}}]'
    )
    assert detect_format(p) == "fitbit-json"
    assert "entry 1" in str(_refused(p))


def test_step_csv_of_nul_bytes_is_refused(tmp_path: Path):
    p = tmp_path / "steps.csv"
    p.write_bytes(b"time,steps\n2020-01-01T10:00:00+01:00,100\n" + b"\x00" * 200_000)
    _refused(p)


# --------------------------------------------------------------------------- GPX


GPX = (
    '<?xml version="1.0" encoding="{enc}"?>\n<gpx version="1.1" creator="t">'
    '<trk><trkseg><trkpt lat="{lat}" lon="10.0"><time>2020-01-01T10:00:00Z</time></trkpt>'
    '<trkpt lat="59.0" lon="10.001"><time>2020-01-01T10:01:00Z</time></trkpt>'
    "</trkseg></trk></gpx>\n"
)


def test_gpx_unknown_encoding_is_refused(tmp_path: Path):  # was LookupError
    p = tmp_path / "walk.gpx"
    p.write_text(GPX.format(enc="UTF-0", lat="59.0"))
    assert "encoding" in str(_refused(p))


@pytest.mark.parametrize("lat", ["inf", "nan", "91", "-1e308"])
def test_gpx_point_off_earth_is_refused(tmp_path: Path, lat: str):
    p = tmp_path / "walk.gpx"
    p.write_text(GPX.format(enc="UTF-8", lat=lat))
    assert "point 0" in str(_refused(p))
