"""Merged days: re-merge the local dates an import touched and upsert the imported daily rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence

from walkrx.consumer.batch import NAME_MAX
from walkrx.consumer.columns import Columns, select
from walkrx.consumer.merge import DayTotals, MergePolicy, merge_columns_days
from walkrx.consumer.records import Workout
from walkrx.web.walking.models import DailyActivity, Walker

from .parse import MAX_RECORD_S
from .store import load_workouts, stored_batch
from .summary import ImportSummary

WINDOW_DAYS = 31
ZONE_MARGIN_S = 14 * 3600  # UTC offsets lie within +-14 h
_FIELDS = ("steps", "walk_min", "distance_m", "steps_by_source")


def walker_policy(walker: Walker) -> MergePolicy:
    """Merge policy of a walker: ``preferences["source_priority"]`` names sources first."""
    prefs = walker.preferences if isinstance(walker.preferences, dict) else {}
    order = prefs.get("source_priority") or ()
    return MergePolicy(source_order=tuple(str(x) for x in order))


def _epoch_of(d: dt.date) -> int:
    return (d - dt.date(1970, 1, 1)).days * 86400


def _windows(dates: Iterable[dt.date]) -> Iterator[list[dt.date]]:
    current: list[dt.date] = []
    for d in sorted(dates):
        if current and (d - current[0]).days >= WINDOW_DAYS:
            yield current
            current = []
        current.append(d)
    if current:
        yield current


def recompute_days(
    walker: Walker,
    dates: Iterable[dt.date],
    summary: ImportSummary | None = None,
    note: str = "",
    stored: Columns | None = None,
) -> None:
    """Re-merge the given local dates from stored records and upsert imported daily rows.

    ``stored``: the walker's step/distance records (at least those of these dates), already in
    memory (the import has them); else they are read from the store. Workouts are read from
    the database.
    """
    dates = sorted(set(dates))
    if not dates:
        return
    upsert_days(walker, dates, merge_days(walker, dates, stored), summary, note)


def merge_days(
    walker: Walker,
    dates: list[dt.date],
    stored: Columns | None = None,
    extra_workouts: Sequence[Workout] = (),
) -> dict[dt.date, DayTotals]:
    """The merged totals of ``dates`` (sorted, not empty); nothing is written.

    ``extra_workouts``: workouts of files not stored yet (an import merges before its
    transaction opens), each kept unless an equal one is stored or came first.
    """
    if stored is None:
        lo = _epoch_of(dates[0]) - ZONE_MARGIN_S
        hi = _epoch_of(dates[-1] + dt.timedelta(days=1)) + ZONE_MARGIN_S
        stored = stored_batch(walker.pk, lo, hi).columns()
    policy = walker_policy(walker)
    days: dict[dt.date, DayTotals] = {}
    lo = _epoch_of(dates[0]) - ZONE_MARGIN_S
    hi = _epoch_of(dates[-1] + dt.timedelta(days=1)) + ZONE_MARGIN_S
    workouts = load_workouts(walker.id, lo, hi)
    seen = {(w.source_name, w.start_s, w.end_s) for w in workouts}
    for w in extra_workouts:
        key = (w.source_name[:NAME_MAX], w.start_s, w.end_s)
        if key not in seen:
            seen.add(key)
            workouts.append(w)
    for window in _windows(dates):
        lo = _epoch_of(window[0]) - ZONE_MARGIN_S
        hi = _epoch_of(window[-1] + dt.timedelta(days=1)) + ZONE_MARGIN_S
        mask = (stored.start >= lo - MAX_RECORD_S) & (stored.start < hi) & (stored.end > lo)
        near = [w for w in workouts if w.start_s < hi and w.end_s > lo]
        days.update(merge_columns_days(select(stored, mask), near, policy, dates=set(window)))
    return days


def upsert_days(
    walker: Walker,
    window: list[dt.date],
    days: dict[dt.date, DayTotals],
    summary: ImportSummary | None,
    note: str,
) -> None:
    """Add or update the imported daily rows of ``days`` (inside the import's transaction)."""
    existing = {
        row.date: row
        for row in DailyActivity.objects.filter(
            walker=walker, origin="imported", date__gte=window[0], date__lte=window[-1]
        )
    }
    new_rows = []
    changed = []
    for day, totals in days.items():
        values = {k: getattr(totals, k) for k in _FIELDS}
        row = existing.get(day)
        if row is None:
            new_rows.append(
                DailyActivity(
                    walker=walker, date=day, origin="imported", source_file=note[:255], **values
                )
            )
            if summary is not None:
                summary.days_added.append(day)
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            row.source_file = note[:255]
            row.updated_at = dt.datetime.now(dt.UTC)  # bulk_update does not apply auto_now
            changed.append(row)
            if summary is not None:
                summary.days_updated.append(day)
        elif summary is not None:
            summary.days_unchanged.append(day)
    DailyActivity.objects.bulk_create(new_rows, batch_size=500)
    if changed:
        DailyActivity.objects.bulk_update(
            changed, [*_FIELDS, "source_file", "updated_at"], batch_size=500
        )
