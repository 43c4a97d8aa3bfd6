"""Walks: log a walk, what the pain rules say about it, and measured days from sensors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from walkrx import safety
from walkrx.safety.pain import PAIN_FEEDBACK
from walkrx.timeutil import local_date

from ..models import DailyActivity, Walk, Walker
from ._common import ServiceError, WalkerPaused, _validate, local_today
from .profile import get_walker
from .state import current_state


@dataclass
class WalkOutcome:
    """A logged walk and what the pain rules say about it."""

    walk: Walk
    feedback: list[str] = field(default_factory=list)
    stop: bool = False
    sources: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        w = self.walk
        return {
            "id": w.pk,
            "date": w.local_date.isoformat(),
            "start_utc": w.start_utc.isoformat(),
            "minutes": w.minutes,
            "steps": w.steps,
            "pain_before": w.pain_before,
            "pain_max": w.pain_max,
            "pain_after": w.pain_after,
            "terrain": w.terrain,
            "feedback": self.feedback,
            "stop": self.stop,
            "sources": self.sources,
        }


@transaction.atomic
def log_walk(
    walker: Walker,
    *,
    local_date: dt.date,
    minutes: float,
    start_time: dt.time | None = None,
    steps: int | None = None,
    distance_m: float | None = None,
    pain_before: int | None = None,
    pain_max: int | None = None,
    pain_after: int | None = None,
    terrain: str = "flat",
    talk_test: str = "",
    notes: str = "",
    source: str = "manual",
) -> WalkOutcome:
    """Record a walk. Refused while the walker is paused or escalated for safety."""
    walker = Walker.objects.select_for_update().get(pk=walker.pk)
    today = local_today(walker.tz)
    if local_date > today:
        raise ServiceError(
            f"walk date {local_date.isoformat()} is in the future (today is {today.isoformat()} "
            f"in {walker.tz}); log walks after they happen"
        )
    state = current_state(walker, today)
    if state.status in ("paused", "escalated"):
        raise WalkerPaused(
            f"{walker.name}'s walking program is {state.status} for safety"
            f"{' (' + state.urgency + ')' if state.urgency else ''}; "
            "walks can be logged again after a clinician's clearance (walkrx clear) or, "
            "without a clinician, the walker's own review (walkrx review)"
        )
    if state.status == "unscreened":
        raise WalkerPaused(
            f"{walker.name} has not answered the red-flag questions yet: "
            f"run 'walkrx screen {walker.name}' first"
        )
    zone = ZoneInfo(walker.tz)
    start_local = dt.datetime.combine(local_date, start_time or dt.time(12, 0)).replace(tzinfo=zone)
    # A wall time that does not exist (spring-forward gap) is moved forward by zoneinfo's rules;
    # the instant is then normalised to UTC and its local date re-derived from it.
    start_utc = start_local.astimezone(dt.UTC)
    walk = Walk(
        walker=walker,
        start_utc=start_utc,
        tz=walker.tz,
        local_date=_local_date(start_utc, walker.tz),
        minutes=minutes,
        steps=steps,
        distance_m=distance_m,
        pain_before=pain_before,
        pain_max=pain_max,
        pain_after=pain_after,
        terrain=terrain,
        talk_test=talk_test,
        notes=notes,
        source=source,
    )
    _validate(walk)
    walk.save()
    feedback = _walk_feedback(walker, walk)
    return feedback


def _local_date(instant: dt.datetime, tz: str) -> dt.date:
    return local_date(instant, tz)


def pain_limit(walker: Walker) -> int:
    """The walker's pain limit: the one set for them, else the engine's default."""
    return walker.pain_limit if walker.pain_limit is not None else safety.DEFAULT_PAIN_LIMIT


def _walk_feedback(walker: Walker, walk: Walk) -> WalkOutcome:
    """What the engine's pain rules say about a walk that was just logged."""
    limit = pain_limit(walker)
    verdict = safety.pain_verdict(walk.pain_before, walk.pain_after, walk.pain_max, limit)
    lines = safety.walk_feedback(walk.pain_before, walk.pain_max, walk.pain_after, limit)
    stop = verdict in ("scale-back", "stop-limit")
    return WalkOutcome(
        walk=walk, feedback=list(lines), stop=stop, sources=[PAIN_FEEDBACK[verdict][1]]
    )


def walk_feedback(walker: Walker, walk: Walk) -> WalkOutcome:
    """What the pain rules say about a stored walk (the same text as when it was logged)."""
    return _walk_feedback(walker, walk)


@transaction.atomic
def store_measured_days(
    walker_name: str, days: Iterable[Mapping[str, Any]], source_file: str = ""
) -> dict[str, int]:
    """Store per-day results of a sensor measurement as the walker's measured walking.

    ``days`` are rows with ``date`` (ISO string or date), ``walk_min``, ``steps``,
    ``mean_met``, ``wear_min``, ``valid_day``. A later measurement of the same day
    replaces the earlier one. Returns counts of days added, updated and unchanged.
    """
    walker = get_walker(walker_name)
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    for row in days:
        day = row["date"]
        if isinstance(day, str):
            try:
                day = dt.date.fromisoformat(day)
            except ValueError:
                raise ServiceError(f"{source_file or 'measurement'}: bad date {day!r}") from None
        values = {
            "steps": _opt_int(row.get("steps")),
            "walk_min": _opt_float(row.get("walk_min")),
            "mean_met": _opt_float(row.get("mean_met")),
            "wear_min": _opt_float(row.get("wear_min")),
            "valid_day": None if row.get("valid_day") is None else bool(row.get("valid_day")),
            "source_file": source_file[:255],
        }
        existing = DailyActivity.objects.filter(walker=walker, date=day, origin="measured").first()
        if existing is None:
            DailyActivity.objects.create(walker=walker, date=day, origin="measured", **values)
            counts["added"] += 1
        elif any(getattr(existing, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(existing, k, v)
            existing.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts


def _opt_float(v: Any) -> float | None:
    if v is None:
        return None
    f = float(v)
    return None if f != f else f  # NaN -> None


def _opt_int(v: Any) -> int | None:
    f = _opt_float(v)
    return None if f is None else int(round(f))
