"""Which days of the week to walk: spread out, within the walker's preferred days."""

from __future__ import annotations

from datetime import date, timedelta

__all__ = ["available_weekdays", "pick_weekdays", "session_dates"]


def available_weekdays(preferred: tuple[int, ...]) -> tuple[int, ...]:
    """The walker's preferred weekdays (0 = Monday), sorted, or all seven when none given."""
    days = tuple(sorted({d for d in preferred if 0 <= d <= 6}))
    return days or tuple(range(7))


def pick_weekdays(n: int, preferred: tuple[int, ...]) -> tuple[int, ...]:
    """Pick ``n`` weekdays spread evenly over the available ones (fewer if fewer available)."""
    avail = available_weekdays(preferred)
    n = max(0, min(n, len(avail)))
    return tuple(avail[(i * len(avail)) // n] for i in range(n)) if n else ()


def session_dates(week_start: date, n: int, preferred: tuple[int, ...]) -> tuple[date, ...]:
    """Dates in the week of ``week_start`` (a Monday) for ``n`` sessions."""
    return tuple(week_start + timedelta(days=d) for d in pick_weekdays(n, preferred))
