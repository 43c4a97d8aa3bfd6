"""Escalation: stop walking and see a clinician (EVIDENCE §5, seed advice ``escalate-after-weeks``).

"Following the program" means enrolled and checking in — **not** a share of the planned
walks done: a walker who walks less because it hurts is escalated at the same time, not
never. The rule, for every check-in:

* once the walker has been in the program for **4 weeks** (28 days, counted from the
  program start or from the last clearance), a check-in reporting pain above 4/10 at
  rest, night pain that disrupts sleep, or symptoms spreading down the legs escalates;
* **at any time**, symptoms *newly* spreading down the legs (reported at this check-in,
  not at the walker's previous one) escalate: see a physiotherapist or doctor within
  days, and stop walking until assessed. New numbness or weakness in a leg or foot is a
  same-day red flag, asked separately.

4 weeks is the earliest point of the seed's 4–6 (stopping early is the safer error).
Only a recorded clearance lifts an escalation.
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "CONSISTENT_WEEKS",
    "ENROLLED_DAYS",
    "REST_PAIN_ABOVE",
    "EscalationReason",
    "escalation_due",
    "escalation_reasons",
    "should_escalate",
]

#: Weeks in the program before persisting symptoms escalate.
CONSISTENT_WEEKS = 4
ENROLLED_DAYS = 7 * CONSISTENT_WEEKS
#: Rest pain strictly above this escalates.
REST_PAIN_ABOVE = 4

EscalationReason = Literal["rest-pain", "night-pain", "leg-symptoms", "leg-symptoms-new"]


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


def escalation_due(
    days_enrolled: int,
    rest_pain: int | None,
    night_pain: bool,
    leg_symptoms: bool,
    leg_symptoms_before: bool = False,
) -> tuple[EscalationReason, ...]:
    """The reasons a check-in escalates (empty: it does not). See the module rules."""
    if days_enrolled >= ENROLLED_DAYS:
        return escalation_reasons(rest_pain, night_pain, leg_symptoms)
    if leg_symptoms and not leg_symptoms_before:
        return ("leg-symptoms-new",)
    return ()


def should_escalate(
    days_enrolled: int,
    rest_pain: int | None,
    night_pain: bool,
    leg_symptoms: bool,
    leg_symptoms_before: bool = False,
) -> bool:
    """Whether a check-in escalates after ``days_enrolled`` days in the program."""
    return bool(
        escalation_due(days_enrolled, rest_pain, night_pain, leg_symptoms, leg_symptoms_before)
    )
