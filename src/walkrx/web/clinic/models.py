"""Storage for the clinic side. Holds no clinical logic.

A walker has at most one *active* link to a responsible clinician (a database
constraint); ended links stay as history. The audit log is append-only with the
same guard as safety events: the model and its queryset refuse update and delete.
Audit rows leave the database only with the walker's own erasure (cascade).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from walkrx.web.walking.models import Walker

SESSION_KINDS = [
    ("first-assessment", "First assessment"),
    ("follow-up", "Follow-up"),
    ("phone", "Phone call"),
]


class Clinician(models.Model):
    """A clinician's account: the auth user plus profession, registration and clinic."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinician"
    )
    full_name = models.CharField(max_length=120)
    profession = models.CharField(max_length=120, default="Physiotherapist", blank=True)
    registration = models.CharField(
        max_length=120, blank=True, help_text="Professional registration, e.g. HPR 1234567"
    )
    clinic = models.CharField(max_length=120, blank=True)
    is_clinic_admin = models.BooleanField(
        default=False, help_text="May create clinicians and read the whole audit log"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def username(self) -> str:
        """The sign-in name (also the CLI handle)."""
        return str(self.user.get_username())


class CareLink(models.Model):
    """A walker's link to their responsible clinician; ``ended_at`` set when it ends."""

    walker = models.ForeignKey(Walker, on_delete=models.CASCADE, related_name="care_links")
    clinician = models.ForeignKey(Clinician, on_delete=models.PROTECT, related_name="links")
    started_at = models.DateTimeField()
    started_by = models.CharField(max_length=120)
    consent_text = models.TextField(blank=True, help_text="What the walker agreed to")
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.CharField(max_length=120, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["walker"],
                condition=Q(ended_at__isnull=True),
                name="one_active_clinician_per_walker",
            )
        ]

    @property
    def active(self) -> bool:
        """True while the link has not ended."""
        return self.ended_at is None


class Invite(models.Model):
    """A one-time code a clinician gives a walker; the walker accepts it with consent."""

    clinician = models.ForeignKey(Clinician, on_delete=models.CASCADE, related_name="invites")
    code = models.CharField(max_length=32, unique=True)
    note = models.CharField(max_length=120, blank=True, help_text="For whom (clinician's note)")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        Walker, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]


class ClinicSession(models.Model):
    """A session between clinician and walker (WalkBack: six over six months)."""

    walker = models.ForeignKey(Walker, on_delete=models.CASCADE, related_name="clinic_sessions")
    clinician = models.ForeignKey(Clinician, on_delete=models.PROTECT, related_name="sessions")
    date = models.DateField()
    kind = models.CharField(max_length=20, choices=SESSION_KINDS)
    goals = models.TextField(blank=True)
    barriers = models.TextField(blank=True)
    agreed = models.TextField(blank=True, help_text="What was agreed (shown to the walker)")
    plan_changes = models.TextField(blank=True)
    next_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]


class AlertAck(models.Model):
    """A clinician's acknowledgement of one alert (identified by code and start date)."""

    walker = models.ForeignKey(Walker, on_delete=models.CASCADE, related_name="alert_acks")
    code = models.CharField(max_length=40)
    since = models.DateField()
    clinician = models.ForeignKey(Clinician, on_delete=models.PROTECT, related_name="acks")
    note = models.TextField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    """Refuses bulk update and delete."""

    def update(self, **kwargs: Any) -> int:
        """Refuse: audit entries cannot be updated."""
        raise PermissionError("the audit log is append-only: entries cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        """Refuse: audit entries cannot be deleted."""
        raise PermissionError("the audit log is append-only: entries cannot be deleted")


class AuditEntry(models.Model):
    """Who looked at or changed a walker's data, and when (append-only)."""

    walker = models.ForeignKey(Walker, on_delete=models.CASCADE, related_name="audit_entries")
    at = models.DateTimeField()
    actor = models.CharField(max_length=150, help_text="username, 'walker', 'cli' ...")
    actor_name = models.CharField(max_length=120, blank=True)
    action = models.CharField(max_length=40)
    detail = models.TextField(blank=True)

    objects: ClassVar[AuditQuerySet] = AuditQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["walker", "at"])]

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only; changing a stored entry is refused."""
        if self.pk is not None:
            raise PermissionError("the audit log is append-only: entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Refuse: audit entries cannot be deleted."""
        raise PermissionError("the audit log is append-only: entries cannot be deleted")


class CaseloadRow(models.Model):
    """A walker's caseload row as last computed by the engines (a cache, never the truth).

    Deleted whenever the walker's data changes (signals in ``signals.py``); used only
    until ``valid_until``: the walker's next local midnight, or ``services.caseload.MAX_AGE``
    after it was computed, whichever comes first.
    """

    walker = models.OneToOneField(Walker, on_delete=models.CASCADE, related_name="caseload_row")
    computed_on = models.DateField()
    computed_at = models.DateTimeField()
    valid_until = models.DateTimeField()
    data = models.JSONField()
