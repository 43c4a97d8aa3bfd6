"""Recurrence of activity-limiting pain: WalkBack's main outcome (EVIDENCE §2).

A check-in answer "a new episode of activity-limiting pain" (``CheckIn.recurrence``)
starts a recurrence record: its date and the days since the program start. Reports
within 28 days of the previous report belong to the same episode (walkrx's choice:
a weekly check-in asks again while the episode lasts); a report after 28 days or more
without one starts a new record.

``days_free_of_recurrence`` is measured the way WalkBack measured its outcome: days
from the program start to the first recurrence, or to ``today`` when none has
happened (then it is still growing, ``censored``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from walkrx.program.models import History, Profile

__all__ = ["SAME_EPISODE_DAYS", "recurrence_summary"]

SAME_EPISODE_DAYS = 28


def recurrence_summary(profile: Profile, history: History, today: date) -> dict[str, Any]:
    """Recurrence records and days free of recurrence as of ``today`` (JSON-able)."""
    start = profile.program_start
    reports = sorted(
        {c.date for c in history.checkins if c.recurrence and start <= c.date <= today}
    )
    records: list[dict[str, Any]] = []
    last: date | None = None
    for d in reports:
        if last is None or (d - last).days >= SAME_EPISODE_DAYS:
            records.append({"date": d.isoformat(), "days_since_start": (d - start).days})
        last = d
    first = date.fromisoformat(records[0]["date"]) if records else None
    free_until = first if first is not None else today
    return {
        "program_start": start.isoformat(),
        "recurrences": records,
        "days_free_of_recurrence": max(0, (free_until - start).days),
        "censored": first is None,
    }
