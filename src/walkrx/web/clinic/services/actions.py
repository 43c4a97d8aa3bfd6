"""A clinician's actions on a linked walker: clear a pause, change settings, record a session.

Each action checks the link, calls the walking services (which hold the one rule for
clearance and for settings) and writes the audit log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from walkrx.web.walking import services as walking
from walkrx.web.walking.models import Walker

from ..models import SESSION_KINDS, Clinician, ClinicSession
from . import audit
from .links import is_linked


def require_link(walker: Walker, clinician: Clinician) -> None:
    """Refuse unless ``clinician`` is the walker's responsible clinician now."""
    if not is_linked(walker, clinician):
        raise walking.ServiceError(
            f"{clinician.username} is not {walker.name}'s responsible clinician"
        )


@transaction.atomic
def clear_pause(walker: Walker, clinician: Clinician, note: str) -> dict[str, Any]:
    """Clear a safety pause or escalation with a reason (only for a linked walker)."""
    require_link(walker, clinician)
    if not note.strip():
        raise walking.ServiceError("a clearance needs a reason")
    # the clearance event is audited by signals.py, as from any other caller
    state: dict[str, Any] = walking.clear_by_clinician(
        walker, clinician_username=clinician.username, note=note.strip()
    )
    return state


@transaction.atomic
def change_walker_settings(
    walker: Walker, clinician: Clinician, **fields: Any
) -> list[dict[str, Any]]:
    """Change the walker's settings through the walking services; audit what changed."""
    require_link(walker, clinician)
    changes: list[dict[str, Any]] = walking.change_settings(walker, by=clinician.username, **fields)
    return changes  # each change is audited by signals.py, as from any other caller


@transaction.atomic
def record_session(
    walker: Walker,
    clinician: Clinician,
    *,
    date: dt.date,
    kind: str,
    goals: str = "",
    barriers: str = "",
    agreed: str = "",
    plan_changes: str = "",
    next_date: dt.date | None = None,
) -> ClinicSession:
    """Record a session held with the walker (what was agreed is shown to the walker)."""
    require_link(walker, clinician)
    if kind not in dict(SESSION_KINDS):
        raise walking.ServiceError(f"session type must be one of {list(dict(SESSION_KINDS))}")
    if next_date is not None and next_date <= date:
        raise walking.ServiceError("the next session must be after this one")
    session = ClinicSession.objects.create(
        walker=walker,
        clinician=clinician,
        date=date,
        kind=kind,
        goals=goals.strip(),
        barriers=barriers.strip(),
        agreed=agreed.strip(),
        plan_changes=plan_changes.strip(),
        next_date=next_date,
    )
    audit.record_by(
        walker,
        clinician,
        "session",
        f"{dict(SESSION_KINDS)[kind]} on {date.isoformat()}"
        + (f"; next {next_date.isoformat()}" if next_date else ""),
    )
    return session
