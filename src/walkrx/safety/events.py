"""Safety events: the append-only log the pause/resume state machine folds over.

Events are frozen and never edited or deleted; the engine only reads them.

* ``screening``: the walker's answers to the red-flag screen (``answers``); until
  one is recorded the walker is *unscreened* and gets no plan. A "yes" in it is a
  red flag (the fold opens it even if no ``red-flag`` event was recorded).
* ``red-flag`` / ``clinician-pause``: pause at once (a flag whose urgency is
  ``review-keep-walking`` opens a review without a pause).
* ``clinician-clearance``: a clinician linked to the walker cleared them; ``by`` is
  the clinician's identity (the service checks the link; the engine requires it).
* ``self-reported-review``: a walker without a clinician records a medical review
  (``assessed_on``, ``assessed_by``) with a re-screen (``answers``). The fold lets
  it lift a pause only if every re-screen answer is "no" and, after an emergency or
  same-day flag, only from the day after the flag (see :mod:`walkrx.safety.review`).
* ``medical-review-confirmed``: the older form of a walker's own review, without a
  re-screen. Kept so stored logs still fold; it lifts nothing.
* ``escalation``: stop walking and see a clinician (see ``escalation.py``).
* ``flare-start`` (``code`` = ``high`` or ``moderate``) / ``flare-settled``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, get_args

from walkrx.evidence.types import Urgency

__all__ = ["CLEARANCE_KINDS", "Answers", "EventKind", "SafetyEvent"]

EventKind = Literal[
    "screening",  # red-flag screen answered (answers required)
    "red-flag",  # a red flag reported (code required); pauses at once
    "clinician-pause",  # a clinician paused the walker (urgency defaults to review)
    "escalation",  # stop walking and see a clinician (code: the reasons)
    "clinician-clearance",  # a linked clinician cleared the walker (by = clinician identity)
    "self-reported-review",  # the walker's own record of a medical review, with a re-screen
    "medical-review-confirmed",  # older self-review without a re-screen: lifts nothing
    "flare-start",  # flare reported (code: high or moderate)
    "flare-settled",  # pain back to the pre-flare level on two reports a day apart
]

#: Kinds that may lift a pause or an escalation (a self-review only when valid).
CLEARANCE_KINDS: frozenset[str] = frozenset({"clinician-clearance", "self-reported-review"})

#: Red-flag answers: ``(code, yes)`` pairs.
Answers = tuple[tuple[str, bool], ...]


@dataclass(frozen=True)
class SafetyEvent:
    """One entry of the append-only safety log.

    ``at_utc`` must be time-zone aware. ``code`` names the red flag for
    ``red-flag`` events (urgency comes from the catalogue when not given), the
    severity of ``flare-start`` and the reasons of an ``escalation``. ``by`` names
    who recorded it; ``note`` is free text. ``answers`` holds a screening's or a
    self-review's red-flag answers. ``origin`` says whether the event was recorded
    or derived by the engine from check-ins and walks.
    """

    kind: EventKind
    at_utc: datetime
    code: str | None = None
    urgency: Urgency | None = None
    by: str = ""
    note: str = ""
    origin: Literal["recorded", "derived"] = "recorded"
    answers: Answers = ()
    assessed_on: date | None = None
    assessed_by: str = ""

    def __post_init__(self) -> None:
        """Refuse malformed events instead of folding them silently."""
        if self.kind not in get_args(EventKind):
            raise ValueError(f"unknown safety event kind {self.kind!r}")
        if self.at_utc.tzinfo is None or self.at_utc.utcoffset() is None:
            raise ValueError("SafetyEvent.at_utc must be time-zone aware")
        if self.kind == "red-flag" and not self.code:
            raise ValueError("a red-flag event needs the red-flag code")
        if self.kind == "clinician-clearance" and not self.by.strip():
            raise ValueError("a clinician clearance must name the clinician who cleared (by=...)")
        if self.kind == "screening" and not self.answers:
            raise ValueError("a screening event needs the walker's answers")
        if self.kind == "flare-start" and self.code not in (None, "high", "moderate"):
            raise ValueError(f"flare severity must be high or moderate, got {self.code!r}")
