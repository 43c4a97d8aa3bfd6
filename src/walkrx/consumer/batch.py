"""Step/distance records as column batches: what fast importers yield and the store keeps.

An :class:`IntervalBatch` holds the same facts as a run of :class:`~.records.Interval` records
(the unit follows from the kind: ``count`` for steps, ``m`` for distance) as parallel numpy
arrays, with one table of sources (name, device label, device kind) that the ``source`` column
indexes. Importers that read millions of records build them without a Python object per
record; :meth:`IntervalBatch.intervals` gives the records back one by one.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from .columns import KIND_CODES, KIND_NAMES, Columns
from .records import Interval

Source = tuple[str, str, str]  # (source_name, device label, device kind)
UNITS = {0: "count", 1: "m"}
#: Longest source name and device label kept (the store's column width before issue 16).
NAME_MAX = 200


@dataclass
class IntervalBatch:
    """Step/distance records as columns; ``source`` indexes ``sources``."""

    start: npt.NDArray[np.int64]
    end: npt.NDArray[np.int64]
    value: npt.NDArray[np.float64]
    kind: npt.NDArray[np.int8]
    offset: npt.NDArray[np.int32]
    source: npt.NDArray[np.int32]
    sources: list[Source] = field(default_factory=list)

    def __len__(self) -> int:
        return int(self.start.shape[0])

    def intervals(self) -> Iterator[Interval]:
        """The records one by one, in order."""
        srcs = self.sources
        for s, e, v, k, off, i in zip(
            self.start.tolist(),
            self.end.tolist(),
            self.value.tolist(),
            self.kind.tolist(),
            self.offset.tolist(),
            self.source.tolist(),
            strict=True,
        ):
            name, device, dkind = srcs[i]
            yield Interval(name, device, dkind, KIND_NAMES[k], s, e, v, UNITS[k], off)

    def select(self, which: npt.NDArray[np.bool_] | npt.NDArray[np.int64]) -> IntervalBatch:
        """Rows chosen by a mask or an index array (same source table)."""
        return IntervalBatch(
            self.start[which],
            self.end[which],
            self.value[which],
            self.kind[which],
            self.offset[which],
            self.source[which],
            self.sources,
        )

    def columns(self) -> Columns:
        """What the merge consumes: sources keyed by (name, device kind) only.

        The arrays are shared, not copied; ``source`` is renumbered (a new array) only if
        sources that differ in their device label alone are merged.
        """
        index: dict[tuple[str, str], int] = {}
        remap = np.empty(max(1, len(self.sources)), dtype=np.int32)
        for i, (name, _device, dkind) in enumerate(self.sources):
            remap[i] = index.setdefault((name, dkind), len(index))
        same = len(index) == len(self.sources)  # then remap is the identity
        return Columns(
            self.start,
            self.end,
            self.value,
            self.kind,
            self.offset,
            self.source if same or not len(self) else remap[self.source],
            list(index),
        )


def empty_batch() -> IntervalBatch:
    """A batch without records."""
    return IntervalBatch(
        np.empty(0, np.int64),
        np.empty(0, np.int64),
        np.empty(0, np.float64),
        np.empty(0, np.int8),
        np.empty(0, np.int32),
        np.empty(0, np.int32),
        [],
    )


def concat(batches: Sequence[IntervalBatch]) -> IntervalBatch:
    """One batch of all, in order; the source tables are merged (equal sources once)."""
    batches = [b for b in batches if len(b)]
    if not batches:
        return empty_batch()
    if len(batches) == 1:
        return batches[0]
    table: dict[Source, int] = {}
    parts = []
    for b in batches:
        remap = np.array([table.setdefault(s, len(table)) for s in b.sources], dtype=np.int32)
        parts.append(remap[b.source])
    return IntervalBatch(
        np.concatenate([b.start for b in batches]),
        np.concatenate([b.end for b in batches]),
        np.concatenate([b.value for b in batches]),
        np.concatenate([b.kind for b in batches]),
        np.concatenate([b.offset for b in batches]),
        np.concatenate(parts),
        list(table),
    )


class BatchJoiner:
    """Join batches one after the other without holding them all and their join at once.

    Source names and device labels are cut to :data:`NAME_MAX` characters, as stored.
    """

    def __init__(self) -> None:
        self._cols: dict[str, array[Any]] = {
            "start": array("q"),
            "end": array("q"),
            "value": array("d"),
            "kind": array("b"),
            "offset": array("i"),
            "source": array("i"),
        }
        self._table: dict[Source, int] = {}

    def __len__(self) -> int:
        return len(self._cols["start"])

    def add(self, batch: IntervalBatch) -> None:
        """Append a batch (its arrays can be dropped afterwards)."""
        if not len(batch):
            return
        remap = np.array(
            [
                self._table.setdefault((n[:NAME_MAX], d[:NAME_MAX], k), len(self._table))
                for n, d, k in batch.sources
            ],
            dtype=np.int32,
        )
        for name, col in self._cols.items():
            data = remap[batch.source] if name == "source" else getattr(batch, name)
            col.frombytes(np.ascontiguousarray(data, dtype=COLUMN_DTYPES[name]).tobytes())

    def take(self) -> IntervalBatch:
        """Everything added, as one batch (views on the joiner's buffers)."""
        c = self._cols
        return IntervalBatch(
            np.frombuffer(c["start"], dtype=np.int64),
            np.frombuffer(c["end"], dtype=np.int64),
            np.frombuffer(c["value"], dtype=np.float64),
            np.frombuffer(c["kind"], dtype=np.int8),
            np.frombuffer(c["offset"], dtype=np.int32),
            np.frombuffer(c["source"], dtype=np.int32),
            list(self._table),
        )


#: Each column of an :class:`IntervalBatch` (in order) and its dtype; the chunk files too.
COLUMN_DTYPES: dict[str, type[np.generic]] = {
    "start": np.int64,
    "end": np.int64,
    "value": np.float64,
    "kind": np.int8,
    "offset": np.int32,
    "source": np.int32,
}


class BatchBuilder:
    """Collect :class:`Interval` records into a batch (about 30 bytes a record)."""

    def __init__(self) -> None:
        self.start = array("q")
        self.end = array("q")
        self.value = array("d")
        self.kind = array("b")
        self.offset = array("i")
        self.source = array("i")
        self.index: dict[Source, int] = {}

    def __len__(self) -> int:
        return len(self.start)

    def add(self, rec: Interval) -> None:
        """Append one step/distance record (other kinds are ignored)."""
        code = KIND_CODES.get(rec.kind)
        if code is None:
            return
        key = (rec.source_name[:NAME_MAX], rec.device[:NAME_MAX], rec.device_kind)
        i = self.index.get(key)
        if i is None:
            i = self.index[key] = len(self.index)
        self.start.append(rec.start_s)
        self.end.append(rec.end_s)
        self.value.append(rec.value)
        self.kind.append(code)
        self.offset.append(rec.utc_offset_minutes)
        self.source.append(i)

    def extend(self, records: Iterable[Interval]) -> None:
        """Append many records."""
        for rec in records:
            self.add(rec)

    def take(self) -> IntervalBatch:
        """The records collected so far, as a batch; the builder starts again empty."""
        batch = IntervalBatch(
            np.array(self.start, dtype=np.int64),
            np.array(self.end, dtype=np.int64),
            np.array(self.value, dtype=np.float64),
            np.array(self.kind, dtype=np.int8),
            np.array(self.offset, dtype=np.int32),
            np.array(self.source, dtype=np.int32),
            list(self.index),
        )
        self.__init__()  # type: ignore[misc]
        return batch


def first_of_each_key(batch: IntervalBatch, before: int = 0) -> npt.NDArray[np.bool_]:
    """Mask of the records that are the first of their (kind, source name, start, end).

    The first ``before`` records are already stored: the mask covers only the records after
    them, true for those that neither repeat a stored record nor an earlier one of their own.
    """
    n = len(batch)
    if n == before:
        return np.zeros(0, dtype=bool)
    names: dict[str, int] = {}
    by_name = np.array(
        [names.setdefault(s[0], len(names)) for s in batch.sources] or [0], dtype=np.int64
    )
    name = by_name[batch.source]
    keep = np.zeros(n, dtype=bool)
    lo = int(batch.start.min())
    span = int(batch.start.max()) - lo
    length = batch.end - batch.start
    if span < 1 << 33 and len(names) <= 256 and length.min() >= 0 and length.max() < 1 << 21:
        # the whole key in one integer (start, length, kind, name): a sort of one column
        key = batch.start - lo
        key <<= 30
        tmp = batch.end - batch.start
        tmp <<= 9
        key |= tmp
        np.left_shift(batch.kind, 8, out=tmp, dtype=np.int64)
        tmp |= name
        key |= tmp
        del tmp, name
        order = np.argsort(key, kind="stable")  # equal keys keep their order: first stays first
        key = key[order]
        first = np.empty(n, dtype=bool)
        first[0] = True
        np.not_equal(key[1:], key[:-1], out=first[1:])
        del key
        keep[order[first]] = True
        return keep[before:]
    order = np.lexsort((batch.end, name, batch.kind, batch.start))  # stable: first stays first
    s, e, k, nm = batch.start[order], batch.end[order], batch.kind[order], name[order]
    first = np.ones(n, dtype=bool)
    first[1:] = (s[1:] != s[:-1]) | (k[1:] != k[:-1]) | (nm[1:] != nm[:-1]) | (e[1:] != e[:-1])
    keep[order[first]] = True
    return keep[before:]
