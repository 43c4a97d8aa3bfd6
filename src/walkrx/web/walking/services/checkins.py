"""Weekly check-ins: each red flag is recorded as a safety event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from walkrx import safety

from ..models import CheckIn, SafetyEvent, Walker
from ._common import ServiceError, _validate
from .state import _state_dict, current_state


@transaction.atomic
def record_checkin(
    walker: Walker,
    *,
    date: dt.date,
    avg_pain: int | None = None,
    worst_pain: int | None = None,
    rest_pain: int | None = None,
    night_pain: bool = False,
    leg_symptoms: bool = False,
    flare: bool = False,
    highly_flared: bool = False,
    recurrence: bool = False,
    confidence: int | None = None,
    red_flags: Iterable[str] = (),
) -> dict[str, Any]:
    """Record a check-in. Each red flag is logged as a safety event and pauses at once."""
    walker = Walker.objects.select_for_update().get(pk=walker.pk)
    codes = list(dict.fromkeys(red_flags))
    unknown = [c for c in codes if c not in safety.RED_FLAGS]
    if unknown:
        raise ServiceError(
            f"unknown red-flag code(s) {', '.join(map(repr, unknown))}; "
            "see 'walkrx redflags' for the list"
        )
    checkin = CheckIn(
        walker=walker,
        date=date,
        avg_pain=avg_pain,
        worst_pain=worst_pain,
        rest_pain=rest_pain,
        night_pain=night_pain,
        leg_symptoms=leg_symptoms,
        flare=flare,
        highly_flared=highly_flared,
        recurrence=recurrence,
        confidence=confidence,
        red_flags=codes,
    )
    _validate(checkin)
    checkin.save()
    now = timezone.now()
    for code in codes:
        flag = safety.red_flag(code)
        SafetyEvent.objects.create(
            walker=walker,
            kind="red-flag",
            code=code,
            urgency=flag.urgency,
            at_utc=now,
            by="walker",
            note=f"check-in {date.isoformat()}",
        )
    state = current_state(walker)
    if state.status == "escalated" and not _open_escalation_logged(walker):
        SafetyEvent.objects.create(
            walker=walker,
            kind="escalation",
            at_utc=now,
            by="walkrx",
            note=f"derived from the check-in of {date.isoformat()}",
        )
    return _state_dict(state) | {"checkin_id": checkin.pk, "date": date.isoformat()}


def _open_escalation_logged(walker: Walker) -> bool:
    last_clear = (
        walker.safety_events.filter(kind__in=sorted(safety.CLEARANCE_KINDS))
        .order_by("-at_utc")
        .first()
    )
    esc = walker.safety_events.filter(kind="escalation")
    if last_clear is not None:
        esc = esc.filter(at_utc__gt=last_clear.at_utc)
    return esc.exists()
