"""The pause/resume state machine: a pure fold over the append-only safety log.

States, highest priority first::

    paused      any open red flag that pauses (or a clinician's pause); carries the most
                urgent urgency
    unscreened  no red-flag screening recorded yet: no plan until the walker answers it
    escalated   stop walking and see a clinician (see escalation.py)
    flare       a flare-up (see flare.py); ``flare_level`` is high (no walks) or moderate
    active      none of the above

A red flag whose urgency is ``review-keep-walking`` (a new episode not improving)
does not pause: it is kept in ``open_reviews`` and shown as "book a review, keep
walking within the pain rules".

Transitions (events sorted by ``at_utc``; at the same instant a clearance is
applied *before* a red flag, so a tie never lifts a pause):

* ``screening`` → screened; each "yes" in it opens that red flag.
* ``red-flag`` / ``clinician-pause`` → paused, at once, whatever the state.
* ``escalation`` → escalated (still shown as paused while a red flag is open).
* ``clinician-clearance`` (carries the clinician's identity) → lifts every open
  flag, review and escalation recorded *before* it.
* ``self-reported-review`` → the same, but only when :func:`review_problem` finds
  nothing wrong (a clean re-screen; not on the day of an emergency or same-day
  flag). Otherwise it lifts nothing and is counted in ``refused_reviews``. A "yes"
  in its re-screen opens that red flag.
* ``medical-review-confirmed`` (older self-review without a re-screen) lifts nothing.
* ``flare-start`` / ``flare-settled`` → turn flare on (with its level) / off; they
  never lift a pause or an escalation.

The fold never mutates or drops events; the same events in any input order give
the same state. ``tz`` (the walker's IANA zone) places events on local days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from walkrx.evidence.advice import ADVICE
from walkrx.evidence.red_flags import NOT_A_DIAGNOSIS, RED_FLAGS, WHAT_TO_DO
from walkrx.evidence.types import PAUSING_URGENCIES, URGENCY_ORDER, Urgency
from walkrx.safety.events import CLEARANCE_KINDS, SafetyEvent
from walkrx.safety.review import review_problem, yes_codes

__all__ = [
    "SCREEN_ADVICE",
    "FlareLevel",
    "SafetyState",
    "SafetyStatus",
    "event_urgency",
    "most_urgent",
    "safety_state",
]

SafetyStatus = Literal["active", "paused", "unscreened", "flare", "escalated"]
FlareLevel = Literal["high", "moderate"]

#: What an unscreened walker is told.
SCREEN_ADVICE = (
    "Before your first walk, answer the red-flag questions (in the app, or with "
    "'walkrx screen NAME'). They check for signs that need a doctor before walking."
)


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
    screened: bool = False
    flare_level: FlareLevel | None = None
    open_reviews: tuple[str, ...] = ()
    escalation_reasons: tuple[str, ...] = ()
    refused_reviews: int = 0
    open_flag_times: tuple[tuple[str, Urgency, datetime], ...] = ()

    @property
    def walking_allowed(self) -> bool:
        """Whether walks may be planned at all (not paused, unscreened or escalated)."""
        return self.status in ("active", "flare")

    @property
    def advice(self) -> tuple[str, ...]:
        """What to do now, in plain words, always with the not-a-diagnosis notice."""
        out: list[str] = []
        if self.status == "paused" and self.urgency is not None:
            out.append(WHAT_TO_DO[self.urgency])
        elif self.status == "unscreened":
            out.append(SCREEN_ADVICE)
        elif self.status == "escalated":
            out.append(WHAT_TO_DO["review"])
        elif self.status == "flare":
            key = "flare-high" if self.flare_level == "high" else "flare-moderate"
            out.append(ADVICE[key].text)
            if self.flare_level != "high":
                out.append(ADVICE["flare-high"].text)
        if self.open_reviews and self.status in ("active", "flare"):
            out.append(WHAT_TO_DO["review-keep-walking"])
        out.append(NOT_A_DIAGNOSIS)
        return tuple(out)


def event_urgency(event: SafetyEvent) -> Urgency:
    """Return the urgency a pausing event carries: the catalogue's unless given explicitly.

    An unknown red-flag code is treated as an emergency (fail safe).
    """
    if event.urgency is not None:
        return event.urgency
    if event.kind == "red-flag" and event.code is not None:
        return _code_urgency(event.code)
    return "review"


def _code_urgency(code: str) -> Urgency:
    flag = RED_FLAGS.get(code)
    return flag.urgency if flag is not None else "emergency"


def most_urgent(urgencies: Iterable[Urgency]) -> Urgency | None:
    """Return the most urgent of ``urgencies`` (``None`` when empty)."""
    ranked = sorted(urgencies, key=URGENCY_ORDER.index)
    return ranked[0] if ranked else None


#: At one instant: a clinician's clearance, then a walker's own review (whose "yes"
#: answers stay open), then everything else - a flag never loses a tie to a clearance.
_TIE_ORDER = {"clinician-clearance": 0, "self-reported-review": 1}


def _sort_key(e: SafetyEvent) -> tuple[datetime, int, str, str, str, str, str, str, str, str, str]:
    """A total order: events at one instant fold the same whatever order they were given in."""
    return (
        e.at_utc,
        _TIE_ORDER.get(e.kind, 2),
        e.kind,
        e.code or "",
        e.urgency or "",
        e.by,
        e.note,
        e.origin,
        repr(e.answers),
        e.assessed_on.isoformat() if e.assessed_on else "",
        e.assessed_by,
    )


def safety_state(events: Iterable[SafetyEvent], tz: str = "UTC") -> SafetyState:
    """Fold the safety log into the current :class:`SafetyState` (pure; see module doc)."""
    flags: list[tuple[str, Urgency, datetime]] = []
    reviews: list[str] = []
    escalated_since: datetime | None = None
    escalation_why: list[str] = []
    flare: FlareLevel | None = None
    last_clearance: SafetyEvent | None = None
    screened = False
    refused = 0

    def open_flag(code: str, urgency: Urgency, at: datetime) -> None:
        if urgency in PAUSING_URGENCIES:
            flags.append((code, urgency, at))
        elif code not in reviews:
            reviews.append(code)

    for e in sorted(events, key=_sort_key):
        if e.kind == "screening":
            screened = True
            for code in yes_codes(e.answers):
                open_flag(code, _code_urgency(code), e.at_utc)
        elif e.kind in ("red-flag", "clinician-pause"):
            open_flag(e.code or e.kind, event_urgency(e), e.at_utc)
        elif e.kind == "escalation":
            escalated_since = escalated_since or e.at_utc
            if e.code:
                escalation_why.extend(c for c in e.code.split(",") if c not in escalation_why)
        elif e.kind in CLEARANCE_KINDS:
            if (
                e.kind == "self-reported-review"
                and review_problem(flags, e.at_utc, e.answers, tz) is not None
            ):
                refused += 1
                for code in yes_codes(e.answers):
                    open_flag(code, _code_urgency(code), e.at_utc)
                continue
            flags, reviews, escalated_since, escalation_why = [], [], None, []
            last_clearance = e
        elif e.kind == "flare-start":
            flare = "moderate" if e.code == "moderate" else "high"
        elif e.kind == "flare-settled":
            flare = None
    status: SafetyStatus
    if flags:
        status = "paused"
    elif not screened:
        status = "unscreened"
    elif escalated_since is not None:
        status = "escalated"
    elif flare is not None:
        status = "flare"
    else:
        status = "active"
    codes = tuple(dict.fromkeys(code for code, _, _ in flags))
    return SafetyState(
        status=status,
        urgency=most_urgent(u for _, u, _ in flags),
        open_red_flags=codes,
        paused_since=min((at for _, _, at in flags), default=None),
        escalated_since=escalated_since,
        in_flare=flare is not None,
        last_clearance=last_clearance,
        screened=screened,
        flare_level=flare,
        open_reviews=tuple(reviews),
        escalation_reasons=tuple(escalation_why),
        refused_reviews=refused,
        open_flag_times=tuple(flags),
    )
