"""Judging a finished week: good (progress), consistent, or a pain rise.

* consistent: at least 75 % of the planned sessions were walked (walks counted,
  whatever their day);
* good: consistent, at least 75 % of the planned minutes walked, and the pain
  rules kept - no walk stopped for pain, no walk over the limit (its worst pain
  above both the limit and the pain before it), no rise of 2 points or more;
* pain rise: any walk whose pain after is more than 2 points above before
  (→ scale back); meaningful rise: exactly 2 points (→ no step up).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from walkrx.program.models import Walk
from walkrx.safety.pain import over_limit, pain_verdict

__all__ = ["ENOUGH_FRACTION", "WeekOutcome", "judge_week"]

#: Share of planned sessions and minutes that makes a week "enough".
ENOUGH_FRACTION = 0.75


@dataclass(frozen=True)
class WeekOutcome:
    """What happened in a week compared with its plan."""

    planned_sessions: int
    planned_minutes: int
    done_sessions: int
    done_minutes: float
    pain_rise: bool
    limit_breach: bool
    pain_eased: bool
    meaningful_rise: bool = False

    @property
    def consistent(self) -> bool:
        """At least 75 % of the planned sessions walked."""
        return self.planned_sessions > 0 and self.done_sessions >= math.ceil(
            ENOUGH_FRACTION * self.planned_sessions
        )

    @property
    def good(self) -> bool:
        """Consistent, enough minutes, and every pain rule kept."""
        return (
            self.consistent
            and self.done_minutes >= ENOUGH_FRACTION * self.planned_minutes
            and not self.pain_rise
            and not self.limit_breach
            and not self.meaningful_rise
        )

    @property
    def enough_minutes(self) -> bool:
        """At least 75 % of the planned minutes walked."""
        return self.done_minutes >= ENOUGH_FRACTION * self.planned_minutes


def judge_week(
    planned_sessions: int, planned_minutes: int, walks: tuple[Walk, ...], pain_limit: int
) -> WeekOutcome:
    """Compare the walks of a week with its plan."""
    done = [w for w in walks if w.minutes > 0]
    verdicts = [pain_verdict(w.pain_before, w.pain_after, w.pain_max, pain_limit) for w in done]
    breach = any(
        w.stopped_for_pain or over_limit(w.pain_before, w.pain_after, w.pain_max, pain_limit)
        for w in done
    )
    return WeekOutcome(
        planned_sessions=planned_sessions,
        planned_minutes=planned_minutes,
        done_sessions=len(done),
        done_minutes=float(sum(w.minutes for w in done)),
        pain_rise="scale-back" in verdicts,
        limit_breach=breach,
        pain_eased="on-track" in verdicts,
        meaningful_rise="meaningful-rise" in verdicts,
    )
