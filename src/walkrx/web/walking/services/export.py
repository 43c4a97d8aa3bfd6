"""Everything a walker owns: the download tables and the one erasure path."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from ..models import SafetyErasure, SafetyEvent, Walker


def export_tables(walker: Walker) -> dict[str, list[dict[str, Any]]]:
    """Everything stored for the walker, as JSON-able tables (for the download)."""
    from django.forms.models import model_to_dict

    def rows(qs: Any, exclude: tuple[str, ...] = ("walker",)) -> list[dict[str, Any]]:
        out = []
        for obj in qs:
            d = model_to_dict(obj, exclude=list(exclude))
            d["id"] = obj.pk
            for extra in ("created_at", "updated_at"):
                if hasattr(obj, extra):
                    d[extra] = getattr(obj, extra)
            out.append({k: _jsonable(v) for k, v in d.items()})
        return out

    profile = model_to_dict(walker, exclude=["user", "clinician"])
    return {
        "walker": [{k: _jsonable(v) for k, v in profile.items()}],
        "walks": rows(walker.walks.all()),
        "checkins": rows(walker.checkins.all()),
        "safety_events": rows(walker.safety_events.all()),
        "daily_activity": rows(walker.days.all()),
        "plans": rows(walker.plans.all()),
        "setting_changes": [c.to_dict() for c in walker.setting_changes.all()],
        "walk_revisions": [
            {"walk_id": r.walk_id, "kind": r.kind, "at": _jsonable(r.at), "before": r.data}
            for r in walker.walk_revisions.all()
        ],
        "imported_files": [
            {
                "name": f.original_name,
                "kind": f.kind,
                "sha256": f.sha256,
                "size": f.size,
                "records": f.records,
                "imported_at": _jsonable(f.imported_at),
            }
            for f in getattr(walker, "source_files").all()  # noqa: B009 - app may be absent
        ]
        if hasattr(walker, "source_files")
        else [],
    } | _clinic_tables(walker)


def _clinic_tables(walker: Walker) -> dict[str, list[dict[str, Any]]]:
    """The walker's links to clinicians, sessions and audit log (when the clinic app is on)."""
    if not hasattr(walker, "care_links"):
        return {}
    return {
        "clinician_links": [
            {
                "clinician": link.clinician.full_name,
                "started_at": _jsonable(link.started_at),
                "ended_at": _jsonable(link.ended_at),
                "consent_text": link.consent_text,
            }
            for link in walker.care_links.select_related("clinician")
        ],
        "clinic_sessions": [
            {
                "date": _jsonable(s.date),
                "kind": s.kind,
                "clinician": s.clinician.full_name,
                "goals": s.goals,
                "barriers": s.barriers,
                "agreed": s.agreed,
                "plan_changes": s.plan_changes,
                "next_date": _jsonable(s.next_date),
            }
            for s in walker.clinic_sessions.select_related("clinician")
        ],
        "audit_log": [
            {
                "at": _jsonable(e.at),
                "who": e.actor_name or e.actor,
                "action": e.action,
                "detail": e.detail,
            }
            for e in walker.audit_entries.all()
        ],
    }


def _jsonable(v: Any) -> Any:
    if isinstance(v, dt.datetime | dt.date | dt.time):
        return v.isoformat()
    return v


@transaction.atomic
def erase_walker(walker: Walker, *, delete_user: bool = True) -> dict[str, int]:
    """Delete the walker and everything they own, at their own request, in one transaction.

    This is the one sanctioned path by which safety events leave the database. The
    append-only queryset refuses ``delete()`` and the database's delete trigger refuses
    the row unless its walker is listed in ``SafetyErasure``; so the walker is listed,
    the events are removed with Django's raw delete (no signals, no cascade; safety
    events have no dependants) and the listing is removed again, all in this one
    transaction. Returns the number of rows removed per table.
    """
    walker = Walker.objects.select_for_update().get(pk=walker.pk)
    counts = {
        "walks": walker.walks.count(),
        "checkins": walker.checkins.count(),
        "daily_activity": walker.days.count(),
        "plans": walker.plans.count(),
    }
    events = SafetyEvent.objects.filter(walker=walker)
    mark = SafetyErasure.objects.create(walker_id=walker.pk)
    counts["safety_events"] = events._raw_delete(events.db)  # the documented bypass
    mark.delete()
    user = walker.user
    walker.delete()  # cascades walks, check-ins, days and plans
    counts["walker"] = 1
    if delete_user and user is not None:
        user.delete()
        counts["user"] = 1
    return counts
