"""Vectorised merge over columns of records (the default engine of :func:`merge_days`).

Same rule as the reference :func:`walkrx.consumer.merge.sweep` (the tests check they agree):
records are split at the local midnights of their own offset, each (kind, local day) group is
laid on its own slot of one time axis so that elementary segments never mix groups, and, per
source in priority order, difference arrays give for every segment how many of the source's
records cover it and their summed rate; the first source covering a segment keeps it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .records import DISTANCE, STEPS, Interval

KIND_CODES = {STEPS: 0, DISTANCE: 1}
KIND_NAMES = {0: STEPS, 1: DISTANCE}
_EPOCH = dt.date(1970, 1, 1)
_SLOT_S = 4 * 86400  # one (kind, day) group: the day +- 14 h fits easily


@dataclass
class Columns:
    """Step/distance records as parallel arrays; ``source`` indexes ``sources``."""

    start: npt.NDArray[np.int64]
    end: npt.NDArray[np.int64]
    value: npt.NDArray[np.float64]
    kind: npt.NDArray[np.int8]
    offset_min: npt.NDArray[np.int32]
    source: npt.NDArray[np.int32]
    sources: list[tuple[str, str]]  # (source_name, device_kind)

    def __len__(self) -> int:
        return int(self.start.shape[0])


def columns_from_rows(
    rows: Iterable[tuple[str, str, str, int, int, float, int]],
) -> Columns:
    """Build columns from ``(source_name, device_kind, kind, start, end, value, offset)`` rows."""
    index: dict[tuple[str, str], int] = {}
    src: list[int] = []
    kinds: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    values: list[float] = []
    offsets: list[int] = []
    for name, dkind, kind, s, e, v, off in rows:
        code = KIND_CODES.get(kind)
        if code is None:
            continue
        key = (name, dkind)
        i = index.get(key)
        if i is None:
            i = index[key] = len(index)
        src.append(i)
        kinds.append(code)
        starts.append(s)
        ends.append(e)
        values.append(v)
        offsets.append(off)
    return Columns(
        np.array(starts, dtype=np.int64),
        np.array(ends, dtype=np.int64),
        np.array(values, dtype=np.float64),
        np.array(kinds, dtype=np.int8),
        np.array(offsets, dtype=np.int32),
        np.array(src, dtype=np.int32),
        list(index),
    )


def columns_from_intervals(intervals: Iterable[Interval]) -> Columns:
    """Columns of :class:`Interval` records (other kinds are ignored)."""
    return columns_from_rows(
        (r.source_name, r.device_kind, r.kind, r.start_s, r.end_s, r.value, r.utc_offset_minutes)
        for r in intervals
    )


GroupResult = tuple[dict[str, float], float, list[tuple[float, float]]]


def merge_groups(
    cols: Columns,
    ranks: Sequence[tuple[int, int, str]],
    threshold_spm: float,
    dates: set[dt.date] | None,
    need_spans: set[dt.date],
) -> dict[tuple[str, dt.date], GroupResult]:
    """Merge columns per (kind, local day): kept value by source, walking seconds, spans.

    ``ranks[i]`` is the priority key of ``cols.sources[i]`` (smaller wins). Spans of walking
    segments (UTC seconds) are returned only for days in ``need_spans``.
    """
    if len(cols) == 0:
        return {}
    start = cols.start
    end = np.maximum(cols.end, start + 1)
    value = cols.value
    shift = cols.offset_min.astype(np.int64) * 60
    d0 = (start + shift) // 86400
    d1 = (end - 1 + shift) // 86400
    single = d0 == d1
    s_parts = [start[single]]
    e_parts = [end[single]]
    v_parts = [value[single]]
    k_parts = [cols.kind[single]]
    src_parts = [cols.source[single]]
    d_parts = [d0[single]]
    multi = np.nonzero(~single)[0]
    if len(multi):  # records crossing a local midnight: split and prorate (rare)
        ms, me, mv, mk, msrc, md = [], [], [], [], [], []
        for i in multi:
            s_i, e_i, sh = int(start[i]), int(end[i]), int(shift[i])
            length = e_i - s_i
            t = s_i
            while t < e_i:
                day_i = (t + sh) // 86400
                cut = min(e_i, (day_i + 1) * 86400 - sh)
                ms.append(t)
                me.append(cut)
                mv.append(float(value[i]) * (cut - t) / length)
                mk.append(int(cols.kind[i]))
                msrc.append(int(cols.source[i]))
                md.append(day_i)
                t = cut
        s_parts.append(np.array(ms, dtype=np.int64))
        e_parts.append(np.array(me, dtype=np.int64))
        v_parts.append(np.array(mv, dtype=np.float64))
        k_parts.append(np.array(mk, dtype=np.int8))
        src_parts.append(np.array(msrc, dtype=np.int32))
        d_parts.append(np.array(md, dtype=np.int64))
    s = np.concatenate(s_parts)
    e = np.concatenate(e_parts)
    v = np.concatenate(v_parts)
    k = np.concatenate(k_parts).astype(np.int64)
    day = np.concatenate(d_parts)
    src = np.concatenate(src_parts)
    if dates is not None:
        wanted = np.array(sorted((d - _EPOCH).days for d in dates), dtype=np.int64)
        keep = np.isin(day, wanted)
        s, e, v, k, day, src = s[keep], e[keep], v[keep], k[keep], day[keep], src[keep]
        if len(s) == 0:
            return {}
    # priority position of every source (0 = preferred)
    order = sorted(range(len(cols.sources)), key=lambda i: ranks[i])
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    pri = position[src]
    names = [cols.sources[i][0] for i in order]
    group_key = day * 2 + k
    keys, group = np.unique(group_key, return_inverse=True)
    origin = (keys // 2) * 86400 - 86400 - np.arange(len(keys)) * _SLOT_S
    # canonical order, so that float sums do not depend on the input order
    idx = np.lexsort((v, pri, e, s, group))
    s, e, v, pri, group = s[idx], e[idx], v[idx], pri[idx], group[idx]
    ts = (s - origin[group]).astype(np.float64)
    te = (e - origin[group]).astype(np.float64)
    rate = v / (te - ts)
    bounds = np.unique(np.concatenate([ts, te]))
    nb = len(bounds)
    si = np.searchsorted(bounds, ts)
    ei = np.searchsorted(bounds, te)
    seglen = np.diff(bounds)
    chosen = np.full(nb - 1, -1, dtype=np.int64)
    kept = np.zeros(nb - 1)
    for p in range(len(names)):
        m = pri == p
        if not m.any():
            continue
        cnt = np.cumsum(np.bincount(si[m], minlength=nb) - np.bincount(ei[m], minlength=nb))[:-1]
        dens = np.cumsum(
            np.bincount(si[m], weights=rate[m], minlength=nb)
            - np.bincount(ei[m], weights=rate[m], minlength=nb)
        )[:-1]
        take = (chosen < 0) & (cnt > 0)
        chosen[take] = p
        kept[take] = dens[take] * seglen[take]
    # cumulative sums leave rounding noise (~1e-14) where a source's records have ended; the
    # reference sweep has exactly 0 there (a source kept with nothing is then not listed)
    kept[np.abs(kept) < 1e-9] = 0.0
    has = chosen >= 0
    seg_group = (bounds[:-1] // _SLOT_S).astype(np.int64)
    nsrc = len(names)
    flat = seg_group[has] * nsrc + chosen[has]
    by = np.bincount(flat, weights=kept[has], minlength=len(keys) * nsrc)
    present = np.bincount(flat, minlength=len(keys) * nsrc) > 0
    is_steps = (keys % 2 == 0)[seg_group]
    # a relative tolerance: cumulative sums carry rounding noise of ~1e-16 per step
    walking = has & is_steps & (kept > 0) & (kept * 60.0 >= threshold_spm * seglen * (1 - 1e-9))
    walk_s = np.bincount(seg_group[walking], weights=seglen[walking], minlength=len(keys))
    out: dict[tuple[str, dt.date], GroupResult] = {}
    for g, key in enumerate(keys.tolist()):
        kind = KIND_NAMES[key % 2]
        date = _EPOCH + dt.timedelta(days=key // 2)
        row = g * nsrc
        by_source = {names[p]: float(by[row + p]) for p in range(nsrc) if present[row + p]}
        spans: list[tuple[float, float]] = []
        if kind == STEPS and date in need_spans:
            sel = walking & (seg_group == g)
            base = float(origin[g])
            spans = [
                (a + base, b + base)
                for a, b in zip(bounds[:-1][sel].tolist(), bounds[1:][sel].tolist(), strict=True)
            ]
        out[(kind, date)] = (by_source, float(walk_s[g]) if kind == STEPS else 0.0, spans)
    return out


def select(cols: Columns, which: npt.NDArray[np.bool_] | npt.NDArray[np.int64]) -> Columns:
    """Rows of ``cols`` chosen by a mask or an index array."""
    return Columns(
        cols.start[which],
        cols.end[which],
        cols.value[which],
        cols.kind[which],
        cols.offset_min[which],
        cols.source[which],
        cols.sources,
    )
