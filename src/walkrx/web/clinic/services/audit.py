"""The append-only audit log: every view and change of a walker's data by a clinician."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from walkrx.web.walking.models import Walker

from ..models import AuditEntry, Clinician

ACTIONS = {
    "link": "Linked to clinician",
    "unlink": "Link ended",
    "view": "Looked at the walker's page",
    "report": "Made a report",
    "clear": "Cleared a safety pause",
    "settings": "Changed settings",
    "session": "Recorded a session",
    "acknowledge": "Acknowledged an alert",
    "invite-accepted": "Accepted an invitation",
}

#: The same actions as the walker reads them ("who looked at my data").
FOR_WALKER = {
    "link": "started the link to a clinician",
    "unlink": "ended the link",
    "view": "looked at your walking data",
    "report": "made a report of your walking",
    "clear": "cleared your safety pause",
    "settings": "changed your settings",
    "session": "recorded a session with you",
    "acknowledge": "noted an alert about you",
    "invite-accepted": "accepted an invitation",
}


def record(
    walker: Walker, *, actor: str, action: str, detail: str = "", actor_name: str = ""
) -> AuditEntry:
    """Append one entry to the walker's audit log."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    return AuditEntry.objects.create(
        walker=walker,
        at=timezone.now(),
        actor=actor,
        actor_name=actor_name,
        action=action,
        detail=detail,
    )


def record_by(walker: Walker, clinician: Clinician, action: str, detail: str = "") -> AuditEntry:
    """Append an entry made by ``clinician``."""
    return record(
        walker,
        actor=clinician.username,
        actor_name=clinician.full_name,
        action=action,
        detail=detail,
    )


def entries_for(walker: Walker) -> QuerySet[AuditEntry]:
    """The walker's audit log, newest first."""
    return AuditEntry.objects.filter(walker=walker).order_by("-at", "-id")


def all_entries() -> QuerySet[AuditEntry]:
    """The whole audit log (for the clinic admin), newest first."""
    return AuditEntry.objects.select_related("walker").order_by("-at", "-id")
