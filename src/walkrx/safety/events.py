"""Safety events: the append-only log the pause/resume state machine folds over.

Events are frozen and never edited or deleted; the engine only reads them.
A red flag pauses at once; only a clearance event (``clinician-clearance``, or
``medical-review-confirmed`` recorded by a walker who has no clinician) lifts a
pause or an escalation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args

from walkrx.evidence.types import Urgency

__all__ = ["CLEARANCE_KINDS", "EventKind", "SafetyEvent"]

EventKind = Literal[
    "red-flag",  # a red flag reported (code required); pauses at once
    "clinician-pause",  # a clinician paused the walker (urgency defaults to review)
    "escalation",  # no improvement after consistent walking: stop, see a clinician
    "clinician-clearance",  # a clinician cleared the walker (by, note required)
    "medical-review-confirmed",  # the walker confirms a medical review (no clinician)
    "flare-start",  # walker reported a flare, or pain >= 7/10
    "flare-settled",  # pain report below 7/10 and not flagged as a flare
]

CLEARANCE_KINDS: frozenset[str] = frozenset({"clinician-clearance", "medical-review-confirmed"})


@dataclass(frozen=True)
class SafetyEvent:
    """One entry of the append-only safety log.

    ``at_utc`` must be time-zone aware. ``code`` names the red flag for
    ``red-flag`` events (urgency comes from the catalogue when not given).
    ``by`` names who recorded a clearance or pause; ``note`` is free text.
    ``origin`` says whether the event was recorded (``"recorded"``) or derived
    by the engine from check-ins and walks (``"derived"``).
    """

    kind: EventKind
    at_utc: datetime
    code: str | None = None
    urgency: Urgency | None = None
    by: str = ""
    note: str = ""
    origin: Literal["recorded", "derived"] = "recorded"

    def __post_init__(self) -> None:
        """Refuse malformed events instead of folding them silently."""
        if self.kind not in get_args(EventKind):
            raise ValueError(f"unknown safety event kind {self.kind!r}")
        if self.at_utc.tzinfo is None or self.at_utc.utcoffset() is None:
            raise ValueError("SafetyEvent.at_utc must be time-zone aware")
        if self.kind == "red-flag" and not self.code:
            raise ValueError("a red-flag event needs the red-flag code")
        if self.kind == "clinician-clearance" and not self.by.strip():
            raise ValueError("a clinician clearance must say who cleared (by=...)")
