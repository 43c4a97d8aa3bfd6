"""Properties of the CWA bit layouts (timestamps, packed samples, rate codes)."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from walkrx.sensors import _cwa_format as fmt
from walkrx.synthetic.writers import _pack_samples

EPOCH = datetime(1970, 1, 1)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2063, 12, 31, 23, 59, 59)))
def test_timestamp_pack_unpack(when: datetime):
    secs = int((when.replace(microsecond=0) - EPOCH).total_seconds())
    packed = fmt.pack_timestamps(np.array([secs]))
    v = int(packed[0])
    # Bit layout YYYYYYMM MMDDDDDh hhhhmmmm mmssssss, decoded by hand.
    assert (2000 + (v >> 26), (v >> 22) & 15, (v >> 17) & 31) == (when.year, when.month, when.day)
    assert ((v >> 12) & 31, (v >> 6) & 63, v & 63) == (when.hour, when.minute, when.second)
    back, ok = fmt.unpack_timestamps(packed)
    assert ok[0] and int(back[0]) == secs


def test_invalid_timestamps_flagged():
    jan1 = (1 << 22) | (1 << 17)
    bad = [0, jan1 | (24 << 12), jan1 | (60 << 6), (2 << 22) | (31 << 17), 13 << 22]
    _, ok = fmt.unpack_timestamps(
        np.array(bad, dtype=np.uint32)
    )  # month 0, hour 24, minute 60, 31 Feb, month 13
    assert not ok.any()
    good = (24 << 26) | (2 << 22) | (29 << 17)  # 2024-02-29
    secs, ok = fmt.unpack_timestamps(np.array([good], dtype=np.uint32))
    assert ok[0] and EPOCH + timedelta(seconds=int(secs[0])) == datetime(2024, 2, 29)


@settings(max_examples=50)
@given(st.lists(st.tuples(*[st.floats(-15.9, 15.9)] * 3), min_size=1, max_size=50))
def test_packed_samples_hand_decoded(values: list[tuple[float, float, float]]):
    acc = np.array(values, dtype=np.float64)
    words = _pack_samples(acc)
    for word, row in zip(words.tolist(), acc, strict=True):
        exp = word >> 30
        for k, shift in enumerate((0, 10, 20)):
            raw = (word >> shift) & 0x3FF
            raw = raw - 1024 if raw >= 512 else raw
            assert abs(raw * (1 << exp) / 256 - row[k]) <= (1 << exp) / 512 + 1e-9


def test_rate_codes():
    for rate in (6.25, 12.5, 25, 50, 100, 200, 400, 800, 1600, 3200):
        for rng in (2, 4, 8, 16):
            code = fmt.code_from_rate(rate, rng)
            assert float(fmt.rate_from_code(code)) == rate
            assert fmt.range_from_code(code) == rng
    assert fmt.code_from_rate(100, 8) == 0x4A  # the AX3 fixture's header byte 36
