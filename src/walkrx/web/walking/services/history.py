"""The walk history: edit a walk (the original is kept), delete it with a short undo."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from walkrx.timeutil import local_date

from ..models import Walk, Walker, WalkRevision
from ._common import ServiceError, WalkerPaused, _validate, local_today
from .state import current_state
from .walks import WalkOutcome, walk_feedback

#: How long a deleted walk can be put back.
UNDO_SECONDS = 10
#: Allowance for the time the page takes to reach the server.
UNDO_GRACE_SECONDS = 3

EDITABLE = (
    "minutes",
    "steps",
    "pain_before",
    "pain_max",
    "pain_after",
    "terrain",
    "talk_test",
    "notes",
)


def snapshot(walk: Walk) -> dict[str, Any]:
    """A walk's stored values, JSON-able."""
    return {
        "id": walk.pk,
        "start_utc": walk.start_utc.isoformat(),
        "tz": walk.tz,
        "local_date": walk.local_date.isoformat(),
        "minutes": walk.minutes,
        "steps": walk.steps,
        "distance_m": walk.distance_m,
        "terrain": walk.terrain,
        "pain_before": walk.pain_before,
        "pain_max": walk.pain_max,
        "pain_after": walk.pain_after,
        "talk_test": walk.talk_test,
        "notes": walk.notes,
        "source": walk.source,
        "created_at": walk.created_at.isoformat() if walk.created_at else None,
    }


def _refuse_while_paused(walker: Walker, today: dt.date) -> None:
    state = current_state(walker, today)
    if state.status in ("paused", "escalated"):
        raise WalkerPaused(
            f"{walker.name}'s walking program is {state.status} for safety; walks cannot be "
            "changed until it resumes"
        )


@transaction.atomic
def edit_walk(
    walker: Walker, walk: Walk, *, local_day: dt.date, start_time: dt.time, **fields: Any
) -> WalkOutcome:
    """Change a walk: the same checks as logging one, the old values kept as a revision."""
    walker = Walker.objects.select_for_update().get(pk=walker.pk)
    walk = Walk.objects.select_for_update().get(pk=walk.pk, walker=walker)
    today = local_today(walker.tz)
    if local_day > today:
        raise ServiceError(
            f"walk date {local_day.isoformat()} is in the future (today is {today.isoformat()} "
            f"in {walker.tz}); log walks after they happen"
        )
    _refuse_while_paused(walker, today)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ServiceError(f"cannot change {', '.join(sorted(unknown))} of a walk")
    before = snapshot(walk)
    start = dt.datetime.combine(local_day, start_time).replace(tzinfo=ZoneInfo(walk.tz))
    walk.start_utc = start.astimezone(dt.UTC)
    walk.local_date = local_date(walk.start_utc, walk.tz)
    for k, v in fields.items():
        setattr(walk, k, v)
    _validate(walk)
    if snapshot(walk) != before:
        WalkRevision.objects.create(walker=walker, walk_id=walk.pk, kind="edit", data=before)
        walk.save()
    return walk_feedback(walker, walk)


@transaction.atomic
def delete_walk(walker: Walker, walk: Walk) -> WalkRevision:
    """Delete a walk, keeping a copy that :func:`undo_delete` can put back for a few seconds."""
    walk = Walk.objects.select_for_update().get(pk=walk.pk, walker=walker)
    rev = WalkRevision.objects.create(
        walker=walker, walk_id=walk.pk, kind="delete", data=snapshot(walk)
    )
    walk.delete()
    return rev


def undo_deadline(rev: WalkRevision) -> dt.datetime:
    """Until when the deleted walk can be put back."""
    return rev.at + dt.timedelta(seconds=UNDO_SECONDS)


@transaction.atomic
def undo_delete(walker: Walker, revision_id: int) -> Walk:
    """Put a deleted walk back under its own id, within :data:`UNDO_SECONDS`."""
    rev = (
        WalkRevision.objects.select_for_update()
        .filter(pk=revision_id, walker=walker, kind="delete")
        .first()
    )
    if rev is None:
        raise ServiceError("there is no deleted walk to put back")
    if rev.restored_at is not None:
        raise ServiceError("this walk was already put back")
    now = timezone.now()
    if now > undo_deadline(rev) + dt.timedelta(seconds=UNDO_GRACE_SECONDS):
        raise ServiceError(
            f"a deleted walk can be put back for {UNDO_SECONDS} seconds; that time has passed"
        )
    d = rev.data
    walk = Walk(
        pk=d["id"],
        walker=walker,
        start_utc=dt.datetime.fromisoformat(d["start_utc"]),
        tz=d["tz"],
        local_date=dt.date.fromisoformat(d["local_date"]),
        minutes=d["minutes"],
        steps=d["steps"],
        distance_m=d["distance_m"],
        terrain=d["terrain"],
        pain_before=d["pain_before"],
        pain_max=d["pain_max"],
        pain_after=d["pain_after"],
        talk_test=d["talk_test"],
        notes=d["notes"],
        source=d["source"],
    )
    walk.save(force_insert=True)
    if d.get("created_at"):
        Walk.objects.filter(pk=walk.pk).update(
            created_at=dt.datetime.fromisoformat(d["created_at"])
        )
    rev.restored_at = now
    rev.save(update_fields=["restored_at"])
    return walk


def revisions(walk: Walk) -> list[WalkRevision]:
    """The earlier versions of a walk, oldest first."""
    return list(WalkRevision.objects.filter(walker_id=walk.walker_id, walk_id=walk.pk, kind="edit"))
