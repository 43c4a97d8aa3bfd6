"""The safety engine's fold of the walker's recorded log (for dates and open reasons only)."""

from __future__ import annotations

from walkrx import safety
from walkrx.web.walking.models import Walker


def recorded_fold(walker: Walker) -> safety.SafetyState:
    """:func:`walkrx.safety.safety_state` over the walker's stored safety events."""
    return safety.safety_state(
        safety.SafetyEvent(
            kind=e.kind,  # type: ignore[arg-type]
            at_utc=e.at_utc,
            code=e.code or None,
            urgency=(e.urgency or None),  # type: ignore[arg-type]
            by=e.by,
            note=e.note,
        )
        for e in walker.safety_events.all()
    )
