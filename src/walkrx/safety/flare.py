"""Flare-up mode (EVIDENCE §6; seed 001, Boswell — advice): when it starts, its level, when it ends.

A pain observation is a check-in or a logged walk on a local day.

* **Highly flared**: the walker says so, or any score is >= 7/10 → no walks planned;
  ice pack; talk to a clinician about pain management (seed advice ``flare-high``).
* **Moderate flare**: the walker says it is a flare and no score reaches 7 →
  walks of 2-5 minutes only (seed advice ``flare-moderate``).
* The level changes only with a report that names it (a flare flag or a score >= 7):
  an unflagged 6/10 the day after a 9/10 does not turn a high flare into a moderate one.
* **Pre-flare level**: the highest score of the last day with pain reports before the
  flare began. With no report before the flare, walkrx uses 6/10 (just below the
  high-flare range) — our choice, so that a walker who starts in a flare can leave it.
* **Settled** (leave the mode): two days at least a day apart, after the flare began,
  whose reports are all at or below the pre-flare level and carry no flare flag, with
  no flare report between them. One good report does not end it.

Several reports on the same day are read together; a day with a flare report counts as
a flare day (the safer reading, since the order within a day is not known).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from walkrx.safety.pain import is_flare_pain

__all__ = [
    "FLARE_MAX_MIN",
    "FLARE_MIN_MIN",
    "UNKNOWN_PRE_FLARE_LEVEL",
    "FlareChange",
    "PainObservation",
    "flare_by_day",
    "flare_changes",
    "in_flare",
]

#: Flare-mode walk length (minutes), seed advice.
FLARE_MIN_MIN = 2
FLARE_MAX_MIN = 5
#: Pre-flare level assumed when no pain was reported before the flare (walkrx's choice).
UNKNOWN_PRE_FLARE_LEVEL = 6


@dataclass(frozen=True)
class PainObservation:
    """One pain report on a local day: scores (any may be ``None``) and the walker's flags."""

    day: date
    scores: tuple[int | None, ...]
    flagged_flare: bool = False
    flagged_high: bool = False

    @property
    def is_high(self) -> bool:
        """A highly-flared report (the walker says so, or a score >= 7)."""
        return self.flagged_high or any(is_flare_pain(s) for s in self.scores)

    @property
    def is_flare(self) -> bool:
        """Whether this observation reports a flare (any level)."""
        return self.flagged_flare or self.is_high

    @property
    def has_report(self) -> bool:
        """Whether it says anything about pain at all."""
        return self.is_flare or any(s is not None for s in self.scores)


@dataclass(frozen=True)
class FlareChange:
    """A change of flare mode on a local day: start/level change, or settled."""

    day: date
    kind: Literal["flare-start", "flare-settled"]
    level: Literal["high", "moderate"] | None = None
    pre_flare_level: int | None = None


@dataclass
class _Day:
    flare: bool = False
    high: bool = False
    worst: int | None = None


def _days(observations: Iterable[PainObservation]) -> dict[date, _Day]:
    out: dict[date, _Day] = {}
    for ob in observations:
        if not ob.has_report:
            continue
        d = out.setdefault(ob.day, _Day())
        d.flare = d.flare or ob.is_flare
        d.high = d.high or ob.is_high
        scores = [s for s in ob.scores if s is not None]
        if scores:
            d.worst = max(scores + ([d.worst] if d.worst is not None else []))
    return out


def flare_changes(observations: Iterable[PainObservation]) -> tuple[FlareChange, ...]:
    """Every start, level change and settling of flare mode, in day order (module rules)."""
    days = _days(observations)
    changes: list[FlareChange] = []
    level: Literal["high", "moderate"] | None = None
    pre: int = UNKNOWN_PRE_FLARE_LEVEL
    last_calm: int | None = None
    good_days: list[date] = []
    for day in sorted(days):
        d = days[day]
        if d.flare:
            new: Literal["high", "moderate"] = "high" if d.high else "moderate"
            if level is None:
                pre = last_calm if last_calm is not None else UNKNOWN_PRE_FLARE_LEVEL
            if new != level:
                changes.append(FlareChange(day, "flare-start", new, pre))
            level = new
            good_days = []
            continue
        if level is None:
            if d.worst is not None:
                last_calm = d.worst
            continue
        if d.worst is not None and d.worst <= pre:
            good_days.append(day)
            if len(good_days) >= 2:
                changes.append(FlareChange(day, "flare-settled", None, pre))
                level, good_days = None, []
                last_calm = d.worst
        else:
            good_days = []
    return tuple(changes)


def flare_by_day(observations: Iterable[PainObservation]) -> dict[date, bool]:
    """Map each day with a pain report to whether flare mode is on at the end of that day."""
    obs = tuple(observations)
    changes = {c.day: c for c in flare_changes(obs)}
    out: dict[date, bool] = {}
    on = False
    for day in sorted(_days(obs)):
        c = changes.get(day)
        if c is not None:
            on = c.kind == "flare-start"
        out[day] = on
    return out


def in_flare(observations: Iterable[PainObservation], as_of: date) -> bool:
    """Whether the walker is in flare mode on ``as_of`` (see the module rules)."""
    on = False
    for c in flare_changes(observations):
        if c.day > as_of:
            break
        on = c.kind == "flare-start"
    return on
