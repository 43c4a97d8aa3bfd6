"""Errors and small helpers shared by the service modules."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import timezone


class ServiceError(Exception):
    """A request the service layer cannot carry out; the message says why."""


class WalkerPaused(ServiceError):
    """Refused because the walker's program is paused or escalated for safety."""


def local_today(tz: str) -> dt.date:
    """Today's date in the zone ``tz``."""
    return timezone.now().astimezone(ZoneInfo(tz)).date()


def _validate(obj: Any) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        parts = [f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()]
        raise ServiceError("; ".join(parts)) from None
