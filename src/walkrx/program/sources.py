"""How the plan engine names its sources: evidence keys, or ``advice: <seed>``."""

from __future__ import annotations

from walkrx.evidence.advice import advice

__all__ = ["adv"]


def adv(advice_key: str) -> str:
    """Return the ``"advice: <seed>"`` source label for a seed-advice entry."""
    return advice(advice_key).label
