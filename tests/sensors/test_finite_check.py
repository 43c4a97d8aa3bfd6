"""Every reader drops samples holding NaN or an infinity, reports them, and checks cheaply.

The check runs on every decoded chunk (about 60 million samples for a week at 100 Hz), so
its cost matters: a row-wise ``isfinite(...).all(axis=1)`` on every chunk doubled the
decode time of ``scripts/bench_measure.py``.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from walkrx.sensors.base import SampleChunk, _finite


def _chunk(n: int, gyro: bool = False) -> SampleChunk:
    rng = np.random.default_rng(3)
    return SampleChunk(
        time_ns=np.arange(n, dtype=np.int64) * 10_000_000,
        acc_g=rng.normal(0, 1, (n, 3)).astype(np.float32),
        temperature_c=np.full(n, 20.0, np.float32),
        gyro_dps=rng.normal(0, 50, (n, 3)).astype(np.float32) if gyro else None,
    )


@pytest.mark.parametrize("where", ["acc_g", "gyro_dps"])
@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_non_finite_rows_are_dropped_and_reported(where: str, value: float) -> None:
    c = _chunk(1_000, gyro=True)
    getattr(c, where)[[7, 500], [2, 0]] = value
    kept, errors = _finite(c, [], before=100)
    assert len(kept) == 998
    assert 7 not in kept.time_ns // 10_000_000 and 500 not in kept.time_ns // 10_000_000
    assert kept.temperature_c is not None and kept.gyro_dps is not None
    assert len(kept.temperature_c) == len(kept.gyro_dps) == 998
    assert np.isfinite(kept.acc_g).all() and np.isfinite(kept.gyro_dps).all()
    [note] = errors
    assert note.kind == "non-finite"
    assert "2 samples" in note.message and "sample 107" in note.message
    assert note.start_utc_ns == 7 * 10_000_000


def test_finite_chunk_passes_untouched() -> None:
    c = _chunk(1_000, gyro=True)
    kept, errors = _finite(c, [], before=0)
    assert kept is c and errors == []
    empty = _chunk(0)
    assert _finite(empty, [], before=0)[0] is empty


def test_check_costs_about_one_pass_over_the_chunk() -> None:
    """A finite chunk is settled in about the time of one copy of it (the old check took ~15)."""
    c = _chunk(500_000, gyro=True)

    def best(f) -> float:  # type: ignore[no-untyped-def]
        times = []
        for _ in range(7):
            t = time.perf_counter()
            f()
            times.append(time.perf_counter() - t)
        return min(times)

    check = best(lambda: _finite(c, [], before=0))
    copy = best(lambda: (c.acc_g.copy(), c.gyro_dps.copy()))  # type: ignore[union-attr]
    assert check < 4 * copy, f"finite check {check * 1e3:.2f} ms vs copy {copy * 1e3:.2f} ms"
