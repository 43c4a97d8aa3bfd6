"""The safety engine's fold of the walker's recorded log (for dates and open reasons only)."""

from __future__ import annotations

from walkrx import safety
from walkrx.web.walking.models import Walker
from walkrx.web.walking.services import safety_log


def recorded_fold(walker: Walker) -> safety.SafetyState:
    """:func:`walkrx.safety.safety_state` over the walker's stored safety events."""
    return safety.safety_state(safety_log(walker), walker.tz)
