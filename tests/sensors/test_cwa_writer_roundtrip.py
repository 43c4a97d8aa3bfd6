"""Synthetic CWA writer: valid files, round trips, and DST-crossing local device time."""

from __future__ import annotations

import struct
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from walkrx.sensors import cwa, read_all
from walkrx.synthetic.writers import CwaWriter, write_csv, write_cwa

OSLO = "Europe/Oslo"


def _samples(start_utc: datetime, hours: float, rate: float, seed: int = 0):
    n = int(hours * 3600 * rate)
    t0 = int(start_utc.timestamp()) * 10**9
    t = t0 + np.round(np.arange(n) * (1e9 / rate)).astype(np.int64)
    rng = np.random.default_rng(seed)
    a = rng.normal(0.0, 0.6, (n, 3))
    a[:, 2] += 1.0
    return t, a


def _chunks(t, a, size):
    for lo in range(0, len(t), size):
        yield t[lo : lo + size], a[lo : lo + size]


def _block_local_time(raw: bytes, block: int) -> datetime:
    """Hand-decode a block's local time of sample 0 from its bytes."""
    off = 1024 + 512 * block
    dfrac, _, _, v = struct.unpack_from("<HIII", raw, off + 4)
    (toff,) = struct.unpack_from("<h", raw, off + 26)
    rate = 3200 / (1 << (15 - (raw[off + 24] & 15)))
    frac = ((dfrac & 0x7FFF) << 1) if dfrac & 0x8000 else 0
    toff += (frac * int(rate)) >> 16
    whole = datetime(
        2000 + (v >> 26), (v >> 22) & 15, (v >> 17) & 31, (v >> 12) & 31, (v >> 6) & 63, v & 63
    )
    return whole + timedelta(seconds=frac / 65536 - toff / rate)


@pytest.mark.parametrize("packed", [True, False])
def test_roundtrip_within_quantisation(tmp_path: Path, packed: bool):
    t, a = _samples(datetime(2024, 5, 1, 8, tzinfo=UTC), 0.5, 50.0)
    a[::97] *= 6  # some large values use the packed exponent
    p = tmp_path / "rt.cwa"
    s = write_cwa(p, _chunks(t, a, 3333), sample_rate_hz=50, tz=OSLO, packed=packed)
    per = 120 if packed else 80
    assert s.n_samples == len(t) and s.n_blocks == -(-len(t) // per)
    raw = p.read_bytes()
    assert len(raw) == 1024 + 512 * s.n_blocks
    words = np.frombuffer(raw[1024:], "<u2").reshape(-1, 256)
    assert np.all(words.sum(axis=1, dtype=np.uint16) == 0)  # every checksum valid
    info, chunk = read_all(p, tz=OSLO)
    assert info.read_errors == [] and info.sample_rate_hz == 50
    assert len(chunk) == len(t)
    assert np.abs(chunk.time_ns - t).max() < 40_000  # 1/32768 s timestamp resolution
    a_clip = np.clip(a, -8, 8)
    small = np.abs(a_clip).max(axis=1) < 1.99
    tol = 0.5 / 256 + 1e-6
    assert np.abs(chunk.acc_g[small] - a_clip[small]).max() <= tol
    if packed:  # larger values lose bits to the exponent, at most 2**3 / 512 g
        assert np.abs(chunk.acc_g - a_clip).max() <= 8 / 512 + 1e-6


def test_streaming_chunk_size_does_not_change_file(tmp_path: Path):
    t, a = _samples(datetime(2024, 5, 1, 8, tzinfo=UTC), 0.2, 100.0)
    write_cwa(tmp_path / "a.cwa", _chunks(t, a, 7), sample_rate_hz=100, tz=OSLO)
    write_cwa(tmp_path / "b.cwa", [(t, a)], sample_rate_hz=100, tz=OSLO)
    assert (tmp_path / "a.cwa").read_bytes() == (tmp_path / "b.cwa").read_bytes()


def test_header_fields(tmp_path: Path):
    t, a = _samples(datetime(2024, 1, 15, 12, tzinfo=UTC), 0.01, 25.0)
    p = tmp_path / "h.cwa"
    with CwaWriter(
        p,
        sample_rate_hz=25,
        tz=OSLO,
        device_id=123456,
        session_id=77,
        annotation={"_p": "lower back"},
    ) as w:
        w.write(t, a)
    info = cwa.read_info(p, tz=OSLO)
    assert info.device_id == "123456" and info.extra["session_id"] == 77
    assert info.sample_rate_hz == 25 and info.extra["accel_range_g"] == 8
    assert info.extra["annotation"] == {"body_location": "lower back"}
    assert info.extra["last_change_local"] == "2024-01-15T13:00:00"  # CET
    assert info.start_utc_ns == t[0] or abs(info.start_utc_ns - t[0]) < 40_000


@pytest.mark.parametrize(
    "change_utc",
    [datetime(2024, 3, 31, 1, tzinfo=UTC), datetime(2024, 10, 27, 1, tzinfo=UTC)],
    ids=["spring-forward", "fall-back"],
)
@pytest.mark.parametrize("clock", ["wall", "fixed"])
def test_dst_crossing_converts_to_correct_utc(tmp_path: Path, change_utc: datetime, clock: str):
    t, a = _samples(change_utc - timedelta(hours=2), 4.0, 25.0)
    p = tmp_path / f"dst_{clock}.cwa"
    write_cwa(p, _chunks(t, a, 50_000), sample_rate_hz=25, tz=OSLO, clock=clock)
    raw = p.read_bytes()
    zone = ZoneInfo(OSLO)
    # The device's local times, hand-decoded, around the change (3000 samples = 25 blocks/hour... 120 per block).
    blocks_per_hour = 25 * 3600 // 120
    before = _block_local_time(raw, blocks_per_hour)  # ~1 h before the change
    after = _block_local_time(raw, 3 * blocks_per_hour)  # ~1 h after
    utc_before = datetime.fromtimestamp(t[blocks_per_hour * 120] / 1e9, UTC)
    utc_after = datetime.fromtimestamp(t[3 * blocks_per_hour * 120] / 1e9, UTC)
    start_offset = utc_before.astimezone(zone).utcoffset()
    assert abs(before - (utc_before + start_offset).replace(tzinfo=None)) < timedelta(
        milliseconds=1
    )
    if clock == "wall":  # the clock follows DST: it reads the zone's wall time
        expected_after = utc_after.astimezone(zone).replace(tzinfo=None)
    else:  # the clock free-runs at the offset of the start
        expected_after = (utc_after + start_offset).replace(tzinfo=None)
    assert abs(after - expected_after) < timedelta(milliseconds=1)
    assert utc_after.astimezone(zone).utcoffset() != start_offset  # the file does cross a change

    for chunk in (1_000_000, 500):
        parts = list(cwa.iter_chunks(p, chunk, tz=OSLO, clock=clock))
        got = np.concatenate([c.time_ns for c, _ in parts])
        assert sum(len(e) for _, e in parts) == 0
        assert len(got) == len(t)
        assert np.abs(got - t).max() < 40_000  # correct UTC instants through the change
        assert np.all(np.diff(got) > 0)
        assert np.abs(np.diff(got) - 40_000_000).max() < 100_000  # no 1-hour jump or gap


def test_wrong_clock_model_is_off_by_an_hour(tmp_path: Path):
    """A free-running file read as a DST-following one is wrong after the change: the model matters."""
    t, a = _samples(datetime(2024, 3, 31, 0, tzinfo=UTC), 3.0, 25.0)
    p = tmp_path / "fixed.cwa"
    write_cwa(p, [(t, a)], sample_rate_hz=25, tz=OSLO, clock="fixed")
    _, wrong = read_all(p, tz=OSLO, clock="wall")
    after = t > int(datetime(2024, 3, 31, 2, 5, tzinfo=UTC).timestamp()) * 10**9
    np.testing.assert_allclose((t - wrong.time_ns)[after] / 3.6e12, 1.0, atol=1e-6)


def test_csv_writer_roundtrip(tmp_path: Path):
    t, a = _samples(datetime(2024, 10, 27, 0, 30, tzinfo=UTC), 1.0, 10.0)
    for fmt in ("iso", "naive", "epoch"):
        p = tmp_path / f"{fmt}.csv"
        s = write_csv(p, _chunks(t, a, 1000), tz=OSLO, time_format=fmt)
        assert s.n_samples == len(t)
        info, chunk = read_all(p, tz=OSLO)
        np.testing.assert_array_equal(chunk.time_ns // 1000, t // 1000)
        assert np.abs(chunk.acc_g - a).max() < 1e-6
        assert info.sample_rate_hz == pytest.approx(10.0)
