"""How the plan engine names its sources: evidence keys, or ``advice: <seed>``."""

from __future__ import annotations

from walkrx.evidence.advice import advice

__all__ = ["CLINICIAN_SOURCE", "adv"]

#: Source label for values a clinician set (they override seed advice).
CLINICIAN_SOURCE = "clinician: set by your clinician"


def adv(advice_key: str) -> str:
    """Return the ``"advice: <seed>"`` source label for a seed-advice entry."""
    return advice(advice_key).label
