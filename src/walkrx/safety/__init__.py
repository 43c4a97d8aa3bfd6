"""Safety: screening, red flags, pain rules, flare-up, escalation, and the pause/resume state.

Safety outranks every other rule. The state is a pure fold over an append-only
log of :class:`SafetyEvent` (see :func:`safety_state`).
"""

from walkrx.evidence.red_flags import (
    CHECKIN_CODES,
    NOT_A_DIAGNOSIS,
    RED_FLAGS,
    RESCREEN_CODES,
    SCREEN_CODES,
    WHAT_TO_DO,
    red_flag,
)
from walkrx.safety.escalation import (
    CONSISTENT_WEEKS,
    ENROLLED_DAYS,
    escalation_due,
    escalation_reasons,
    should_escalate,
)
from walkrx.safety.events import CLEARANCE_KINDS, Answers, SafetyEvent
from walkrx.safety.flare import PainObservation, in_flare
from walkrx.safety.pain import DEFAULT_PAIN_LIMIT, FLARE_PAIN, pain_verdict, walk_feedback
from walkrx.safety.review import answers_problem, review_problem, yes_codes
from walkrx.safety.state import SCREEN_ADVICE, SafetyState, safety_state

__all__ = [
    "CHECKIN_CODES",
    "CLEARANCE_KINDS",
    "CONSISTENT_WEEKS",
    "DEFAULT_PAIN_LIMIT",
    "ENROLLED_DAYS",
    "FLARE_PAIN",
    "NOT_A_DIAGNOSIS",
    "RED_FLAGS",
    "RESCREEN_CODES",
    "SCREEN_ADVICE",
    "SCREEN_CODES",
    "WHAT_TO_DO",
    "Answers",
    "PainObservation",
    "SafetyEvent",
    "SafetyState",
    "answers_problem",
    "escalation_due",
    "escalation_reasons",
    "in_flare",
    "pain_verdict",
    "red_flag",
    "review_problem",
    "safety_state",
    "should_escalate",
    "walk_feedback",
    "yes_codes",
]
