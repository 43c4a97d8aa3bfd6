"""ActiGraph .gt3x reader (pygt3x) on the GGIR test file."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest

from walkrx.sensors import ReaderError, gt3x, open_reader, read_all


@pytest.fixture(scope="module")
def gt3x_file(fixtures_dir: Path) -> Path:
    return fixtures_dir / "actigraph" / "actigraph_testfile.gt3x"


def test_metadata_from_info_txt(gt3x_file: Path):
    info = gt3x.read_info(gt3x_file)
    assert info.device == "ActiGraph wGT3XBT"
    assert info.device_id == "MOS2E39180594"
    assert info.sample_rate_hz == 30
    assert info.extra["utc_offset_s"] == 7200.0  # info.txt TimeZone: 02:00:00
    # Start Date 637340333400000000 ticks = 2020-08-26 10:09:00 local = 08:09:00 UTC.
    assert info.start_utc_ns == int(np.datetime64("2020-08-26T08:09:00", "ns").astype(np.int64))


def test_samples_in_g_utc_and_gravity_at_rest(gt3x_file: Path):
    info, chunk = read_all(gt3x_file)
    assert isinstance(open_reader(gt3x_file), gt3x.Gt3xReader)
    assert len(chunk) == 53040
    assert chunk.time_ns[0] == info.start_utc_ns
    assert np.all(np.diff(chunk.time_ns) > 0)
    assert 1e9 / np.median(np.diff(chunk.time_ns)) == pytest.approx(30.0, rel=1e-3)
    a = chunk.acc_g.astype(np.float64)
    n = len(a) // 30 * 30
    win = a[:n].reshape(-1, 30, 3)
    still = win.std(axis=1).max(axis=1) < 0.01
    assert still.sum() > 100
    norms = np.linalg.norm(win[still].mean(axis=1), axis=1)
    assert np.median(norms) == pytest.approx(1.0, abs=0.05)


def test_chunks_equal_whole(gt3x_file: Path):
    whole = np.concatenate([c.acc_g for c, _ in gt3x.iter_chunks(gt3x_file)])
    parts = np.concatenate([c.acc_g for c, _ in gt3x.iter_chunks(gt3x_file, 1000)])
    np.testing.assert_array_equal(whole, parts)


def test_zip_without_info_txt(tmp_path: Path):
    p = tmp_path / "fake.gt3x"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("log.bin", b"\0" * 10)
    with pytest.raises(ReaderError, match="without info.txt") as exc:
        open_reader(p)
    assert str(p) in str(exc.value)
    with pytest.raises(ReaderError, match="without info.txt"):
        list(gt3x.iter_chunks(p))


def test_damaged_log(gt3x_file: Path, tmp_path: Path):
    p = tmp_path / "damaged.gt3x"
    with zipfile.ZipFile(gt3x_file) as src, zipfile.ZipFile(p, "w") as dst:
        dst.writestr("info.txt", src.read("info.txt"))
        dst.writestr("log.bin", src.read("log.bin")[:1000] + b"\xff" * 50)
    try:
        info, chunk = read_all(p)
    except ReaderError as exc:
        assert str(p) in str(exc)
    else:  # pygt3x may stop at the damage: what it returns must still be sane
        assert len(chunk) < 53040
