"""Pain rules on the 0–10 numeric rating scale (SPEC §4, EVIDENCE §6).

* Stop a walk when pain goes above the walker's limit (default 3/10: seed
  advice ``pain-limit-3``; a clinician may set another).
* Pain after a walk more than 2 points above pain before it → scale back the
  next sessions (2 points is the meaningful change, Farrar 2001 / Ostelo 2008;
  the rule itself is seed advice ``scale-back-2-points``).
* Pain that eases during the walk (after < before) → on track (seed advice).
* Pain of 7/10 or more is treated as a flare-up (``FLARE_PAIN``).
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "DEFAULT_PAIN_LIMIT",
    "FLARE_PAIN",
    "MEANINGFUL_CHANGE",
    "PAIN_FEEDBACK",
    "PainVerdict",
    "exceeds_limit",
    "is_flare_pain",
    "pain_rise",
    "pain_verdict",
    "validate_pain",
]

#: Default pain limit during a walk (seed advice, clinician may override).
DEFAULT_PAIN_LIMIT = 3
#: Clinically meaningful change on the 0–10 scale (Farrar 2001; Ostelo 2008).
MEANINGFUL_CHANGE = 2
#: A pain score at or above this is a flare-up.
FLARE_PAIN = 7

PainVerdict = Literal["scale-back", "stop-limit", "on-track", "steady", "unknown"]


def validate_pain(value: int | None, what: str = "pain") -> None:
    """Refuse scores outside 0–10."""
    if value is not None and not 0 <= value <= 10:
        raise ValueError(f"{what} must be 0-10 on the numeric rating scale, got {value}")


def exceeds_limit(pain: int | None, limit: int = DEFAULT_PAIN_LIMIT) -> bool:
    """Whether a pain score is above the walker's limit (stop the walk)."""
    return pain is not None and pain > limit


def pain_rise(before: int | None, after: int | None) -> int | None:
    """Pain after minus pain before, or ``None`` when either is missing."""
    if before is None or after is None:
        return None
    return after - before


def is_flare_pain(pain: int | None) -> bool:
    """Whether a pain score marks a flare-up (>= 7/10)."""
    return pain is not None and pain >= FLARE_PAIN


def pain_verdict(
    before: int | None,
    after: int | None,
    pain_max: int | None = None,
    limit: int = DEFAULT_PAIN_LIMIT,
) -> PainVerdict:
    """Classify one walk by the pain rules, most serious first.

    ``scale-back``: after − before > 2. ``stop-limit``: the maximum (or after)
    went above the limit. ``on-track``: pain eased (after < before).
    ``steady``: neither. ``unknown``: no before/after pair and no maximum.
    """
    for v, w in ((before, "pain_before"), (after, "pain_after"), (pain_max, "pain_max")):
        validate_pain(v, w)
    rise = pain_rise(before, after)
    if rise is not None and rise > MEANINGFUL_CHANGE:
        return "scale-back"
    peak = max((p for p in (pain_max, after) if p is not None), default=None)
    if exceeds_limit(peak, limit):
        return "stop-limit"
    if rise is None:
        return "unknown" if peak is None else "steady"
    return "on-track" if rise < 0 else "steady"


#: What to tell the walker after logging a walk, by verdict (seed advice; source key).
PAIN_FEEDBACK: dict[PainVerdict, tuple[str, str]] = {
    "scale-back": (
        "Your pain after the walk was more than 2 points higher than before. Make the next walk "
        "shorter.",
        "advice: seed-003-walking-plan",
    ),
    "stop-limit": (
        "Your pain went above your limit. Stop a walk when that happens; the plan will not step "
        "up next week.",
        "advice: seed-003-walking-plan",
    ),
    "on-track": (
        "Your pain eased during the walk: you are on the right track.",
        "advice: seed-003-walking-plan",
    ),
    "steady": ("Your pain stayed steady. Keep going as planned.", "advice: seed-003-walking-plan"),
    "unknown": (
        "Record your pain before and after a walk (0-10) so the plan can adapt.",
        "advice: seed-003-walking-plan",
    ),
}
