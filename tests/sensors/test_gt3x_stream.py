"""walkrx's streaming .gt3x decoder: agrees with ActiGraph's pygt3x, reports damage, bounded memory."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from walkrx.sensors import gt3x, read_all
from walkrx.sensors._gt3x_log import ACTIVITY, ACTIVITY2, EVENT, unpack12


@pytest.fixture(scope="module")
def gt3x_file(fixtures_dir: Path) -> Path:
    return fixtures_dir / "actigraph" / "actigraph_testfile.gt3x"


def _record(rtype: int, ts: int, payload: bytes) -> bytes:
    head = struct.pack("<BBIH", 0x1E, rtype, ts, len(payload))
    x = 0
    for b in head + payload:
        x ^= b
    return head + payload + bytes([~x & 0xFF])


def _pack12(values: list[int]) -> bytes:
    """Pack signed 12-bit integers two per three bytes (test-side encoder)."""
    u = [v & 0xFFF for v in values]
    if len(u) % 2:
        u.append(0)
    out = bytearray()
    for a, b in zip(u[0::2], u[1::2], strict=True):
        out += bytes([a >> 4, ((a & 0xF) << 4) | (b >> 8), b & 0xFF])
    return bytes(out)


T0 = 1_600_000_000  # device seconds in 2020 (a real device date)

INFO = (
    "Serial Number: TEST0001\nDevice Type: wGT3XBT\nSample Rate: 30\n"
    "Start Date: 637340333400000000\nTimeZone: 02:00:00\nAcceleration Scale: 256.0\n"
)


def _gt3x(tmp_path: Path, log: bytes, name: str = "t.gt3x", extra: dict | None = None) -> Path:
    p = tmp_path / name
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("info.txt", INFO)
        z.writestr("log.bin", log)
        for k, v in (extra or {}).items():
            z.writestr(k, v)
    return p


def test_stream_equals_pygt3x_on_the_real_file(gt3x_file: Path):
    assert gt3x._needs_pygt3x(gt3x_file, gt3x._info_txt(gt3x_file)) is None
    info, chunk = read_all(gt3x_file)
    df, _ = gt3x._load(gt3x_file)
    ref_local = np.round(df.index.to_numpy(dtype=np.float64) * 1e6).astype(np.int64) * 1000
    offset = int(info.extra["utc_offset_s"] * 1e9)
    # pygt3x keeps times as float seconds (about 0.2 us resolution at 2020 epochs); walkrx
    # computes them exactly in integer ns, rounded to the microsecond like the float path
    assert np.abs(chunk.time_ns - (ref_local - offset)).max() <= 1000
    i = np.arange(chunk.time_ns.size) % 30
    assert np.all(
        (chunk.time_ns + offset - np.round(i * 1e6 / 30).astype(np.int64) * 1000) % 10**9 == 0
    )
    np.testing.assert_array_equal(chunk.acc_g, df[["X", "Y", "Z"]].to_numpy(np.float32))
    assert gt3x.idle_sleep_count(gt3x_file) == int(df["IdleSleepMode"].sum()) == 35400


def test_small_chunks_equal_whole(gt3x_file: Path):
    parts = list(gt3x.iter_chunks(gt3x_file, 700))
    assert len(parts) > 20  # really streamed, not sliced from one decode
    assert max(len(c) for c, _ in parts) < 700 + 30 * 3600  # bounded by chunk + one fill
    whole = next(iter(gt3x.iter_chunks(gt3x_file, 10**9)))[0]
    np.testing.assert_array_equal(np.concatenate([c.time_ns for c, _ in parts]), whole.time_ns)
    np.testing.assert_array_equal(np.concatenate([c.acc_g for c, _ in parts]), whole.acc_g)


def test_bad_checksum_skips_that_second_only(gt3x_file: Path, tmp_path: Path):
    with zipfile.ZipFile(gt3x_file) as z:
        log = bytearray(z.read("log.bin"))
        info_txt = z.read("info.txt")
    # find the 5th activity record with data and flip one payload byte
    pos, seen, target = 0, 0, None
    while pos < len(log):
        _, rtype, ts, size = struct.unpack_from("<BBIH", log, pos)
        if rtype == ACTIVITY and size > 1:
            seen += 1
            if seen == 5:
                target = (pos, ts)
                break
        pos += 9 + size
    assert target is not None
    log[target[0] + 20] ^= 0x55
    p = tmp_path / "bad.gt3x"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("info.txt", info_txt)
        z.writestr("log.bin", bytes(log))
    chunks = list(gt3x.iter_chunks(p))
    errors = [e for _, errs in chunks for e in errs]
    assert [e.kind for e in errors] == ["checksum"]
    assert f"byte {target[0]}" in errors[0].message
    got = np.concatenate([c.time_ns for c, _ in chunks])
    _, clean = read_all(gt3x_file)
    assert clean.time_ns.size - got.size == 30  # exactly that second is missing
    assert np.isin(got, clean.time_ns).all()


def test_activity2_idle_sleep_fill_and_truncation(tmp_path: Path):
    rate = 30
    sec = lambda v: struct.pack("<" + "h" * 3 * rate, *([v, -v, 256] * rate))  # noqa: E731
    log = (
        _record(ACTIVITY2, T0 + 1000, sec(10))
        + _record(ACTIVITY2, T0 + 1001, sec(20))
        + _record(EVENT, T0 + 1002, b"\x08")  # idle sleep starts
        + _record(EVENT, T0 + 1005, b"\x09")  # and ends: 1002-1004 filled
        + _record(ACTIVITY2, T0 + 1005, sec(30))
        + _record(ACTIVITY, T0 + 1006, _pack12([100, -200, 300] * rate))
    )
    p = _gt3x(tmp_path, log + _record(ACTIVITY2, T0 + 1007, sec(40))[:50])
    chunks = list(gt3x.iter_chunks(p))
    c = np.concatenate([x.acc_g for x, _ in chunks])
    t = np.concatenate([x.time_ns for x, _ in chunks])
    errors = [e for _, errs in chunks for e in errs]
    assert [e.kind for e in errors] == ["truncated"]
    assert c.shape == (7 * rate, 3)  # 1000, 1001, 3 filled, 1005, 1006; the cut 1007 is not
    np.testing.assert_array_equal(c[:rate, 0], 10 / 256)
    np.testing.assert_array_equal(
        c[2 * rate : 5 * rate], np.tile([20, -20, 256], (3 * rate, 1)) / 256
    )
    # ACTIVITY stores Y, X, Z
    np.testing.assert_array_equal(c[6 * rate], np.array([-200, 100, 300]) / 256)
    assert gt3x.idle_sleep_count(p) == 3 * rate
    offset = 2 * 3600 * 10**9
    assert t[0] == (T0 + 1000) * 10**9 - offset
    assert np.all(np.diff(t) > 0)
    assert t[-1] == (T0 + 1006) * 10**9 + round(29 * 1e6 / rate) * 1000 - offset


def test_out_of_order_and_garbage_are_reported(tmp_path: Path):
    rate = 30
    sec = struct.pack("<" + "h" * 3 * rate, *([1, 2, 256] * rate))
    log = (
        _record(ACTIVITY2, T0 + 2000, sec)
        + b"\x00\x01\x02garbage"
        + _record(ACTIVITY2, T0 + 2001, sec)
        + _record(ACTIVITY2, T0 + 2000, sec)  # the clock went back
        + _record(ACTIVITY2, T0 + 2002, sec)
    )
    chunks = list(gt3x.iter_chunks(_gt3x(tmp_path, log)))
    errors = [e for _, errs in chunks for e in errs]
    assert sorted(e.kind for e in errors) == ["bad-header", "out-of-order"]
    assert sum(len(c) for c, _ in chunks) == 3 * rate


def test_files_needing_calibration_go_to_pygt3x(tmp_path: Path):
    p = _gt3x(
        tmp_path,
        b"",
        extra={"calibration.json": '{"isCalibrated": false, "calibrationMethod": 2}'},
    )
    assert "calibration" in (gt3x._needs_pygt3x(p, gt3x._info_txt(p)) or "")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-2048, 2047), min_size=1, max_size=300))
def test_unpack12_inverts_packing(values: list[int]):
    np.testing.assert_array_equal(unpack12(_pack12(values), len(values)), values)


def test_synthetic_gt3x_round_trip_agrees_with_pygt3x(tmp_path: Path):
    from walkrx.synthetic.signals import SyntheticRecording
    from walkrx.synthetic.writers import write_gt3x

    rec = SyntheticRecording("wrist", days=0.05, sampling_rate_hz=30, seed=3)
    p = tmp_path / "syn.gt3x"
    summary = write_gt3x(p, rec.samples(7_000), sample_rate_hz=30, utc_offset_s=-5 * 3600)
    assert summary.n_samples == rec.n_samples
    info, chunk = read_all(p)
    truth = rec.render(0, rec.n_samples)
    assert info.extra["utc_offset_s"] == -5 * 3600
    assert np.abs(chunk.time_ns - truth.time_ns).max() <= 1000  # microsecond resolution
    assert np.abs(chunk.acc_g - truth.acc_g).max() <= 0.5 / 256 + 1e-7  # 12-bit, 256 per g
    df, _ = gt3x._load(p)  # ActiGraph's own library reads the same values
    np.testing.assert_array_equal(df[["X", "Y", "Z"]].to_numpy(np.float32), chunk.acc_g)


@pytest.mark.parametrize("block", [97, 1000, 4096])
def test_block_boundaries_do_not_change_anything(gt3x_file: Path, monkeypatch, block: int):
    """Records and idle-sleep periods that straddle the decoder's read blocks."""
    from walkrx.sensors import _gt3x_log

    _, whole = read_all(gt3x_file)
    monkeypatch.setattr(_gt3x_log, "_BLOCK", block)
    parts = list(gt3x.iter_chunks(gt3x_file, 5000))
    assert not [e for _, errs in parts for e in errs]
    np.testing.assert_array_equal(np.concatenate([c.time_ns for c, _ in parts]), whole.time_ns)
    np.testing.assert_array_equal(np.concatenate([c.acc_g for c, _ in parts]), whole.acc_g)
    assert gt3x.idle_sleep_count(gt3x_file) == 35400


def test_damaged_compressed_log_names_the_file(gt3x_file: Path, tmp_path: Path):
    """A corrupt deflate stream (not just bad records) is a clear ReaderError, not a crash."""
    from walkrx.sensors import ReaderError

    raw = bytearray(gt3x_file.read_bytes())
    with zipfile.ZipFile(gt3x_file) as z:
        info = z.getinfo("log.bin")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    mid = start + info.compress_size // 2
    raw[mid : mid + 64] = bytes(64)  # zero a stretch of the compressed data
    p = tmp_path / "corrupt-zip.gt3x"
    p.write_bytes(bytes(raw))
    with pytest.raises(ReaderError) as exc:
        list(gt3x.iter_chunks(p, 1000))
    assert str(p) in str(exc.value) and "log.bin" in str(exc.value)
