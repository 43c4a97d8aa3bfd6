"""Tokens for the API and the calendar feed, and the ledger of published calendar events.

Only a SHA-256 hash of each token is stored: the token itself is shown once, when it
is made. Revoking sets ``revoked_at``; a revoked token never works again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from walkrx.web.walking.models import Walker


class ApiToken(models.Model):
    """A personal token for the JSON API (``Authorization: Bearer <token>``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"api-token-{self.pk}"


class CalendarToken(models.Model):
    """The secret in a walker's calendar subscription URL (``/cal/<token>.ics``)."""

    walker = models.ForeignKey(Walker, on_delete=models.CASCADE, related_name="calendar_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]


class CalendarEntry(models.Model):
    """An event the feed has published, so that a walk later removed can be sent as CANCELLED."""

    walker = models.ForeignKey(Walker, on_delete=models.CASCADE, related_name="calendar_entries")
    uid = models.CharField(max_length=200)
    week_start = models.DateField()
    day = models.DateField()
    minutes = models.PositiveIntegerField(null=True, blank=True)
    at = models.TimeField(null=True, blank=True, help_text="local start time")
    days = models.PositiveSmallIntegerField(default=1)
    summary = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    sequence = models.PositiveIntegerField(default=0)
    cancelled = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["day", "uid"]
        constraints = [
            models.UniqueConstraint(fields=["walker", "uid"], name="one_calendar_entry_per_uid")
        ]
