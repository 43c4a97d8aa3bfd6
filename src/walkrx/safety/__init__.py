"""Safety: red flags, pain rules, flare-up, escalation, and the pause/resume state."""

from walkrx.safety.events import SafetyEvent

__all__ = ["SafetyEvent"]
