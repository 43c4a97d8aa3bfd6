"""IntervalBatch.columns(): what the merge reads, without copying the batch's arrays."""

from __future__ import annotations

import numpy as np

from walkrx.consumer.batch import IntervalBatch


def _batch(sources: list[tuple[str, str, str]], source: list[int]) -> IntervalBatch:
    n = len(source)
    return IntervalBatch(
        np.arange(n, dtype=np.int64) * 60,
        np.arange(n, dtype=np.int64) * 60 + 60,
        np.full(n, 10.0),
        np.zeros(n, dtype=np.int8),
        np.zeros(n, dtype=np.int32),
        np.array(source, dtype=np.int32),
        sources,
    )


def test_columns_share_the_arrays_when_no_sources_merge():
    b = _batch([("Phone", "iPhone", "phone"), ("Watch", "Watch", "watch")], [0, 1, 0, 1])
    c = b.columns()
    assert c.sources == [("Phone", "phone"), ("Watch", "watch")]
    for mine, theirs in [
        (b.start, c.start),
        (b.end, c.end),
        (b.value, c.value),
        (b.kind, c.kind),
        (b.offset, c.offset_min),
        (b.source, c.source),
    ]:
        assert np.shares_memory(mine, theirs)


def test_columns_merge_sources_that_differ_in_the_device_label_only():
    b = _batch(
        [
            ("Phone", "iPhone v1", "phone"),
            ("Watch", "Watch", "watch"),
            ("Phone", "iPhone v2", "phone"),
        ],
        [0, 1, 2, 2],
    )
    c = b.columns()
    assert c.sources == [("Phone", "phone"), ("Watch", "watch")]
    assert c.source.tolist() == [0, 1, 0, 0]
    assert b.source.tolist() == [0, 1, 2, 2]  # the batch is left as it was
    assert np.shares_memory(b.start, c.start)
