"""Pain rules on the 0–10 numeric rating scale (SPEC §4, EVIDENCE §6).

How walkrx reads the seed's "stop if pain exceeds 3/10" (our reading, as EVIDENCE §6
says): the limit is about the pain a walk *provokes*. A walk is over the limit when
its worst pain (the maximum, or the pain after) exceeds **both** the walker's limit
(default 3/10, seed advice ``pain-limit-3``; a clinician may set another) **and** the
pain before the walk. For someone whose usual pain is 5/10, a walk that goes
5 → 4 → 3 is "pain decreases: on the right track", never "above your limit".

Verdicts, most serious first:

* ``scale-back``: pain after more than 2 points above before (seed advice
  ``scale-back-2-points``) → the rest of the week's walks and next week are shorter;
* ``stop-limit``: over the limit as read above → stop the walk; no step up next week;
* ``meaningful-rise``: pain after exactly 2 points above before: a clinically
  meaningful change (Farrar 2001; Ostelo 2008) → named, and no step up next week;
* ``on-track``: pain after below pain before (seed advice ``pain-eases-on-track``);
* ``steady``: none of the above; ``unknown``: no pain recorded.

Pain of 7/10 or more is a flare-up (``FLARE_PAIN``; see ``flare.py``).
"""

from __future__ import annotations

from typing import Literal

from walkrx.evidence.red_flags import NOT_A_DIAGNOSIS

__all__ = [
    "DEFAULT_PAIN_LIMIT",
    "FLARE_FEEDBACK",
    "FLARE_PAIN",
    "MEANINGFUL_CHANGE",
    "PAIN_FEEDBACK",
    "PainVerdict",
    "exceeds_limit",
    "over_limit",
    "walk_feedback",
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

PainVerdict = Literal[
    "scale-back", "stop-limit", "meaningful-rise", "on-track", "steady", "unknown"
]


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


def over_limit(
    before: int | None, after: int | None, pain_max: int | None, limit: int = DEFAULT_PAIN_LIMIT
) -> bool:
    """Whether a walk's worst pain exceeds both the limit and the pain before it (module doc)."""
    peak = max((p for p in (pain_max, after) if p is not None), default=None)
    if not exceeds_limit(peak, limit):
        return False
    return before is None or (peak is not None and peak > before)


def pain_verdict(
    before: int | None,
    after: int | None,
    pain_max: int | None = None,
    limit: int = DEFAULT_PAIN_LIMIT,
) -> PainVerdict:
    """Classify one walk by the pain rules, most serious first (see the module doc)."""
    for v, w in ((before, "pain_before"), (after, "pain_after"), (pain_max, "pain_max")):
        validate_pain(v, w)
    rise = pain_rise(before, after)
    if rise is not None and rise > MEANINGFUL_CHANGE:
        return "scale-back"
    if over_limit(before, after, pain_max, limit):
        return "stop-limit"
    if rise is not None and rise == MEANINGFUL_CHANGE:
        return "meaningful-rise"
    if rise is None:
        peak = max((p for p in (pain_max, after) if p is not None), default=None)
        return "unknown" if peak is None else "steady"
    return "on-track" if rise < 0 else "steady"


_PLAN = "advice: seed-003-walking-plan"

#: What to tell the walker after logging a walk, by verdict (seed advice; source key).
PAIN_FEEDBACK: dict[PainVerdict, tuple[str, str]] = {
    "scale-back": (
        "Your pain after the walk was more than 2 points higher than before. Make your next "
        "walks shorter: the rest of this week's walks are shortened.",
        _PLAN,
    ),
    "stop-limit": (
        "Your pain went above your limit and above where it was before the walk. Stop a walk "
        "when that happens; the plan will not step up next week.",
        _PLAN,
    ),
    "meaningful-rise": (
        "Your pain was 2 points higher after the walk than before: a change of 2 points is "
        "meaningful, so the plan will not step up next week. If it rises by more than 2, "
        "your walks get shorter.",
        "meaningful-pain-change",
    ),
    "on-track": (
        "Your pain eased during the walk: you are on the right track.",
        _PLAN,
    ),
    "steady": ("Your pain stayed steady. Keep going as planned.", _PLAN),
    "unknown": (
        "Record your pain before and after a walk (0-10) so the plan can adapt.",
        _PLAN,
    ),
}

#: Added to the feedback when a walk's pain reached the flare-up range.
FLARE_FEEDBACK = (
    "Pain of 7/10 or more is a flare-up: rest from walks, use an ice pack on the painful area, "
    "and talk to a health professional about pain relief. Walks restart, short and gentle, "
    "once your pain is back to where it was before the flare."
)


def walk_feedback(
    before: int | None,
    pain_max: int | None,
    after: int | None,
    limit: int = DEFAULT_PAIN_LIMIT,
) -> tuple[str, ...]:
    """Everything to tell the walker about one logged walk, in order (seed advice and findings)."""
    verdict = pain_verdict(before, after, pain_max, limit)
    text = PAIN_FEEDBACK[verdict][0]
    lines = [text + (f" (Your pain limit is {limit}/10.)" if verdict == "stop-limit" else "")]
    if verdict == "scale-back" and over_limit(before, after, pain_max, limit):
        lines.append(f"Pain also went above your limit of {limit}/10: stop a walk when it does.")
    peak = max((p for p in (pain_max, after) if p is not None), default=None)
    if is_flare_pain(peak):
        lines.append(FLARE_FEEDBACK)
    lines.append(NOT_A_DIAGNOSIS)
    return tuple(lines)
