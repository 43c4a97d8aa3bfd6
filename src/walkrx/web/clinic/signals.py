"""Keep the clinic side in step with the walker's data, whichever path changed it.

* Any change to a walker's data drops their cached caseload row.
* A clinician's clearance and a settings change made by anyone but the walker are written
  to the audit log here, so the web pages, the CLI and any other caller are all audited.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from walkrx.web.walking.models import (
    CheckIn,
    DailyActivity,
    SafetyEvent,
    SettingChange,
    Walk,
    Walker,
)

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


def _name_of(username: str) -> str:
    from .models import Clinician

    found = Clinician.objects.filter(user__username=username).values_list("full_name", flat=True)
    return next(iter(found), "")


def _show(value: Any) -> str:
    if value is None or value == [] or value == "":
        return "default"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _audit_clearance(sender: Any, instance: SafetyEvent, created: bool, **kwargs: Any) -> None:
    if created and instance.kind == "clinician-clearance":
        from .services import audit

        audit.record(
            instance.walker,
            actor=instance.by,
            actor_name=_name_of(instance.by),
            action="clear",
            detail=instance.note,
        )


def _audit_setting(sender: Any, instance: SettingChange, created: bool, **kwargs: Any) -> None:
    if created and instance.by != "walker":
        from .services import audit

        audit.record(
            instance.walker,
            actor=instance.by,
            actor_name=_name_of(instance.by),
            action="settings",
            detail=f"{instance.field}: {_show(instance.old)} → {_show(instance.new)}",
        )


def connect() -> None:
    """Connect the handlers (called once from the app config)."""
    for model in _CHILDREN:
        post_save.connect(_child_changed, sender=model, dispatch_uid=f"clinic-row-{model.__name__}")
        post_delete.connect(
            _child_changed, sender=model, dispatch_uid=f"clinic-row-del-{model.__name__}"
        )
    post_save.connect(_walker_changed, sender=Walker, dispatch_uid="clinic-row-walker")
    post_save.connect(_audit_clearance, sender=SafetyEvent, dispatch_uid="clinic-audit-clear")
    post_save.connect(_audit_setting, sender=SettingChange, dispatch_uid="clinic-audit-setting")
    from django.apps import apps

    if apps.is_installed("walkrx.web.imports"):  # imported days arrive in bulk, with their file
        from walkrx.web.imports.models import SourceFile

        post_save.connect(_child_changed, sender=SourceFile, dispatch_uid="clinic-row-import")
