"""Screening and the two ways back after a pause: gather inputs, let the engine decide.

* ``record_screening``: the walker's answers to the red-flag screen. Every screen
  question must be answered; each "yes" is also recorded as a red-flag event.
* ``clear_by_clinician``: refused unless the username is the walker's linked
  clinician (``walkrx.web.clinic``); the clearance carries that identity.
* ``record_self_review``: refused for a walker with a clinician; otherwise the
  engine (:func:`walkrx.safety.review_problem`) says whether the review may lift the
  pause (clean re-screen, not on the day of an emergency or same-day flag).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from walkrx import safety

from ..models import SafetyEvent, Walker
from ._common import ServiceError
from .state import _safety_events, _state_dict, current_state

__all__ = [
    "clear_by_clinician",
    "is_screened",
    "linked_clinician_of",
    "record_screening",
    "record_self_review",
]

_MIN_NOTE = 3


def linked_clinician_of(walker: Walker) -> Any:
    """The walker's linked clinician (``walkrx.web.clinic``), or ``None``."""
    from walkrx.web.clinic.services import linked_clinician

    return linked_clinician(walker)


def _answers(answers: Mapping[str, Any], required: tuple[str, ...], what: str) -> dict[str, bool]:
    unknown = sorted(set(answers) - set(safety.RED_FLAGS))
    if unknown:
        raise ServiceError(f"{what}: unknown red-flag code(s) {unknown} (see 'walkrx redflags')")
    bad = sorted(k for k, v in answers.items() if not isinstance(v, bool))
    if bad:
        raise ServiceError(f"{what}: answers must be true or false, not {bad}")
    missing = [c for c in required if c not in answers]
    if missing:
        raise ServiceError(f"{what}: every question must be answered; missing {missing}")
    return {k: bool(v) for k, v in answers.items()}


def is_screened(walker: Walker) -> bool:
    """Whether the walker has answered the red-flag screen."""
    return walker.safety_events.filter(kind="screening").exists()


@transaction.atomic
def record_screening(
    walker: Walker, answers: Mapping[str, Any], *, by: str = "walker"
) -> dict[str, Any]:
    """Record the walker's answers to the red-flag screen; each "yes" pauses at once."""
    walker = Walker.objects.select_for_update().get(pk=walker.pk)
    clean = _answers(answers, safety.SCREEN_CODES, "screening")
    now = timezone.now()
    SafetyEvent.objects.create(
        walker=walker, kind="screening", at_utc=now, by=by, answers=clean, note="red-flag screen"
    )
    for code in safety.yes_codes(tuple(clean.items())):
        SafetyEvent.objects.create(
            walker=walker,
            kind="red-flag",
            code=code,
            urgency=safety.red_flag(code).urgency,
            at_utc=now,
            by=by,
            note="screening",
        )
    return _state_dict(current_state(walker))


def _check_note(note: str) -> str:
    text = (note or "").strip()
    if len(text) < _MIN_NOTE:
        raise ServiceError("a clearance needs a note saying what was assessed (--note)")
    return text


@transaction.atomic
def clear_by_clinician(walker: Walker, *, clinician_username: str, note: str) -> dict[str, Any]:
    """Record a clearance by the walker's linked clinician (refused for anyone else)."""
    walker = Walker.objects.select_for_update().get(pk=walker.pk)
    text = _check_note(note)
    clinician = linked_clinician_of(walker)
    if clinician is None:
        raise ServiceError(
            f"{walker.name} has no linked clinician: link one ('walkrx link {walker.name} "
            f"USERNAME'), or the walker records their own review ('walkrx review')"
        )
    if clinician.user.username != clinician_username:
        raise ServiceError(
            f"{clinician_username!r} is not {walker.name}'s clinician; only "
            f"{clinician.user.username!r} can clear this walker"
        )
    state = current_state(walker)
    if state.status not in ("paused", "escalated") and not state.plan.open_reviews:
        raise ServiceError(f"nothing to clear: {walker.name} is {state.status}")
    SafetyEvent.objects.create(
        walker=walker,
        kind="clinician-clearance",
        at_utc=timezone.now(),
        by=clinician.user.username,
        note=f"{text} (cleared by {clinician.full_name})",
    )
    return _state_dict(current_state(walker))


def record_self_review(
    walker: Walker,
    *,
    assessed_on: dt.date,
    assessed_by: str,
    note: str,
    rescreen: Mapping[str, bool],
) -> dict[str, Any]:
    """Record a walker's own medical review with a re-screen (the engine decides if it lifts).

    Refused (:class:`ServiceError`) for a walker with a clinician, on the day of an
    emergency or same-day flag, and unless every re-screen answer is "no". A "yes"
    in the re-screen is a red flag: it is recorded (and pauses) even though the
    review is refused.
    """
    state, problem = _self_review(
        walker, assessed_on=assessed_on, assessed_by=assessed_by, note=note, rescreen=rescreen
    )
    if problem is not None:
        raise ServiceError(f"your review cannot resume the program: {problem}")
    return state


@transaction.atomic
def _self_review(
    walker: Walker,
    *,
    assessed_on: dt.date,
    assessed_by: str,
    note: str,
    rescreen: Mapping[str, bool],
) -> tuple[dict[str, Any], str | None]:
    walker = Walker.objects.select_for_update().get(pk=walker.pk)
    if linked_clinician_of(walker) is not None:
        raise ServiceError(
            f"{walker.name} has a clinician: only the clinician's clearance resumes the program"
        )
    who = (assessed_by or "").strip()
    if not who:
        raise ServiceError("say who assessed you (for example: Dr Lee, GP)")
    from ._common import local_today

    if assessed_on > local_today(walker.tz):
        raise ServiceError("the assessment date cannot be in the future")
    text = (note or "").strip() or f"assessed by {who} on {assessed_on.isoformat()}"
    answers = _answers(rescreen, safety.RESCREEN_CODES, "re-screen")
    state = current_state(walker)
    if state.status not in ("paused", "escalated") and not state.plan.open_reviews:
        raise ServiceError(f"nothing to review: {walker.name} is {state.status}")
    now = timezone.now()
    folded = safety.safety_state(_safety_events(walker), walker.tz)
    problem = safety.review_problem(folded.open_flag_times, now, tuple(answers.items()), walker.tz)
    if problem is not None:
        for code in safety.yes_codes(tuple(answers.items())):
            SafetyEvent.objects.create(
                walker=walker,
                kind="red-flag",
                code=code,
                urgency=safety.red_flag(code).urgency,
                at_utc=now,
                by="walker",
                note="re-screen",
            )
        return _state_dict(current_state(walker)), problem
    SafetyEvent.objects.create(
        walker=walker,
        kind="self-reported-review",
        at_utc=now,
        by="walker",
        note=text,
        answers=answers,
        assessed_on=assessed_on,
        assessed_by=who,
    )
    return _state_dict(current_state(walker)), None
