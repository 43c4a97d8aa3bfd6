"""Format sniffing by content, not by name."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from walkrx.sensors import ReaderError, open_reader, read_all, sniff_format


def test_each_fixture_sniffed(fixtures_dir: Path):
    assert sniff_format(fixtures_dir / "axivity" / "ax3_testfile.cwa") == "cwa"
    assert sniff_format(fixtures_dir / "axivity" / "ax6_testfile.cwa") == "cwa"
    assert sniff_format(fixtures_dir / "actigraph" / "actigraph_testfile.gt3x") == "gt3x"
    assert (
        sniff_format(fixtures_dir / "lowerback-lab" / "HA_001" / "Test5_Trial1" / "lowerback.csv")
        == "csv"
    )


def test_content_decides_for_unnamed_files(fixtures_dir: Path, tmp_path: Path):
    p = tmp_path / "recording.bin"
    shutil.copyfile(fixtures_dir / "axivity" / "ax3_testfile.cwa", p)
    info, chunk = read_all(p)
    assert info.device == "Axivity AX3" and len(chunk) == 17400


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        ("empty.cwa", b"", "empty file"),
        ("empty.csv", b"", "empty file"),
        (
            "csv.cwa",
            b"time,x,y,z\n2024-01-01T00:00:00Z,0,0,1\n",
            r"named \.cwa but the content is text",
        ),
        ("cwa.csv", b"MD" + b"\0" * 2000, r"named \.csv but the content is CWA binary"),
        (
            "noise.cwa",
            bytes(np.random.default_rng(1).integers(0, 256, 3000, dtype=np.uint8)),
            "cwa",
        ),
        ("noise.dat", b"\x00\x01\x02garbage\xff\xfe", "unrecognised content"),
        ("words.txt", b"hello world, no header here\x00", "unrecognised content"),
        ("not_gt3x.gt3x", b"PK\x03\x04 broken", "damaged zip"),
    ],
)
def test_bad_or_misnamed_files(tmp_path: Path, name: str, content: bytes, match: str):
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(ReaderError, match=match) as exc:
        read_all(p)
    assert str(p) in str(exc.value)


def test_missing_file(tmp_path: Path):
    with pytest.raises(ReaderError, match="cannot open"):
        open_reader(tmp_path / "nope.cwa")


def test_forced_format_still_validates(tmp_path: Path):
    p = tmp_path / "x.dat"
    p.write_text("time,x,y,z\n")
    with pytest.raises(ReaderError, match="not a CWA file"):
        read_all(p, fmt="cwa")
    with pytest.raises(ReaderError, match="unknown format"):
        open_reader(p, fmt="edf")
