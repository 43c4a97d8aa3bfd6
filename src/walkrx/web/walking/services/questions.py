"""Which check-in questions to ask a walker: read from the safety engine, never decided here."""

from __future__ import annotations

import datetime as dt

from walkrx.evidence.types import RedFlag
from walkrx.safety.applicable import checkin_red_flags, is_new_episode

from ..models import Walker
from ._common import local_today


def checkin_flags(walker: Walker, today: dt.date | None = None) -> tuple[RedFlag, ...]:
    """The red flags that apply to this walker at a weekly check-in (EVIDENCE §5)."""
    today = today or local_today(walker.tz)
    episodes = walker.checkins.filter(recurrence=True).values_list("date", flat=True)
    return checkin_red_flags(age=walker.age, new_episode=is_new_episode(episodes, today))
