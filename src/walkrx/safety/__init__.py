"""Safety: red flags, pain rules, flare-up, escalation, and the pause/resume state.

Safety outranks every other rule. The state is a pure fold over an append-only
log of :class:`SafetyEvent` (see :func:`safety_state`).
"""

from walkrx.evidence.red_flags import NOT_A_DIAGNOSIS, RED_FLAGS, WHAT_TO_DO, red_flag
from walkrx.safety.escalation import CONSISTENT_WEEKS, escalation_reasons, should_escalate
from walkrx.safety.events import CLEARANCE_KINDS, SafetyEvent
from walkrx.safety.flare import PainObservation, in_flare
from walkrx.safety.pain import DEFAULT_PAIN_LIMIT, FLARE_PAIN, pain_verdict
from walkrx.safety.state import SafetyState, safety_state

__all__ = [
    "CLEARANCE_KINDS",
    "CONSISTENT_WEEKS",
    "DEFAULT_PAIN_LIMIT",
    "FLARE_PAIN",
    "NOT_A_DIAGNOSIS",
    "RED_FLAGS",
    "WHAT_TO_DO",
    "PainObservation",
    "SafetyEvent",
    "SafetyState",
    "escalation_reasons",
    "in_flare",
    "pain_verdict",
    "red_flag",
    "safety_state",
    "should_escalate",
]
