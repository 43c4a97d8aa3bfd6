"""When a walker's own record of a medical review may resume the program (SPEC §4).

A walker with no clinician may record that a doctor or physiotherapist assessed
them (``self-reported-review``). It lifts a pause only when:

* every re-screen question (:data:`walkrx.evidence.red_flags.RESCREEN_CODES`) was
  answered, and every answer is "no";
* after an **emergency** or **same-day** flag, it is recorded on a later local day
  than the flag (walker's zone): the same day, the only safe advice is to get seen.

A clinician's clearance (``clinician-clearance``) carries the clinician's identity;
the service layer checks that the clinician is linked to the walker. Whether the
walker has a clinician is the service's fact, not the engine's: the service refuses
a self-review from a walker who has one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from walkrx.evidence.red_flags import RED_FLAGS, RESCREEN_CODES
from walkrx.evidence.types import Urgency
from walkrx.safety.events import Answers
from walkrx.timeutil import local_date

__all__ = ["NOT_ON_FLAG_DAY", "answers_problem", "review_problem", "yes_codes"]

#: Urgencies whose flag cannot be lifted by the walker's own review on the day of the flag.
NOT_ON_FLAG_DAY: frozenset[Urgency] = frozenset({"emergency", "same-day"})


def yes_codes(answers: Answers) -> tuple[str, ...]:
    """The codes answered "yes"."""
    return tuple(dict.fromkeys(code for code, yes in answers if yes))


def answers_problem(answers: Answers, required: Iterable[str] = RESCREEN_CODES) -> str | None:
    """Why a re-screen is not clean (``None`` when every required question is answered "no")."""
    given = {code for code, _ in answers}
    missing = [c for c in required if c not in given]
    if missing:
        return f"the re-screen is incomplete: {len(missing)} question(s) not answered"
    yes = yes_codes(answers)
    if yes:
        questions = "; ".join(RED_FLAGS[c].question if c in RED_FLAGS else c for c in yes)
        return f"the re-screen has a 'yes' answer ({questions}): walking cannot resume"
    return None


def review_problem(
    open_flags: Iterable[tuple[str, Urgency, datetime]],
    review_at: datetime,
    answers: Answers,
    tz: str = "UTC",
) -> str | None:
    """Why a walker's own review at ``review_at`` may not lift these open flags (``None``: it may).

    ``open_flags`` are ``(code, urgency, flagged_at)`` of the flags open before the review.
    """
    problem = answers_problem(answers)
    if problem is not None:
        return problem
    review_day: date = local_date(review_at, tz)
    for code, urgency, flagged_at in open_flags:
        if urgency in NOT_ON_FLAG_DAY and local_date(flagged_at, tz) >= review_day:
            return (
                f"a {urgency} flag ({code}) was reported today: your own record of a review "
                "can be made from tomorrow; today, get seen as the advice says"
            )
    return None
