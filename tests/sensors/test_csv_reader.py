"""CSV reader: header detection, time kinds, DST, chunking and line-numbered errors."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from walkrx.sensors import ReaderError, csvreader, open_reader, read_all


def _ns(text: str) -> int:
    return int(datetime.fromisoformat(text).astimezone(UTC).timestamp() * 1e6) * 1000


def test_lab_fixtures_read(fixtures_dir: Path):
    files = sorted((fixtures_dir / "lowerback-lab").glob("*/*/lowerback.csv"))
    assert len(files) == 4
    for f in files:
        info, chunk = read_all(f)
        assert info.device == "CSV"
        assert info.sample_rate_hz == pytest.approx(100.0, rel=1e-3)
        assert info.extra["columns"]["x"] == "acc_x"
        first = f.read_text().splitlines()[1].split(",")
        assert chunk.time_ns[0] == _ns(first[0].replace("Z", "+00:00"))
        assert chunk.acc_g[0].tolist() == pytest.approx([float(v) for v in first[1:4]], rel=1e-6)
        assert chunk.gyro_dps is not None and chunk.gyro_dps[0, 0] == pytest.approx(float(first[4]))
        assert np.all(np.diff(chunk.time_ns) > 0)
        # Lower back, upright: gravity ~1 g on average.
        assert np.median(np.linalg.norm(chunk.acc_g, axis=1)) == pytest.approx(1.0, abs=0.05)


def test_header_case_and_extra_columns(tmp_path: Path):
    p = tmp_path / "a.csv"
    p.write_text(
        "Light,TIME,X,Y,Z,temp\n"
        "5,2024-01-01T10:00:00+01:00,0.1,0.2,0.9,21\n"
        "5,2024-01-01T10:00:00.01+01:00,0.1,0.2,1.0,21\n"
    )
    info, chunk = read_all(p)
    assert info.extra["columns"] == {"time": "TIME", "x": "X", "y": "Y", "z": "Z"}
    assert chunk.time_ns.tolist() == [
        _ns("2024-01-01T09:00:00+00:00"),
        _ns("2024-01-01T09:00:00.010+00:00"),
    ]
    assert chunk.acc_g[:, 2].tolist() == pytest.approx([0.9, 1.0])
    assert info.sample_rate_hz == pytest.approx(100.0)


def test_explicit_column_mapping(tmp_path: Path):
    p = tmp_path / "m.csv"
    p.write_text("t_s,ax,ay,az\n0.00,0,0,1\n0.04,0,0,1\n0.08,0,1,0\n")
    with pytest.raises(ReaderError, match="no time,x,y,z") as exc:
        read_all(p)
    assert str(p) in str(exc.value) and "line 1" in str(exc.value)
    start = "2024-06-01T12:00:00+02:00"
    info, chunk = read_all(p, columns={"time": "t_s", "x": "ax", "y": "ay", "z": "az"}, start=start)
    assert chunk.time_ns.tolist() == [_ns(start) + k * 40_000_000 for k in range(3)]
    assert info.sample_rate_hz == pytest.approx(25.0)


def test_epoch_seconds(tmp_path: Path):
    p = tmp_path / "e.csv"
    p.write_text("time,acc_x,acc_y,acc_z\n1700000000.00,0,0,1\n1700000000.02,0,0,1\n")
    _, chunk = read_all(p)
    assert chunk.time_ns.tolist() == [1_700_000_000 * 10**9, 1_700_000_000_020_000_000]


def test_naive_times_need_tz(tmp_path: Path):
    p = tmp_path / "n.csv"
    p.write_text("time,x,y,z\n2024-01-01 10:00:00,0,0,1\n")
    with pytest.raises(ReaderError, match="no UTC offset") as exc:
        read_all(p)
    assert "line 2" in str(exc.value)


def test_naive_times_across_fall_back_are_dst_aware(tmp_path: Path):
    """Europe/Oslo 2024-10-27: 02:00-03:00 happens twice; order decides which pass."""
    p = tmp_path / "dst.csv"
    rows = ["time,x,y,z"]
    local = [
        "2024-10-27T01:30:00",
        "2024-10-27T02:30:00",
        "2024-10-27T02:59:59",
        "2024-10-27T02:00:00",
        "2024-10-27T02:30:00",
        "2024-10-27T03:30:00",
    ]
    rows += [f"{t},0,0,1" for t in local]
    p.write_text("\n".join(rows) + "\n")
    expected = [
        "2024-10-26T23:30:00+00:00",
        "2024-10-27T00:30:00+00:00",
        "2024-10-27T00:59:59+00:00",
        "2024-10-27T01:00:00+00:00",
        "2024-10-27T01:30:00+00:00",
        "2024-10-27T02:30:00+00:00",
    ]
    for chunk_rows in (1_000_000, 1, 2):
        parts = list(csvreader.iter_chunks(p, chunk_rows, tz="Europe/Oslo"))
        got = np.concatenate([c.time_ns for c, _ in parts])
        assert got.tolist() == [_ns(e) for e in expected]


def test_naive_times_spring_forward(tmp_path: Path):
    p = tmp_path / "spring.csv"
    p.write_text("time,x,y,z\n2024-03-31T01:59:00,0,0,1\n2024-03-31T03:00:00,0,0,1\n")
    _, chunk = read_all(p, tz="Europe/Oslo")
    assert chunk.time_ns.tolist() == [
        _ns("2024-03-31T00:59:00+00:00"),
        _ns("2024-03-31T01:00:00+00:00"),
    ]


def test_mixed_offsets_used_as_is(tmp_path: Path):
    p = tmp_path / "o.csv"
    p.write_text(
        "time,x,y,z\n2024-10-27T02:30:00+02:00,0,0,1\n2024-10-27T02:10:00+01:00,0,0,1\n2024-10-27T01:40:00Z,0,0,1\n"
    )
    _, chunk = read_all(p, tz="Europe/Oslo")
    assert chunk.time_ns.tolist() == [
        _ns("2024-10-27T00:30:00+00:00"),
        _ns("2024-10-27T01:10:00+00:00"),
        _ns("2024-10-27T01:40:00+00:00"),
    ]


@pytest.mark.parametrize(
    ("bad_row", "match"),
    [
        ("2024-01-01T10:00:00.03Z,0,abc,1", "'y'.*'abc' is not a number"),
        ("2024-01-01T10:00:00.03Z,0,0", "'z'.*not a number"),
        ("not-a-time,0,0,1", "is not an ISO 8601 time"),
        ("2024-01-01T10:00:00.03,0,0,1", "mixes times with and without"),
        ("", "not a number"),
    ],
)
def test_bad_line_names_file_and_line(tmp_path: Path, bad_row: str, match: str):
    p = tmp_path / "bad.csv"
    good = [f"2024-01-01T10:00:00.0{i}Z,0,0,1" for i in range(3)]
    p.write_text("time,x,y,z\n" + "\n".join(good + [bad_row] + good) + "\n")
    for chunk_rows in (1_000_000, 2):
        with pytest.raises(ReaderError, match=match) as exc:
            list(csvreader.iter_chunks(p, chunk_rows))
        assert str(p) in str(exc.value)
        assert "at line 5:" in str(exc.value)


def test_too_many_fields_names_line(tmp_path: Path):
    p = tmp_path / "wide.csv"
    p.write_text("time,x,y,z\n2024-01-01T10:00:00Z,0,0,1\n2024-01-01T10:00:01Z,0,0,1,7,8\n")
    with pytest.raises(ReaderError, match="line 3") as exc:
        read_all(p)
    assert str(p) in str(exc.value)


def test_chunked_equals_whole(fixtures_dir: Path):
    f = fixtures_dir / "lowerback-lab" / "HA_001" / "Test5_Trial1" / "lowerback.csv"
    whole = list(csvreader.iter_chunks(f))
    parts = list(csvreader.iter_chunks(f, 333))
    assert len(parts) > 3
    for attr in ("time_ns", "acc_g"):
        np.testing.assert_array_equal(
            np.concatenate([getattr(c, attr) for c, _ in whole]),
            np.concatenate([getattr(c, attr) for c, _ in parts]),
        )


def test_open_reader_returns_csv_reader(fixtures_dir: Path):
    f = fixtures_dir / "lowerback-lab" / "HA_002" / "Test11_Trial1" / "lowerback.csv"
    r = open_reader(f)
    assert isinstance(r, csvreader.CsvReader)
    assert r.read_info(f).sample_rate_hz == pytest.approx(100.0, rel=1e-3)
