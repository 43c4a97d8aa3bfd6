"""WalkBack's six sessions over six months as the default coaching schedule."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from walkrx.program.coaching import add_months, default_schedule, next_session

START = date(2026, 1, 31)


def test_default_schedule_is_six_sessions_over_six_months() -> None:
    sched = default_schedule(date(2026, 1, 15))
    assert [d for d, _ in sched] == [
        date(2026, 1, 15),
        date(2026, 2, 15),
        date(2026, 3, 15),
        date(2026, 4, 15),
        date(2026, 5, 15),
        date(2026, 7, 15),
    ]
    kinds = [k for _, k in sched]
    assert kinds.count("phone") == 3 and kinds[0] == "first-assessment"
    assert [k for k in kinds if k != "phone"] == ["first-assessment", "follow-up", "follow-up"]


def test_month_ends_are_clamped() -> None:
    assert add_months(START, 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


@pytest.mark.parametrize(
    ("held", "today", "status", "due"),
    [
        (0, date(2026, 1, 31), "due", date(2026, 1, 31)),
        (0, date(2026, 2, 1), "overdue", date(2026, 1, 31)),
        (1, date(2026, 2, 10), "planned", date(2026, 2, 28)),
        (1, date(2026, 2, 21), "due", date(2026, 2, 28)),
        (6, date(2026, 9, 1), "complete", None),
    ],
)
def test_next_session_status(held: int, today: date, status: str, due: date | None) -> None:
    nxt = next_session(START, held, today)
    assert (nxt.status, nxt.due, nxt.number) == (status, due, held + 1)


def test_an_agreed_date_replaces_the_default() -> None:
    nxt = next_session(START, 2, date(2026, 3, 1), agreed_next=date(2026, 3, 20))
    assert nxt.due == date(2026, 3, 20) and nxt.agreed and nxt.kind == "phone"
    after_six = next_session(START, 6, date(2026, 9, 1), agreed_next=date(2026, 9, 5))
    assert after_six.status == "due" and after_six.kind == "follow-up"


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), st.integers(0, 30))
def test_add_months_stays_in_the_target_month(day: date, months: int) -> None:
    out = add_months(day, months)
    assert (out.year * 12 + out.month) - (day.year * 12 + day.month) == months
    assert out.day <= day.day
