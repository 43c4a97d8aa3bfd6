"""Storage for walkers and their walking. Holds no clinical or signal logic.

Safety events are append-only: the model, its querysets (``objects`` and the base
manager) and database triggers (migration ``0002_i14_safety_triggers``, SQLite and
PostgreSQL) refuse update and delete, and a check constraint refuses an unknown
kind or urgency. The only way a safety event leaves the database is the erasure of
the whole walker at the walker's own request (``services.erase_walker``), which
marks the walker in ``SafetyErasure`` for the length of its transaction: the
delete trigger lets rows of a marked walker go, and nothing else.
"""

from __future__ import annotations

from typing import Any, ClassVar, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from walkrx.evidence.types import Urgency
from walkrx.safety.events import EventKind

GOALS = [
    ("prevent-recurrence", "Prevent a recurrence"),
    ("relieve-pain", "Relieve current pain"),
    ("lower-risk", "Lower the risk of chronic back pain"),
]
CONDITIONS = ["spinal-stenosis", "disc-herniation", "spondylolisthesis", "microdiscectomy"]
TERRAINS = [(t, t) for t in ("flat", "hills", "stairs", "treadmill", "pool", "track")]
TALK_TEST = [
    ("can-sing", "I could talk and sing"),
    ("can-talk", "I could talk but not sing"),
    ("cannot-talk", "I could not talk in full sentences"),
]
PAIN = [MinValueValidator(0), MaxValueValidator(10)]


def validate_iana_zone(value: str) -> None:
    """Accept only IANA region names such as ``Europe/Oslo`` (``CET``-style names are refused)."""
    if "/" not in value and value != "UTC":
        raise ValidationError(f"{value!r} is not an IANA zone name such as Europe/Oslo")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(f"unknown time zone {value!r}") from exc


class Walker(models.Model):
    """A person in the program. ``name`` is the handle used by the CLI and URLs."""

    name = models.SlugField(max_length=64, unique=True)
    display_name = models.CharField(max_length=120, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="walker",
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="caseload",
    )
    age = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(18), MaxValueValidator(120)]
    )
    goal = models.CharField(max_length=32, choices=GOALS)
    conditions = models.JSONField(default=list, blank=True)
    surgery_date = models.DateField(null=True, blank=True)
    surgery_cleared_on = models.DateField(null=True, blank=True)
    tz = models.CharField(max_length=64, default="UTC", validators=[validate_iana_zone])
    start_date = models.DateField()
    baseline_minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text="Reported walking minutes per day before starting"
    )
    baseline_steps = models.PositiveIntegerField(null=True, blank=True)
    # Preferences and clinician limits (None = the engine's cited default).
    preferences = models.JSONField(default=dict, blank=True)
    pain_limit = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN)
    target_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    target_days = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    max_weekly_increase_pct = models.PositiveSmallIntegerField(null=True, blank=True)
    bout_cap_min = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    max_hr = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(60), MaxValueValidator(240)]
    )
    onboarded = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.display_name or self.name

    @property
    def zone(self) -> ZoneInfo:
        """The walker's IANA zone."""
        return ZoneInfo(self.tz)


class Walk(models.Model):
    """One walk, logged by hand, in the web app or from a device."""

    walker = models.ForeignKey(Walker, on_delete=models.CASCADE, related_name="walks")
    start_utc = models.DateTimeField()
    tz = models.CharField(max_length=64, validators=[validate_iana_zone])
    local_date = models.DateField(db_index=True)
    minutes = models.FloatField(validators=[MinValueValidator(0), MaxValueValidator(24 * 60)])
    steps = models.PositiveIntegerField(null=True, blank=True)
    distance_m = models.FloatField(null=True, blank=True, validators=[MinValueValidator(0)])
    terrain = models.CharField(max_length=16, choices=TERRAINS, default="flat")
    pain_before = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN)
    pain_max = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN)
    pain_after = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN)
    talk_test = models.CharField(max_length=16, choices=TALK_TEST, blank=True)
    notes = models.TextField(blank=True)
    source = models.CharField(max_length=32, default="manual")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_utc"]
        indexes = [models.Index(fields=["walker", "local_date"])]


class CheckIn(models.Model):
    """A weekly (or ad-hoc) check-in: pain, symptoms, red flags."""

    walker = models.ForeignKey(Walker, on_delete=models.CASCADE, related_name="checkins")
    date = models.DateField()
    avg_pain = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN)
    worst_pain = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN)
    rest_pain = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN)
    night_pain = models.BooleanField(default=False)
    leg_symptoms = models.BooleanField(default=False)
    flare = models.BooleanField(default=False)
    highly_flared = models.BooleanField(default=False)
    recurrence = models.BooleanField(default=False)
    confidence = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN)
    red_flags = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "created_at"]


class AppendOnlyQuerySet(models.QuerySet["SafetyEvent"]):
    """Refuses bulk update and delete."""

    def update(self, **kwargs: Any) -> int:
        """Refuse: safety events cannot be updated."""
        raise PermissionError("safety events are append-only: they cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        """Refuse: safety events cannot be deleted."""
        raise PermissionError("safety events are append-only: they cannot be deleted")


class SafetyEvent(models.Model):
    """An entry of the append-only safety log (red flag, clearance, flare, escalation ...)."""

    walker = models.ForeignKey(Walker, on_delete=models.PROTECT, related_name="safety_events")
    kind = models.CharField(max_length=40)
    code = models.CharField(max_length=64, blank=True)
    urgency = models.CharField(max_length=32, blank=True)
    at_utc = models.DateTimeField()
    by = models.CharField(max_length=120, blank=True)
    note = models.TextField(blank=True)
    answers = models.JSONField(default=dict, blank=True)  # screening / re-screen {code: yes}
    assessed_on = models.DateField(null=True, blank=True)
    assessed_by = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[AppendOnlyQuerySet] = AppendOnlyQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["at_utc", "id"]
        base_manager_name = "objects"  # ``_base_manager.update()`` is refused too
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=get_args(EventKind)),
                name="safetyevent_known_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(urgency__in=("", *get_args(Urgency))),
                name="safetyevent_known_urgency",
            ),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only; changing a stored event is refused."""
        if self.pk is not None:
            raise PermissionError("safety events are append-only: they cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Refuse: safety events cannot be deleted."""
        raise PermissionError("safety events are append-only: they cannot be deleted")


class SafetyErasure(models.Model):
    """A walker whose safety events are being erased (exists only inside ``erase_walker``).

    The database's delete trigger on the safety-event table lets a row go only while
    its walker is listed here; ``erase_walker`` adds and removes the row in the same
    transaction, so no row of this table outlives an erasure.
    """

    walker_id = models.BigIntegerField(unique=True)


class SettingChangeQuerySet(models.QuerySet["SettingChange"]):
    """Refuses bulk update and delete: the settings history is append-only."""

    def update(self, **kwargs: Any) -> int:
        """Refuse: a recorded change cannot be rewritten."""
        raise PermissionError("setting changes are append-only: they cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        """Refuse: a recorded change cannot be removed."""
        raise PermissionError("setting changes are append-only: they cannot be deleted")


class SettingChange(models.Model):
    """One change of one per-walker setting: who, when, the old and the new value."""

    walker = models.ForeignKey(Walker, on_delete=models.CASCADE, related_name="setting_changes")
    field = models.CharField(max_length=40)
    old = models.JSONField(null=True, blank=True)
    new = models.JSONField(null=True, blank=True)
    by = models.CharField(max_length=150)
    at_utc = models.DateTimeField()

    objects: ClassVar[SettingChangeQuerySet] = SettingChangeQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["at_utc", "id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only."""
        if self.pk is not None:
            raise PermissionError("setting changes are append-only: they cannot be changed")
        super().save(*args, **kwargs)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        return {
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "by": self.by,
            "at_utc": self.at_utc.isoformat(),
        }


class PlanSnapshot(models.Model):
    """The plan as last shown for a week; ``sequence`` grows when it changes (iCalendar SEQUENCE)."""

    walker = models.ForeignKey(Walker, on_delete=models.CASCADE, related_name="plans")
    week_start = models.DateField()
    plan = models.JSONField()
    digest = models.CharField(max_length=64)
    sequence = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["week_start"]
        constraints = [
            models.UniqueConstraint(fields=["walker", "week_start"], name="one_plan_per_week")
        ]
        # the pages' fingerprint reads MAX(updated_at) per walker on every request
        indexes = [models.Index(fields=["walker", "updated_at"], name="plan_walker_updated")]


class DailyActivity(models.Model):
    """Walking per walker and local day from one origin (device measurement or import)."""

    ORIGINS = [("measured", "measured"), ("imported", "imported"), ("manual", "manual")]

    walker = models.ForeignKey(Walker, on_delete=models.CASCADE, related_name="days")
    date = models.DateField()
    origin = models.CharField(max_length=16, choices=ORIGINS)
    steps = models.PositiveIntegerField(null=True, blank=True)
    walk_min = models.FloatField(null=True, blank=True)
    distance_m = models.FloatField(null=True, blank=True)
    steps_by_source = models.JSONField(default=dict, blank=True)
    mean_met = models.FloatField(null=True, blank=True)
    wear_min = models.FloatField(null=True, blank=True)
    valid_day = models.BooleanField(null=True, blank=True)
    source_file = models.CharField(max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "origin"]
        constraints = [
            models.UniqueConstraint(fields=["walker", "date", "origin"], name="one_day_per_origin")
        ]
        # the pages' fingerprint reads MAX(updated_at) per walker on every request
        indexes = [models.Index(fields=["walker", "updated_at"], name="day_walker_updated")]


class WalkRevision(models.Model):
    """The history of a walk: its values before an edit, or the whole walk when it was deleted.

    ``walk_id`` is a plain number, not a foreign key, so a deleted walk's copy stays
    (an undo puts the walk back under the same id).
    """

    KINDS = [("edit", "edit"), ("delete", "delete")]

    walker = models.ForeignKey(Walker, on_delete=models.CASCADE, related_name="walk_revisions")
    walk_id = models.PositiveBigIntegerField(db_index=True)
    kind = models.CharField(max_length=8, choices=KINDS)
    data = models.JSONField()
    at = models.DateTimeField(auto_now_add=True)
    restored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]


JOB_STATES = ["queued", "running", "done", "failed", "cancelled", "unsupported"]


class UploadJob(models.Model):
    """One uploaded file waiting for, or handled by, the import worker (``walking.jobs``).

    The status lives here, never in a file beside the upload, so no file name a walker
    chooses can collide with it. ``message`` is a plain sentence for the walker (no
    traceback, no server path); ``heartbeat`` is renewed by the worker while it runs.
    """

    id = models.CharField(primary_key=True, max_length=32)
    walker = models.ForeignKey(Walker, on_delete=models.CASCADE, related_name="upload_jobs")
    file_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16)
    placement = models.CharField(max_length=32, blank=True)
    state = models.CharField(max_length=16, default="queued", choices=[(s, s) for s in JOB_STATES])
    percent = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=500, default="Waiting to start")
    counts = models.JSONField(default=dict, blank=True)
    cancel_requested = models.BooleanField(default=False)
    task_id = models.CharField(max_length=64, blank=True)  # the django-tasks result id
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["state"])]
