"""The walker's iCalendar feed: this week's and next week's planned walks, from the engine.

The plans come from the walking services (``state_with_plan`` / ``plan_for``), which keep
each week's :class:`PlanSnapshot` and bump its ``sequence`` when the plan changes. The
ledger (:class:`CalendarEntry`) remembers what the feed published, so a walk that a pause
or a plan change removed is sent once more as ``STATUS:CANCELLED``.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from walkrx import safety
from walkrx.interop import ical
from walkrx.program.models import Session
from walkrx.timeutil import local_date, monday_of
from walkrx.web.walking import services
from walkrx.web.walking.models import PlanSnapshot, Walker

from ..models import CalendarEntry
from ._safety import recorded_fold

PAUSED_SUMMARY = "walkrx paused: see the app"


def _uid(walker: Walker, what: str) -> str:
    who = hashlib.sha256(f"walkrx-walker:{walker.pk}:{walker.name}".encode()).hexdigest()[:16]
    return f"{what}-{who}@walkrx"


def reminder_minutes(walker: Walker) -> int | None:
    """The walker's ``reminder_minutes`` preference; absent or ``None`` means no alarm.

    Absent and ``None`` are the same on purpose: ``change_settings`` does not store a
    ``None`` over an absent key, so a default reminder could never be turned off.
    """
    value = (walker.preferences or {}).get("reminder_minutes")
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return None


def _walk_item(
    walker: Walker, s: Session, sequence: int, pain_limit: int, at: dt.time
) -> ical.CalendarItem:
    bouts = " + ".join(str(b) for b in s.bout_minutes)
    how = f" in {s.bouts} bouts ({bouts} min)" if s.bouts > 1 else ""
    return ical.CalendarItem(
        uid=_uid(walker, f"walk-{s.date:%Y%m%d}"),
        day=s.date,
        summary=f"Walk {s.minutes} min",
        description=(
            f"Walk {s.minutes} minutes{how}, {s.terrain}, {s.mode}. "
            f"Stop if pain goes above {pain_limit}/10. {safety.NOT_A_DIAGNOSIS}"
        ),
        sequence=sequence,
        minutes=s.minutes,
        at=at,
    )


def _ledger(walker: Walker, first_week: dt.date) -> list[CalendarEntry]:
    return list(
        CalendarEntry.objects.filter(walker=walker).filter(
            Q(week_start__gte=first_week) | Q(uid__startswith="paused-", cancelled=False)
        )
    )


def _as_item(e: CalendarEntry) -> ical.CalendarItem:
    return ical.CalendarItem(
        uid=e.uid,
        day=e.day,
        summary=e.summary,
        description=e.description,
        sequence=e.sequence,
        minutes=e.minutes,
        at=e.at,
        days=e.days,
        cancelled=e.cancelled,
    )


@transaction.atomic
def calendar_items(walker: Walker, today: dt.date | None = None) -> list[ical.CalendarItem]:
    """The feed's events for the week of ``today`` and the next, recorded in the ledger."""
    walker = Walker.objects.select_for_update().get(pk=walker.pk)
    today = max(today or services.local_today(walker.tz), walker.start_date)
    this_week = monday_of(today)
    next_week = this_week + dt.timedelta(days=7)
    state = services.state_with_plan(walker, today)
    plans = [state.plan, services.plan_for(walker, next_week)]
    sequences = dict(
        PlanSnapshot.objects.filter(
            walker=walker, week_start__in=[this_week, next_week]
        ).values_list("week_start", "sequence")
    )
    at = ical.parse_preferred_time((walker.preferences or {}).get("preferred_time"))
    planned = [
        _walk_item(walker, s, sequences.get(plan.week_start, 0), plan.pain_limit, at)
        for plan in plans
        for s in plan.sessions
    ]
    if state.status in ("paused", "escalated"):
        since = _pause_start(walker) or today
        start = max(since, this_week)
        planned.append(
            ical.CalendarItem(
                uid=_uid(walker, f"paused-{since:%Y%m%d}"),
                day=start,
                summary=PAUSED_SUMMARY,
                description=" ".join(state.advice),
                sequence=sequences.get(this_week, 0),
                minutes=None,
                days=(next_week + dt.timedelta(days=7) - start).days,
            )
        )
    items = ical.reconcile([_as_item(e) for e in _ledger(walker, this_week)], planned)
    for item in items:
        CalendarEntry.objects.update_or_create(
            walker=walker,
            uid=item.uid,
            defaults={
                "week_start": monday_of(item.day),
                "day": item.day,
                "minutes": item.minutes,
                "at": item.at,
                "days": item.days,
                "summary": item.summary,
                "description": item.description,
                "sequence": item.sequence,
                "cancelled": item.cancelled,
            },
        )
    return items


def _pause_start(walker: Walker) -> dt.date | None:
    """The local date the open pause began, as the safety engine folds the log."""
    state = recorded_fold(walker)
    since = state.paused_since or state.escalated_since
    return None if since is None else local_date(since, walker.tz)


def calendar_feed(walker: Walker, today: dt.date | None = None) -> bytes:
    """The walker's feed as an iCalendar file (RFC 5545)."""
    items = calendar_items(walker, today)
    prefs = walker.preferences or {}
    return ical.build_calendar(
        items,
        tz=walker.tz,
        preferred_time=ical.parse_preferred_time(prefs.get("preferred_time")),
        reminder_minutes=reminder_minutes(walker),
        dtstamp=timezone.now(),
        name=f"walkrx walks ({walker.display_name or walker.name})",
    )
