"""Drop a walker's cached caseload row whenever their data changes."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from walkrx.web.walking.models import CheckIn, DailyActivity, SafetyEvent, Walk, Walker

from .models import AlertAck, CareLink, CaseloadRow, ClinicSession

_CHILDREN = (Walk, CheckIn, SafetyEvent, DailyActivity, ClinicSession, CareLink, AlertAck)


def _drop(walker_id: int | None) -> None:
    if walker_id is not None:
        CaseloadRow.objects.filter(walker_id=walker_id).delete()


def _child_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    _drop(instance.walker_id)


def _walker_changed(sender: Any, instance: Walker, **kwargs: Any) -> None:
    if not kwargs.get("created"):
        _drop(instance.pk)


def connect() -> None:
    """Connect the handlers (called once from the app config)."""
    for model in _CHILDREN:
        post_save.connect(_child_changed, sender=model, dispatch_uid=f"clinic-row-{model.__name__}")
        post_delete.connect(
            _child_changed, sender=model, dispatch_uid=f"clinic-row-del-{model.__name__}"
        )
    post_save.connect(_walker_changed, sender=Walker, dispatch_uid="clinic-row-walker")
    from django.apps import apps

    if apps.is_installed("walkrx.web.imports"):  # imported days arrive in bulk, with their file
        from walkrx.web.imports.models import SourceFile

        post_save.connect(_child_changed, sender=SourceFile, dispatch_uid="clinic-row-import")
