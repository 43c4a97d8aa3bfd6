"""The pause/resume state machine: a pure fold over the append-only safety log.

States, highest priority first::

    paused     any red flag (or a clinician's pause); carries the most urgent urgency
    escalated  no improvement after consistent walking (see escalation.py)
    flare      a flare-up (see flare.py)
    active     none of the above

Transitions (events sorted by ``at_utc``; at the same instant a clearance is
applied *before* a red flag, so a tie never lifts a pause):

* ``red-flag`` / ``clinician-pause`` → paused, at once, whatever the state.
* ``escalation`` → escalated (still shown as paused while a red flag is open).
* ``clinician-clearance`` / ``medical-review-confirmed`` → lifts every open red
  flag and any escalation recorded *before* it. Nothing else lifts them.
* ``flare-start`` / ``flare-settled`` → turn flare on / off; they never lift a
  pause or an escalation.

The fold never mutates or drops events; the same events in any input order give
the same state.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from walkrx.evidence.advice import ADVICE
from walkrx.evidence.red_flags import NOT_A_DIAGNOSIS, RED_FLAGS, WHAT_TO_DO
from walkrx.evidence.types import URGENCY_ORDER, Urgency
from walkrx.safety.events import CLEARANCE_KINDS, SafetyEvent

__all__ = ["SafetyState", "SafetyStatus", "event_urgency", "most_urgent", "safety_state"]

SafetyStatus = Literal["active", "paused", "flare", "escalated"]


@dataclass(frozen=True)
class SafetyState:
    """The result of folding the safety log."""

    status: SafetyStatus
    urgency: Urgency | None = None
    open_red_flags: tuple[str, ...] = ()
    paused_since: datetime | None = None
    escalated_since: datetime | None = None
    in_flare: bool = False
    last_clearance: SafetyEvent | None = None

    @property
    def walking_allowed(self) -> bool:
        """Whether any walk may be planned (not paused, not escalated)."""
        return self.status in ("active", "flare")

    @property
    def advice(self) -> tuple[str, ...]:
        """What to do now, in plain words, always with the not-a-diagnosis notice."""
        if self.status == "paused" and self.urgency is not None:
            return (WHAT_TO_DO[self.urgency], NOT_A_DIAGNOSIS)
        if self.status == "escalated":
            return (WHAT_TO_DO["review"], NOT_A_DIAGNOSIS)
        if self.status == "flare":
            return (ADVICE["flare-relief"].text, NOT_A_DIAGNOSIS)
        return (NOT_A_DIAGNOSIS,)


def event_urgency(event: SafetyEvent) -> Urgency:
    """Return the urgency a pausing event carries: the catalogue's unless given explicitly.

    An unknown red-flag code is treated as an emergency (fail safe).
    """
    if event.urgency is not None:
        return event.urgency
    if event.kind == "red-flag" and event.code is not None:
        flag = RED_FLAGS.get(event.code)
        return flag.urgency if flag is not None else "emergency"
    return "review"


def most_urgent(urgencies: Iterable[Urgency]) -> Urgency | None:
    """Return the most urgent of ``urgencies`` (``None`` when empty)."""
    ranked = sorted(urgencies, key=URGENCY_ORDER.index)
    return ranked[0] if ranked else None


def _sort_key(e: SafetyEvent) -> tuple[datetime, int, str, str, str, str]:
    order = 0 if e.kind in CLEARANCE_KINDS else 1
    return (e.at_utc, order, e.kind, e.code or "", e.by, e.note)


def safety_state(events: Iterable[SafetyEvent]) -> SafetyState:
    """Fold the safety log into the current :class:`SafetyState` (pure; see module doc)."""
    open_flags: list[tuple[str, Urgency]] = []
    paused_since: datetime | None = None
    escalated_since: datetime | None = None
    flare = False
    last_clearance: SafetyEvent | None = None
    for e in sorted(events, key=_sort_key):
        if e.kind in ("red-flag", "clinician-pause"):
            open_flags.append((e.code or e.kind, event_urgency(e)))
            paused_since = paused_since or e.at_utc
        elif e.kind == "escalation":
            escalated_since = escalated_since or e.at_utc
        elif e.kind in CLEARANCE_KINDS:
            open_flags, paused_since, escalated_since = [], None, None
            last_clearance = e
        elif e.kind == "flare-start":
            flare = True
        elif e.kind == "flare-settled":
            flare = False
    status: SafetyStatus
    if open_flags:
        status = "paused"
    elif escalated_since is not None:
        status = "escalated"
    elif flare:
        status = "flare"
    else:
        status = "active"
    codes = tuple(dict.fromkeys(code for code, _ in open_flags))
    return SafetyState(
        status=status,
        urgency=most_urgent(u for _, u in open_flags),
        open_red_flags=codes,
        paused_since=paused_since,
        escalated_since=escalated_since,
        in_flare=flare,
        last_clearance=last_clearance,
    )
