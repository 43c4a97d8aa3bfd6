"""Which red-flag questions apply at a weekly check-in (EVIDENCE §5).

Every question that can apply is asked; a question that cannot apply to this walker
is not (it only tires a person in pain and teaches them to answer "no" blindly):

* the *review* flags after weeks of walking are asked through the check-in's own
  questions (pain at rest, night pain, leg symptoms), not a second time;
* "not improved at all after a month" applies only to a *new* episode (under 3
  months): never to long-standing pain, which is who walkrx is for;
* "new back pain over 50" only to a walker over 50.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from walkrx.evidence.red_flags import RED_FLAGS
from walkrx.evidence.types import RedFlag

__all__ = ["NEW_EPISODE_DAYS", "checkin_red_flags", "is_new_episode"]

#: An episode is "new" for under 3 months (EVIDENCE §5).
NEW_EPISODE_DAYS = 91


def is_new_episode(episode_starts: Iterable[dt.date], today: dt.date) -> bool:
    """Whether the latest reported episode of activity-limiting pain began under 3 months ago."""
    starts = [d for d in episode_starts if d <= today]
    return bool(starts) and (today - max(starts)).days < NEW_EPISODE_DAYS


def checkin_red_flags(*, age: int, new_episode: bool) -> tuple[RedFlag, ...]:
    """The red flags to ask at a weekly check-in, most urgent first (catalogue order)."""
    out = []
    for flag in RED_FLAGS.values():
        if flag.urgency == "review":
            continue
        if flag.code == "no-improvement-month" and not new_episode:
            continue
        if flag.code == "new-pain-over-50" and age <= 50:
            continue
        out.append(flag)
    return tuple(out)
