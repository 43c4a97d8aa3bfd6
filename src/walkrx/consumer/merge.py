"""Merge overlapping consumer sources (an iPhone and an Apple Watch ...) into daily totals.

The rule is the Health app's: never summed, never "max per day", never a whole source dropped.

1. Each record is split at the local midnights of its OWN UTC offset, its value prorated by time
   (a record is assumed uniform over its interval). A zero-length record is given one second.
2. Per kind (steps, distance) and local date, the records' start and end instants cut the day
   into elementary segments. In each segment the highest-priority source that has a record
   covering it is kept; its records' values are prorated to the segment; every other source is
   ignored *for that segment only*. Where the preferred source has no data (the watch was off),
   the next source's data are kept.
3. Priority (:class:`MergePolicy`): explicit source names first, in the order given; then by
   device kind (default ``watch > tracker > phone > app > manual > unknown``, as the Health app
   puts a watch above the phone); ties by source name, so the result never depends on input order.

``steps_by_source`` holds what each source *contributed* to the merged total (they sum to
``steps``, rounded by largest remainder).

**Walking minutes** (``walk_min``, rule ``consumer-cadence60-v1``): the union, per local day, of
(a) the time of walking/hiking workouts and (b) the merged step segments whose step rate is at
least ``walking_cadence_spm`` (default 60 steps/min, the lower bound of purposeful walking in the
cadence bands of Tudor-Locke et al. 2018). Consumer step records are coarse (an iPhone record can
span several minutes that mix walking and standing), so this is an estimate of time spent walking,
not an accelerometer measurement; slower segments count as incidental steps, not walking time.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .columns import Columns, columns_from_intervals, merge_groups
from .records import DEVICE_KINDS, DISTANCE, STEPS, WALKING_ACTIVITIES, Interval, Workout

WALK_MIN_RULE = "consumer-cadence60-v1"
_EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class MergePolicy:
    """Source priority for merging; earlier wins. Immutable and hashable."""

    source_order: tuple[str, ...] = ()
    kind_order: tuple[str, ...] = DEVICE_KINDS
    walking_cadence_spm: float = 60.0

    def rank(self, source_name: str, device_kind: str) -> tuple[int, int, str]:
        """Sort key of a source: smaller is preferred."""
        if source_name in self.source_order:
            return (0, self.source_order.index(source_name), "")
        kinds = self.kind_order
        return (1, kinds.index(device_kind) if device_kind in kinds else len(kinds), source_name)


@dataclass(frozen=True, slots=True)
class Segment:
    """An elementary segment kept from one source: ``value`` over ``[start_s, end_s)``."""

    start_s: float
    end_s: float
    source_name: str
    value: float

    @property
    def rate_per_min(self) -> float:
        """Value per minute over the segment."""
        return self.value * 60.0 / (self.end_s - self.start_s)


@dataclass
class DayTotals:
    """Merged totals of one local day."""

    date: dt.date
    steps: int | None = None
    distance_m: float | None = None
    walk_min: float | None = None
    steps_by_source: dict[str, int] = field(default_factory=dict)
    workouts: int = 0

    def as_dict(self) -> dict[str, object]:
        """Plain dict (for JSON)."""
        return {
            "date": self.date.isoformat(),
            "steps": self.steps,
            "walk_min": self.walk_min,
            "distance_m": self.distance_m,
            "steps_by_source": dict(self.steps_by_source),
        }


# A piece of a record inside one local day: (start, end, rank, source, value).
_Piece = tuple[float, float, tuple[int, int, str], str, float]


def _day_of(seconds: float, offset_min: int) -> dt.date:
    return _EPOCH + dt.timedelta(days=int((seconds + offset_min * 60) // 86400))


def split_by_local_day(
    start: float, end: float, offset_min: int
) -> list[tuple[dt.date, float, float]]:
    """Cut ``[start, end)`` at local midnights of ``offset_min``; return ``(date, start, end)``."""
    if end <= start:
        end = start + 1.0
    out = []
    shift = offset_min * 60
    s = start
    while s < end:
        day_index = (s + shift) // 86400
        midnight = (day_index + 1) * 86400 - shift
        e = min(end, midnight)
        out.append((_EPOCH + dt.timedelta(days=int(day_index)), s, e))
        s = e
    return out


def sweep(pieces: list[_Piece]) -> list[Segment]:
    """Keep, in every elementary segment, the highest-priority source's prorated values."""
    if not pieces:
        return []
    pieces = sorted(pieces, key=lambda p: (p[0], p[1], p[2], p[4]))
    events: list[tuple[float, int, int]] = []
    for i, (s, e, _rank, _src, _v) in enumerate(pieces):
        events.append((s, 1, i))
        events.append((e, -1, i))
    events.sort(key=lambda ev: ev[0])
    density: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    ranks: dict[str, tuple[int, int, str]] = {}
    out: list[Segment] = []
    n = len(events)
    k = 0
    while k < n:
        t = events[k][0]
        while k < n and events[k][0] == t:
            _, sign, i = events[k]
            s, e, rank, src, v = pieces[i]
            ranks[src] = rank
            count[src] += sign
            if count[src] == 0:
                density[src] = 0.0
            else:
                density[src] += sign * v / (e - s)
            k += 1
        if k >= n:
            break
        t_next = events[k][0]
        active = [src for src, c in count.items() if c > 0]
        if not active or t_next <= t:
            continue
        best = min(active, key=lambda src: ranks[src])
        value = density[best] * (t_next - t)
        if (
            out
            and out[-1].source_name == best
            and out[-1].end_s == t
            and _same_rate(out[-1], value, t, t_next)
        ):
            last = out[-1]
            out[-1] = Segment(last.start_s, t_next, best, last.value + value)
        else:
            out.append(Segment(t, t_next, best, value))
    return out


def _same_rate(seg: Segment, value: float, t: float, t_next: float) -> bool:
    a = seg.value / (seg.end_s - seg.start_s)
    b = value / (t_next - t)
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def merge_segments(
    intervals: Iterable[Interval], kind: str = STEPS, policy: MergePolicy | None = None
) -> list[Segment]:
    """Merged segments of one kind over all time (no day split); for analysis and tests."""
    policy = policy or MergePolicy()
    pieces: list[_Piece] = []
    for r in intervals:
        if r.kind != kind:
            continue
        end = r.end_s if r.end_s > r.start_s else r.start_s + 1
        pieces.append(
            (
                float(r.start_s),
                float(end),
                policy.rank(r.source_name, r.device_kind),
                r.source_name,
                r.value,
            )
        )
    return sweep(pieces)


def _largest_remainder(values: dict[str, float], total: int) -> dict[str, int]:
    floors = {k: int(v // 1) for k, v in values.items()}
    rest = total - sum(floors.values())
    order = sorted(values, key=lambda k: (-(values[k] - floors[k]), k))
    for k in order[: max(0, rest)]:
        floors[k] += 1
    return {k: v for k, v in sorted(floors.items()) if v > 0 or values[k] > 0}


def _union_minutes(spans: list[tuple[float, float]]) -> float:
    total = 0.0
    cur_s = cur_e = None
    for s, e in sorted(spans):
        if cur_e is None or s > cur_e:
            if cur_e is not None and cur_s is not None:
                total += cur_e - cur_s
            cur_s, cur_e = s, e
        else:
            cur_e = max(cur_e, e)
    if cur_e is not None and cur_s is not None:
        total += cur_e - cur_s
    return total / 60.0


_GroupResult = tuple[dict[str, float], float, list[tuple[float, float]]]


def _groups_python(
    groups: dict[tuple[str, dt.date], list[_Piece]], threshold: float, need_spans: set[dt.date]
) -> dict[tuple[str, dt.date], _GroupResult]:
    """Reference engine: :func:`sweep` per (kind, day)."""
    out: dict[tuple[str, dt.date], _GroupResult] = {}
    for (kind, day), pieces in groups.items():
        by_source: dict[str, float] = defaultdict(float)
        walk_s = 0.0
        spans: list[tuple[float, float]] = []
        for seg in sweep(pieces):
            by_source[seg.source_name] += seg.value
            length = seg.end_s - seg.start_s
            if (
                kind == STEPS
                and seg.value > 0
                and seg.value * 60.0 >= threshold * length * (1 - 1e-9)
            ):
                walk_s += length
                if day in need_spans:
                    spans.append((seg.start_s, seg.end_s))
        out[(kind, day)] = (dict(by_source), walk_s, spans)
    return out


def _workout_spans(
    workouts: Iterable[Workout], dates: set[dt.date] | None
) -> tuple[dict[dt.date, list[tuple[float, float]]], dict[dt.date, int]]:
    walk_spans: dict[dt.date, list[tuple[float, float]]] = defaultdict(list)
    workout_count: dict[dt.date, int] = defaultdict(int)
    for w in workouts:
        if w.activity not in WALKING_ACTIVITIES:
            continue
        first = True
        for day, s, e in split_by_local_day(w.start_s, w.end_s, w.utc_offset_minutes):
            if dates is not None and day not in dates:
                continue
            walk_spans[day].append((s, e))
            if first:
                workout_count[day] += 1
                first = False
    return walk_spans, workout_count


def _assemble(
    results: dict[tuple[str, dt.date], _GroupResult],
    walk_spans: dict[dt.date, list[tuple[float, float]]],
    workout_count: dict[dt.date, int],
) -> dict[dt.date, DayTotals]:
    days: dict[dt.date, DayTotals] = {}

    def day_of(d: dt.date) -> DayTotals:
        if d not in days:
            days[d] = DayTotals(d)
        return days[d]

    walk_seconds: dict[dt.date, float] = defaultdict(float)
    for (kind, day), (by_source, walk_s, spans) in results.items():
        totals = day_of(day)
        if kind == STEPS:
            total = round(sum(by_source.values()))
            totals.steps = total
            totals.steps_by_source = _largest_remainder(by_source, total)
            walk_seconds[day] += walk_s
            if day in walk_spans:
                walk_spans[day].extend(spans)
        else:
            totals.distance_m = round(sum(by_source.values()), 1)
    for day, spans in walk_spans.items():
        totals = day_of(day)
        totals.walk_min = round(_union_minutes(spans), 2)
        totals.workouts = workout_count.get(day, 0)
    for day, seconds in walk_seconds.items():
        totals = day_of(day)
        if totals.walk_min is None:
            totals.walk_min = round(seconds / 60.0, 2)
    return dict(sorted(days.items()))


def merge_columns_days(
    cols: Columns,
    workouts: Iterable[Workout] = (),
    policy: MergePolicy | None = None,
    dates: set[dt.date] | None = None,
) -> dict[dt.date, DayTotals]:
    """:func:`merge_days` over columns (the fast path used by the importer)."""
    policy = policy or MergePolicy()
    walk_spans, workout_count = _workout_spans(workouts, dates)
    ranks = [policy.rank(name, kind) for name, kind in cols.sources]
    results = merge_groups(cols, ranks, policy.walking_cadence_spm, dates, set(walk_spans))
    return _assemble(results, walk_spans, workout_count)


def merge_days(
    intervals: Iterable[Interval],
    workouts: Iterable[Workout] = (),
    policy: MergePolicy | None = None,
    dates: set[dt.date] | None = None,
    engine: str = "numpy",
) -> dict[dt.date, DayTotals]:
    """Merge records into per-local-day totals (see the module docstring for the rules).

    ``dates`` restricts the output to those local dates (records are still split correctly).
    ``engine``: ``"numpy"`` (vectorised, :mod:`walkrx.consumer.columns`, default) or
    ``"python"`` (the reference :func:`sweep`); the tests check that they agree.
    """
    policy = policy or MergePolicy()
    if engine == "numpy":
        return merge_columns_days(columns_from_intervals(intervals), workouts, policy, dates)
    groups: dict[tuple[str, dt.date], list[_Piece]] = defaultdict(list)
    for r in intervals:
        if r.kind not in (STEPS, DISTANCE):
            continue
        rank = policy.rank(r.source_name, r.device_kind)
        length = max(1, r.end_s - r.start_s)
        for day, s, e in split_by_local_day(r.start_s, r.end_s, r.utc_offset_minutes):
            if dates is not None and day not in dates:
                continue
            groups[(r.kind, day)].append((s, e, rank, r.source_name, r.value * (e - s) / length))
    walk_spans, workout_count = _workout_spans(workouts, dates)
    results = _groups_python(groups, policy.walking_cadence_spm, set(walk_spans))
    return _assemble(results, walk_spans, workout_count)
