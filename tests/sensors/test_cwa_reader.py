"""The Axivity CWA reader on the real AX3/AX6 fixture files (GGIRread test files)."""

from __future__ import annotations

import struct
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from walkrx.sensors import ReaderError, cwa, open_reader, read_all

CORRUPT = "ax3_testfile_corrupt_blocks_0_13_14_142_143_144.cwa"


@pytest.fixture(scope="module")
def axivity(fixtures_dir: Path) -> Path:
    return fixtures_dir / "axivity"


def _read(path: Path, chunk: int = 1_000_000, **kw):
    parts = list(cwa.iter_chunks(path, chunk, **kw))
    t = np.concatenate([c.time_ns for c, _ in parts])
    a = np.concatenate([c.acc_g for c, _ in parts])
    errors = [e for _, es in parts for e in es]
    return t, a, errors


def _still_norms(acc: np.ndarray, window: int) -> np.ndarray:
    """|mean acc| of 1-s windows whose per-axis SD is below 0.01 g (the device lay still)."""
    n = len(acc) // window * window
    win = acc[:n].astype(np.float64).reshape(-1, window, 3)
    still = win.std(axis=1).max(axis=1) < 0.01
    return np.linalg.norm(win[still].mean(axis=1), axis=1)


def _hand_timestamp(value: int) -> datetime:
    return datetime(
        2000 + (value >> 26),
        (value >> 22) & 15,
        (value >> 17) & 31,
        (value >> 12) & 31,
        (value >> 6) & 63,
        value & 63,
    )


def test_ax3_header_matches_hand_decoded_bytes(axivity: Path):
    path = axivity / "ax3_testfile.cwa"
    raw = path.read_bytes()
    info = cwa.read_info(path)
    assert raw[:2] == b"MD" and info.device == "Axivity AX3"
    lo, session, hi = struct.unpack_from("<HIH", raw, 5)
    assert info.device_id == str(lo | ((0 if hi == 0xFFFF else hi) << 16)) == "39434"
    assert info.extra["session_id"] == session == 26
    rate_code = raw[36]
    assert rate_code == 0x4A  # 100 Hz, +-8 g
    assert info.sample_rate_hz == 3200 / (1 << (15 - (rate_code & 15))) == 100.0
    assert info.extra["accel_range_g"] == 8
    (start,) = struct.unpack_from("<I", raw, 13)
    assert info.extra["logging_start_local"] == _hand_timestamp(start).isoformat()
    assert info.extra["annotation"] == {"body_location": "right wrist", "subject_code": "26"}
    assert info.extra["n_blocks"] == (len(raw) - 1024) // 512 == 145
    assert "tz_assumed" in info.extra


def test_ax3_values_match_open_movement_converter(axivity: Path):
    """Column means as printed by Open Movement's C converter (via the read.cwa R package test)."""
    t, a, errors = _read(axivity / "ax3_testfile.cwa")
    assert errors == []
    assert len(t) == 145 * 120 == 17400  # every block full: samples = blocks x 120
    np.testing.assert_allclose(
        a.astype(np.float64).mean(axis=0),
        [0.777613146551724, 0.127438936781609, 0.291899245689655],
        atol=1e-9,
    )


def test_ax3_first_samples_hand_unpacked(axivity: Path):
    raw = (axivity / "ax3_testfile.cwa").read_bytes()
    _, a, _ = _read(axivity / "ax3_testfile.cwa")
    for block, sample in [(0, 0), (0, 119), (57, 3), (144, 60)]:
        (word,) = struct.unpack_from("<I", raw, 1024 + 512 * block + 30 + 4 * sample)
        exp = word >> 30
        vals = []
        for shift in (0, 10, 20):
            v = (word >> shift) & 0x3FF
            v = v - 1024 if v >= 512 else v
            vals.append(v * (1 << exp) / 256)
        assert a[block * 120 + sample].tolist() == pytest.approx(vals, abs=0)


def test_ax3_times_monotonic_rate_and_start(axivity: Path):
    path = axivity / "ax3_testfile.cwa"
    raw = path.read_bytes()
    t, a, _ = _read(path)
    assert np.all(np.diff(t) > 0)
    step = np.median(np.diff(t)) / 1e9
    assert 1 / step == pytest.approx(100.0, rel=0.03)  # the real AX3 runs slightly slow
    # First block: whole-second stamp + fraction - (offset, corrected for the fraction) / rate.
    dfrac, _, _, ts = struct.unpack_from("<HIII", raw, 1024 + 4)
    (offset,) = struct.unpack_from("<h", raw, 1024 + 26)
    frac = ((dfrac & 0x7FFF) << 1) if dfrac & 0x8000 else 0
    offset += (frac * 100) >> 16
    first = (
        (_hand_timestamp(ts) - datetime(1970, 1, 1)).total_seconds() + frac / 65536 - offset / 100
    )
    assert t[0] / 1e9 == pytest.approx(first, abs=1e-6)
    # Each block's first sample sits at its own block time; blocks are contiguous.
    assert (t[-1] - t[0]) / 1e9 == pytest.approx(17399 * step, rel=0.01)


def test_ax3_gravity_at_rest(axivity: Path):
    _, a, _ = _read(axivity / "ax3_testfile.cwa")
    norms = _still_norms(a, 100)
    assert len(norms) >= 10
    # Uncalibrated AX3: within 10 % of 1 g (auto-calibration is a later step).
    assert np.all(np.abs(norms - 1.0) < 0.1)
    assert np.median(norms) == pytest.approx(1.0, abs=0.07)


def test_ax3_temperature(axivity: Path):
    info, chunk = read_all(axivity / "ax3_testfile.cwa")
    raw = (axivity / "ax3_testfile.cwa").read_bytes()
    (temp,) = struct.unpack_from("<H", raw, 1024 + 20)
    assert chunk.temperature_c is not None
    assert chunk.temperature_c[0] == pytest.approx((temp & 0x3FF) * 75 / 256 - 50)
    assert 15 < float(np.median(chunk.temperature_c)) < 40


def test_ax6_accelerometer_scale_and_gyro(axivity: Path):
    path = axivity / "ax6_testfile.cwa"
    raw = path.read_bytes()
    info, chunk = read_all(path)
    assert info.device == "Axivity AX6"
    assert raw[1024 + 25] == 0x62  # 6 axes, unpacked int16
    (light,) = struct.unpack_from("<H", raw, 1024 + 18)
    scale = 1 / (1 << (8 + (light >> 13)))
    assert scale == 1 / 2048 == info.extra["accel_scale_g_per_lsb"]
    gx, gy, gz, ax, ay, az = struct.unpack_from("<6h", raw, 1024 + 30)
    assert chunk.acc_g[0].tolist() == pytest.approx([ax * scale, ay * scale, az * scale], abs=0)
    assert chunk.gyro_dps is not None
    assert chunk.gyro_dps[0].tolist() == pytest.approx(
        [v * 250 / 32768 for v in (gx, gy, gz)], rel=1e-6
    )
    assert len(chunk) == 283 * 40
    norms = _still_norms(chunk.acc_g, 100)
    assert len(norms) >= 10
    assert np.median(norms) == pytest.approx(1.0, abs=0.03)


def test_corrupt_blocks_reported_and_rest_identical(axivity: Path):
    t_ok, a_ok, _ = _read(axivity / "ax3_testfile.cwa")
    t, a, errors = _read(axivity / CORRUPT)
    bad = [0, 13, 14, 142, 143, 144]
    # Block index = data-block number from 0 (file offset 1024 + 512 * index), as in the file name.
    assert [e.block_index for e in errors] == bad
    assert {e.kind for e in errors} == {"checksum"}
    assert all(CORRUPT in e.message and f"data block {e.block_index}" in e.message for e in errors)
    keep = np.ones(145, bool)
    keep[bad] = False
    sample_keep = np.repeat(keep, 120)
    assert len(t) == keep.sum() * 120
    np.testing.assert_array_equal(a, a_ok[sample_keep])
    # Times are equal except in blocks whose successor was skipped: these keep their
    # predecessor's measured spacing instead of interpolating to the lost block.
    diff = np.abs(t - t_ok[sample_keep])
    before_gap = np.repeat(np.isin(np.arange(145), [12, 141]), 120)[sample_keep]
    assert diff[~before_gap].max() == 0
    assert diff.max() < 200_000  # 0.2 ms
    # Time ranges of skipped blocks: from the last good sample before to the first after.
    e13, e14 = errors[1], errors[2]
    assert abs(e13.start_utc_ns - t_ok[13 * 120 - 1]) < 200_000
    assert e13.end_utc_ns == e14.end_utc_ns == t_ok[15 * 120]
    assert errors[0].start_utc_ns is None and errors[0].end_utc_ns == t_ok[120]
    assert errors[-1].start_utc_ns == t[-1] and errors[-1].end_utc_ns is None


@pytest.mark.parametrize("name", ["ax3_testfile.cwa", CORRUPT, "ax6_testfile.cwa"])
@pytest.mark.parametrize("chunk", [1, 7, 250])
def test_tiny_chunks_equal_whole_file(axivity: Path, name: str, chunk: int):
    whole = _read(axivity / name)
    parts = _read(axivity / name, chunk)
    np.testing.assert_array_equal(whole[0], parts[0])
    np.testing.assert_array_equal(whole[1], parts[1])
    assert whole[2] == parts[2]


def test_reader_protocol_object(axivity: Path):
    reader = open_reader(axivity / "ax3_testfile.cwa", tz="Europe/London")
    assert isinstance(reader, cwa.CwaReader)
    info = reader.read_info(axivity / "ax3_testfile.cwa")
    assert info.tz == "Europe/London" and "tz_assumed" not in info.extra
    assert info.extra["fixed_utc_offset_s"] == 0.0  # February in London: GMT
    n = sum(len(c) for c, _ in reader.iter_chunks(axivity / "ax3_testfile.cwa", 1000))
    assert n == 17400


def test_tz_shifts_device_time(axivity: Path):
    t_utc, _, _ = _read(axivity / "ax3_testfile.cwa")
    t_oslo, _, _ = _read(axivity / "ax3_testfile.cwa", tz="Europe/Oslo")
    np.testing.assert_array_equal(t_utc - t_oslo, 3600 * 10**9)  # CET = UTC+1 in February


# --- damaged and wrong files ------------------------------------------------------------


def test_empty_file(tmp_path: Path):
    p = tmp_path / "empty.cwa"
    p.write_bytes(b"")
    for call in (
        lambda: open_reader(p),
        lambda: cwa.read_info(p),
        lambda: list(cwa.iter_chunks(p)),
    ):
        with pytest.raises(ReaderError, match="empty") as exc:
            call()
        assert str(p) in str(exc.value)


def test_truncated_header(axivity: Path, tmp_path: Path):
    p = tmp_path / "short_header.cwa"
    p.write_bytes((axivity / "ax3_testfile.cwa").read_bytes()[:700])
    with pytest.raises(ReaderError, match="truncated CWA header") as exc:
        read_all(p)
    assert str(p) in str(exc.value)


def test_header_without_blocks(axivity: Path, tmp_path: Path):
    p = tmp_path / "header_only.cwa"
    p.write_bytes((axivity / "ax3_testfile.cwa").read_bytes()[:1024])
    with pytest.raises(ReaderError, match="no data blocks") as exc:
        read_all(p)
    assert str(p) in str(exc.value)


def test_cut_mid_block(axivity: Path, tmp_path: Path):
    p = tmp_path / "cut.cwa"
    p.write_bytes((axivity / "ax3_testfile.cwa").read_bytes()[: 1024 + 512 * 10 + 300])
    t_ok, a_ok, _ = _read(axivity / "ax3_testfile.cwa")
    info, chunk = read_all(p)
    assert len(chunk) == 10 * 120
    np.testing.assert_array_equal(chunk.acc_g, a_ok[:1200])
    assert [(e.kind, e.block_index) for e in info.read_errors] == [("truncated", 10)]
    assert (
        str(p) in info.read_errors[0].message and "300 of 512 bytes" in info.read_errors[0].message
    )


def test_random_bytes_named_cwa(tmp_path: Path):
    p = tmp_path / "garbage.cwa"
    p.write_bytes(np.random.default_rng(3).integers(0, 256, 5000, dtype=np.uint8).tobytes())
    with pytest.raises(ReaderError) as exc:
        open_reader(p)
    assert str(p) in str(exc.value)
    with pytest.raises(ReaderError, match="not a CWA file"):
        list(cwa.iter_chunks(p))


def test_csv_named_cwa(tmp_path: Path):
    p = tmp_path / "really_csv.cwa"
    p.write_text("time,x,y,z\n2024-01-01T00:00:00Z,0,0,1\n")
    with pytest.raises(ReaderError, match=r"named \.cwa but the content is text") as exc:
        open_reader(p)
    assert str(p) in str(exc.value)
    with pytest.raises(ReaderError, match="not a CWA file"):
        cwa.read_info(p)


def test_block_with_bad_signature_is_skipped(axivity: Path, tmp_path: Path):
    data = bytearray((axivity / "ax3_testfile.cwa").read_bytes())
    off = 1024 + 512 * 5
    data[off : off + 2] = b"ZZ"
    # Keep the checksum valid so that the signature check is what fails.
    words = struct.unpack_from("<256H", data, off)
    fix = (-(sum(words) - words[255])) & 0xFFFF
    struct.pack_into("<H", data, off + 510, fix)
    p = tmp_path / "sig.cwa"
    p.write_bytes(bytes(data))
    _, _, errors = _read(p)
    assert [(e.kind, e.block_index) for e in errors] == [("bad-block", 5)]
    assert "signature" in errors[0].message
