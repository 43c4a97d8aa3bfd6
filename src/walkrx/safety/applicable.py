"""Which red-flag questions apply at a weekly check-in (EVIDENCE §5).

The engine's weekly list (:data:`walkrx.evidence.red_flags.CHECKIN_CODES`: the screen
without the once-only questions about how the episode began) is asked every week; "not
improved at all after a month" is added only for a *new* episode (a recurrence reported
under 3 months ago), never for long-standing pain, which is who walkrx is for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from walkrx.evidence.red_flags import CHECKIN_CODES, RED_FLAGS
from walkrx.evidence.types import RedFlag

__all__ = ["NEW_EPISODE_DAYS", "checkin_red_flags", "is_new_episode"]

#: An episode is "new" for under 3 months (EVIDENCE §5).
NEW_EPISODE_DAYS = 91


def is_new_episode(episode_starts: Iterable[dt.date], today: dt.date) -> bool:
    """Whether the latest reported episode of activity-limiting pain began under 3 months ago."""
    starts = [d for d in episode_starts if d <= today]
    return bool(starts) and (today - max(starts)).days < NEW_EPISODE_DAYS


def checkin_red_flags(*, age: int, new_episode: bool) -> tuple[RedFlag, ...]:
    """The red flags to ask at a weekly check-in, most urgent first (catalogue order).

    ``age`` is accepted for the callers' sake; the engine's list already leaves out the
    age-based question (asked once, at the screen).
    """
    wanted = set(CHECKIN_CODES) | ({"no-improvement-month"} if new_episode else set())
    return tuple(flag for flag in RED_FLAGS.values() if flag.code in wanted)
