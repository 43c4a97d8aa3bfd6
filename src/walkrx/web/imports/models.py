"""Storage of imported consumer data: the original files, their records and the merged days.

* :class:`SourceFile`: an imported file, kept as it was uploaded.
* :class:`IntervalChunk`: the step/distance records an import added (the ones not stored
  before), in one columnar file per import (numpy ``.npz``: start, end, value, kind, offset and
  source columns, and the table of sources). Nothing reads these records one at a time: the
  merge reads them as columns.
* :class:`ConsumerInterval`: walking workouts, one row each (few; read row by row by the merge),
  and the step/distance rows of imports made before the chunks existed (still read).

Daily totals derived from these records live in ``walking.DailyActivity`` (``origin="imported"``)
and are recomputed from the records, so they can always be rebuilt.
"""

from __future__ import annotations

from django.db import models

from walkrx.web.walking.models import Walker

KINDS = [("steps", "steps"), ("distance", "distance"), ("workout", "workout")]


def _upload_to(instance: SourceFile, filename: str) -> str:
    return f"imports/{instance.walker_id}/{instance.sha256[:2]}/{instance.sha256}/{filename}"


class SourceFile(models.Model):
    """An imported file, kept so that the original can be downloaded again."""

    walker = models.ForeignKey(Walker, on_delete=models.CASCADE, related_name="source_files")
    kind = models.CharField(max_length=32)
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    stored = models.FileField(upload_to=_upload_to, max_length=400)
    imported_at = models.DateTimeField(auto_now_add=True)
    records = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["imported_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["walker", "sha256"], name="one_copy_per_walker_file")
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.kind})"


class ConsumerInterval(models.Model):
    """One record of one source: steps or metres over an interval, or a walking workout.

    For a workout ``value`` is its duration in seconds; ``distance_m`` and ``steps`` are set
    when known. Unique per (walker, kind, source, start, end): re-importing is a no-op.
    """

    # Bulk table: no separate FK indexes (the unique constraint, walker first, serves walker
    # lookups; SourceFile deletions are rare) and no database-level FK checks (Django's
    # on_delete still cascades): each would slow the insert of an export's records.
    walker = models.ForeignKey(
        Walker,
        on_delete=models.CASCADE,
        related_name="consumer_intervals",
        db_index=False,
        db_constraint=False,
    )
    source_file = models.ForeignKey(
        SourceFile,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="intervals",
        db_index=False,
        db_constraint=False,
    )
    source_name = models.CharField(max_length=200)
    device = models.CharField(max_length=200, blank=True)
    device_kind = models.CharField(max_length=16)
    kind = models.CharField(max_length=16, choices=KINDS)
    activity = models.CharField(max_length=16, blank=True)
    start_utc = models.DateTimeField()
    end_utc = models.DateTimeField()
    value = models.FloatField()
    unit = models.CharField(max_length=8)
    utc_offset_minutes = models.SmallIntegerField()
    distance_m = models.FloatField(null=True, blank=True)
    steps = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["start_utc", "id"]
        constraints = [
            models.UniqueConstraint(
                # walker and start first: the same index serves time-range queries
                fields=["walker", "start_utc", "kind", "source_name", "end_utc"],
                name="consumer_interval_once",
            )
        ]


def _chunk_to(instance: IntervalChunk, filename: str) -> str:
    return f"imports/{instance.walker_id}/intervals/{filename}"


class IntervalChunk(models.Model):
    """The step/distance records one import added, as one columnar file under the walker's folder.

    Together the chunks of a walker (and any older ``ConsumerInterval`` step/distance rows) hold
    each record once: an import stores only the records not stored before, so a re-import adds
    no chunk. The file lives in ``imports/<walker id>/intervals/``, which account erasure removes.
    """

    walker = models.ForeignKey(Walker, on_delete=models.CASCADE, related_name="interval_chunks")
    source_file = models.ForeignKey(
        SourceFile,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interval_chunks",
    )
    stored = models.FileField(upload_to=_chunk_to, max_length=400)
    records = models.PositiveIntegerField(default=0)
    #: UTC epoch seconds of the earliest start and the latest end (to skip unrelated chunks)
    first_start_s = models.BigIntegerField()
    last_end_s = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.records} records of walker {self.walker_id}"
