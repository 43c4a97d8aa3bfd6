"""The coaching schedule beside the walking plan: WalkBack's six sessions over six months.

WalkBack (Pocovi 2024; EVIDENCE §2, ``walkback-goal``) paired the walking plan with six
physiotherapist sessions over six months: three face to face at the start, 1 month and
3 months, and three by telephone. The trial's text does not give the telephone dates
here; walkrx places them at 2, 4 and 6 months (its choice, spreading the calls over the
months without a visit). A clinician may agree another date at each session: an agreed
next date replaces the default one.

Status of the next session on ``today``: ``overdue`` (its date has passed), ``due``
(within ``DUE_WITHIN_DAYS``), ``planned`` (later), ``complete`` (all six held and no
agreed next date). Pure: no clock, no I/O.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

__all__ = [
    "DUE_WITHIN_DAYS",
    "WALKBACK_SCHEDULE",
    "NextSession",
    "SessionKind",
    "add_months",
    "default_schedule",
    "next_session",
]

SessionKind = Literal["first-assessment", "follow-up", "phone"]
ScheduleStatus = Literal["overdue", "due", "planned", "complete"]

#: (months after the start, kind): three face to face (0, 1, 3) and three calls.
WALKBACK_SCHEDULE: tuple[tuple[int, SessionKind], ...] = (
    (0, "first-assessment"),
    (1, "follow-up"),
    (2, "phone"),
    (3, "follow-up"),
    (4, "phone"),
    (6, "phone"),
)
#: A session this close (days) is shown as due.
DUE_WITHIN_DAYS = 7


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_schedule(start: date) -> tuple[tuple[date, SessionKind], ...]:
    """The six default session dates from ``start`` (the day the walker was linked)."""
    return tuple((add_months(start, months), kind) for months, kind in WALKBACK_SCHEDULE)


@dataclass(frozen=True)
class NextSession:
    """The next session: its number (1-6, or more), date, kind and status."""

    number: int
    due: date | None
    kind: SessionKind | None
    status: ScheduleStatus
    agreed: bool = False

    def days_from(self, today: date) -> int | None:
        """Days until the session (negative: overdue)."""
        return None if self.due is None else (self.due - today).days


def next_session(
    start: date, held: int, today: date, agreed_next: date | None = None
) -> NextSession:
    """The next session after ``held`` sessions, with its status on ``today``."""
    schedule = default_schedule(start)
    number = held + 1
    kind: SessionKind | None = schedule[held][1] if held < len(schedule) else None
    if agreed_next is not None:
        due: date | None = agreed_next
        agreed = True
        kind = kind or "follow-up"
    elif held < len(schedule):
        due, agreed = schedule[held][0], False
    else:
        return NextSession(number, None, None, "complete")
    assert due is not None
    status: ScheduleStatus
    if due < today:
        status = "overdue"
    elif due <= today + timedelta(days=DUE_WITHIN_DAYS):
        status = "due"
    else:
        status = "planned"
    return NextSession(number, due, kind, status, agreed)


def held_dates(dates: Sequence[date]) -> int:
    """How many sessions were held (distinct dates)."""
    return len(set(dates))
