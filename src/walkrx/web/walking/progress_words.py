"""The progress page's week in words and its weekly counts: pure functions of plain data.

True and kind: what went well comes first, then what is next. Counts add up: the
weekly rows hold every walk of the weeks shown, no week before the program start is
shown, and "done N of M planned" is never said with N > M.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Summary:
    """The week in words: ``good`` first, then ``next``."""

    good: list[str] = field(default_factory=list)
    next: list[str] = field(default_factory=list)


def week_starts(first_week: dt.date, this_week: dt.date, most: int = 8) -> list[dt.date]:
    """Mondays from the program's first week (or ``most`` weeks back) to this week."""
    start = max(first_week, this_week - dt.timedelta(weeks=most - 1))
    n = (this_week - start).days // 7 + 1
    return [start + dt.timedelta(weeks=i) for i in range(max(n, 0))]


def week_rows(
    weekly: Mapping[dt.date, Mapping[str, Any]], weeks: Sequence[dt.date]
) -> list[dict[str, Any]]:
    """One row per week: walks done, planned (``None`` if no plan was made), minutes."""
    rows = []
    for w in weeks:
        entry = weekly.get(w, {})
        rows.append(
            {
                "week": w,
                "done": int(entry.get("walks", 0)),
                "planned": entry.get("planned"),
                "minutes": float(entry.get("minutes", 0.0)),
            }
        )
    return rows


def _minutes(x: float) -> str:
    """Minutes as people say them: whole minutes, or a half minute when under one."""
    value = round(x) if x >= 1 or x == 0 else round(x, 1)
    return f"{value:g} minute" + ("" if value == 1 else "s")


def _walks(n: int) -> str:
    return f"{n} walk" + ("" if n == 1 else "s")


def summarise(
    this: Mapping[str, Any],
    before: Mapping[str, Any] | None,
    pain_pairs: Sequence[tuple[int, int]],
    *,
    ever_walked: bool,
) -> Summary:
    """The week in words. ``this``/``before``: rows of :func:`week_rows`."""
    s = Summary()
    done, planned, minutes = this["done"], this.get("planned"), _minutes(this["minutes"])
    if planned and done >= planned:
        extra = f", and {done - planned} more" if done > planned else ""
        s.good.append(f"You have done all {_walks(planned)} planned this week{extra} ({minutes}).")
    elif done and planned:
        s.good.append(
            f"You have done {done} of the {_walks(planned)} planned this week ({minutes})."
        )
        s.next.append(f"{_walks(planned - done).capitalize()} left this week: see today's plan.")
    elif done:
        s.good.append(f"You have done {_walks(done)} this week ({minutes}).")
    elif planned:
        s.next.append(
            f"{_walks(planned).capitalize()} planned this week; the first one is on today's page."
        )
    more = before is not None and round(this["minutes"]) > round(before["minutes"])
    if before is not None and done and more:
        prev = f" ({_minutes(before['minutes'])})" if before["minutes"] >= 0.5 else ""
        s.good.append(f"That is more than last week{prev}.")
    if pain_pairs:
        eased = sum(1 for b, a in pain_pairs if a < b)
        steady = sum(1 for b, a in pain_pairs if a == b)
        rose = len(pain_pairs) - eased - steady
        if eased:
            s.good.append(f"Pain eased during {eased} of your last {_walks(len(pain_pairs))}.")
        elif steady:
            s.good.append(
                f"Pain stayed the same during {steady} of your last {_walks(len(pain_pairs))}."
            )
        if rose:
            s.next.append(
                f"Pain was higher after {rose} of your last {_walks(len(pain_pairs))}: your plan "
                "takes this into account, and today's page says what to do."
            )
    if not ever_walked:
        s.next.append("Your first walk is the biggest step. Today's page shows how long it is.")
    elif not s.good:
        s.good.append("Every walk you have logged counts, and your plan builds on them.")
    return s
