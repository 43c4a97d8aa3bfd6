"""Template helpers: the safety banner shown on every page, citations of evidence keys."""

from __future__ import annotations

from typing import Any

from django import template

from walkrx.evidence.cite import cite as _cite

from .. import services
from ..access import walker_of

register = template.Library()


@register.inclusion_tag("walking/_stop_banner.html", takes_context=True)
def stop_banner(context: dict[str, Any]) -> dict[str, Any]:
    """The stop notice while paused or escalated: on every page, never dismissible."""
    request = context.get("request")
    walker = getattr(request, "walker", None) if request is not None else None
    if walker is None and request is not None and getattr(request, "clinician", None) is None:
        walker = walker_of(request)  # clinic pages (request.clinician) have no walker
    state = context.get("safety_state")
    if walker is not None and state is None:
        state = services.recorded_safety(walker)
    return {
        "safety_state": state,
        "emergency_number": context.get("emergency_number"),
        "urgent_number": context.get("urgent_number"),
        "clinic_contact": context.get("clinic_contact"),
        "on_safety_page": context.get("on_safety_page", False),
        "clinician_name": _clinician_name(walker) if walker is not None else "",
    }


def _clinician_name(walker: Any) -> str:
    """The linked clinician's name (``Walker.clinician`` follows the clinic's active link)."""
    user = walker.clinician if walker.clinician_id else None
    clinician = getattr(user, "clinician", None) if user is not None else None
    return str(clinician.full_name) if clinician is not None else ""


@register.filter
def cite(key: str) -> str:
    """Citation text for an evidence key; ``advice: …`` keys are labelled as advice."""
    key = str(key)
    is_advice = key.startswith("advice")
    try:
        text = _cite(key)
    except KeyError:
        text = key.removeprefix("advice: ").removeprefix("advice:").strip()
        return f"Advice (not a research finding): {text}" if is_advice else text
    if is_advice and not text.startswith("advice"):
        return f"Advice (not a research finding): {text}"
    return text


@register.filter
def minutes(value: Any) -> int:
    """Whole minutes of a ``timedelta`` (rounded up), e.g. for the sign-in lockout page."""
    seconds = value.total_seconds() if hasattr(value, "total_seconds") else float(value or 0)
    return int(-(-seconds // 60))
