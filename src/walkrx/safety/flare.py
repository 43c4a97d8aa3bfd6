"""Flare-up mode: when it starts and when pain has *settled*.

A pain observation is a check-in or a logged walk. An observation is a flare
observation when the walker flagged a flare, or any pain score in it is >= 7/10.

* Enter flare: the walker says the back is flared, or reports pain >= 7/10.
* Settled (leave flare): the most recent day with any pain observation has
  *no* flare observation - i.e. every pain score reported that day is below 7
  and no flare was flagged. If a day has both a flare and a non-flare
  observation, the day counts as flare (the safer reading, since same-day
  order is not known).

During flare: only gentle 2–5 minute walks, no progression (seed advice
``flare-relief``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from walkrx.safety.pain import is_flare_pain

__all__ = ["FLARE_MAX_MIN", "FLARE_MIN_MIN", "PainObservation", "flare_by_day", "in_flare"]

#: Flare-mode walk length (minutes), seed advice.
FLARE_MIN_MIN = 2
FLARE_MAX_MIN = 5


@dataclass(frozen=True)
class PainObservation:
    """One pain report on a local day: scores (any may be ``None``) and a flare flag."""

    day: date
    scores: tuple[int | None, ...]
    flagged_flare: bool = False

    @property
    def is_flare(self) -> bool:
        """Whether this observation marks a flare."""
        return self.flagged_flare or any(is_flare_pain(s) for s in self.scores)

    @property
    def has_report(self) -> bool:
        """Whether it says anything about pain at all."""
        return self.flagged_flare or any(s is not None for s in self.scores)


def flare_by_day(observations: Iterable[PainObservation]) -> dict[date, bool]:
    """Map each day with a pain report to whether that day counts as flare."""
    out: dict[date, bool] = {}
    for ob in observations:
        if ob.has_report:
            out[ob.day] = out.get(ob.day, False) or ob.is_flare
    return out


def in_flare(observations: Iterable[PainObservation], as_of: date) -> bool:
    """Whether the walker is in flare mode on ``as_of`` (see the module rules)."""
    days = {d: f for d, f in flare_by_day(observations).items() if d <= as_of}
    if not days:
        return False
    return days[max(days)]
