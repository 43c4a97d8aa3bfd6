"""Escalation: no improvement after consistent walking → stop and see a clinician.

Rule (seed advice ``escalate-after-weeks``; EVIDENCE §5 "review"): once the
walker has completed **4 or more consistent weeks** of walking (counted since
the program start or since the last clearance), a check-in that still reports
any of

* pain above 4/10 at rest,
* night pain that disrupts sleep,
* symptoms spreading down the legs,

escalates: walking stops and the walker is told to see a physiotherapist or
doctor. walkrx chooses 4 weeks (the earliest point of the seed's 4–6) because
stopping early is the safer error. Only a recorded clearance lifts it.
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "CONSISTENT_WEEKS",
    "REST_PAIN_ABOVE",
    "EscalationReason",
    "escalation_reasons",
    "should_escalate",
]

#: Weeks of consistent walking before persisting symptoms escalate.
CONSISTENT_WEEKS = 4
#: Rest pain strictly above this escalates.
REST_PAIN_ABOVE = 4

EscalationReason = Literal["rest-pain", "night-pain", "leg-symptoms"]


def escalation_reasons(
    rest_pain: int | None, night_pain: bool, leg_symptoms: bool
) -> tuple[EscalationReason, ...]:
    """Which escalation symptoms a check-in reports (empty when none)."""
    out: list[EscalationReason] = []
    if rest_pain is not None and rest_pain > REST_PAIN_ABOVE:
        out.append("rest-pain")
    if night_pain:
        out.append("night-pain")
    if leg_symptoms:
        out.append("leg-symptoms")
    return tuple(out)


def should_escalate(
    consistent_weeks: int, rest_pain: int | None, night_pain: bool, leg_symptoms: bool
) -> bool:
    """Whether a check-in escalates after ``consistent_weeks`` consistent weeks."""
    return consistent_weeks >= CONSISTENT_WEEKS and bool(
        escalation_reasons(rest_pain, night_pain, leg_symptoms)
    )
