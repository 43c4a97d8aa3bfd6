"""Per-walker settings the engines read, and the append-only log of every change.

``change_settings`` is the one way a setting changes after the walker is created:
from the CLI (``walkrx walker set``), the walker's settings page and the
clinician's form. It validates every field, checks that the engine accepts the
resulting profile, saves, and records one :class:`~..models.SettingChange` per
field that really changed (who, when, old, new). No clinical rule lives here:
the engines decide what a setting means.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from ..models import CONDITIONS, GOALS, SettingChange, Walker, validate_iana_zone
from ._common import ServiceError, _validate
from .state import build_profile

__all__ = ["MODEL_FIELDS", "PREFERENCE_FIELDS", "SETTING_FIELDS", "change_settings"]

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _opt_int(lo: int, hi: int) -> Callable[[str, Any], int | None]:
    def check(name: str, value: Any) -> int | None:
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise ServiceError(f"{name} must be a whole number {lo}-{hi}, got {value!r}")
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ServiceError(f"{name} must be a whole number {lo}-{hi}, got {value!r}") from None
        if number != value and str(number) != str(value).strip():
            raise ServiceError(f"{name} must be a whole number {lo}-{hi}, got {value!r}")
        if not lo <= number <= hi:
            raise ServiceError(f"{name} must be {lo}-{hi}, got {number}")
        return number

    return check


def _opt_date(name: str, value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        raise ServiceError(f"{name} must be a date (YYYY-MM-DD), not a date and time")
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ServiceError(f"{name} must be a date in the form YYYY-MM-DD, got {value!r}") from None


def _pct(name: str, value: Any) -> int | None:
    return _opt_int(0, 100)(name, value)


def _conditions(name: str, value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [v for v in value.split(",") if v.strip()]
    items = sorted({str(v).strip() for v in value})
    unknown = [c for c in items if c not in CONDITIONS]
    if unknown:
        raise ServiceError(f"{name}: unknown condition(s) {unknown}; known: {CONDITIONS}")
    return items


def _weekdays(name: str, value: Any) -> list[int]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [v for v in value.split(",") if v.strip()]
    out: set[int] = set()
    for v in value:
        day = _opt_int(0, 6)(f"{name} (0 = Monday ... 6 = Sunday)", v)
        if day is not None:
            out.add(day)
    return sorted(out)


def _goal(name: str, value: Any) -> str:
    known = [g for g, _ in GOALS]
    if value not in known:
        raise ServiceError(f"{name} must be one of {known}, got {value!r}")
    return str(value)


def _tz(name: str, value: Any) -> str:
    from django.core.exceptions import ValidationError

    try:
        validate_iana_zone(str(value))
    except ValidationError as exc:
        raise ServiceError(f"{name}: {' '.join(exc.messages)}") from None
    return str(value)


def _time(name: str, value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if not isinstance(value, str) or not _HHMM.match(value):
        raise ServiceError(f"{name} must be a time HH:MM (24-hour), got {value!r}")
    return value


def _bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise ServiceError(f"{name} must be true or false, got {value!r}")


def _setting(name: str, value: Any) -> str:
    if value not in ("outdoor", "indoor", "either"):
        raise ServiceError(f"{name} must be outdoor, indoor or either, got {value!r}")
    return str(value)


#: Settings stored as columns of the walker, with their validators.
MODEL_FIELDS: dict[str, Callable[[str, Any], Any]] = {
    "pain_limit": _opt_int(0, 10),
    "bout_cap_min": _opt_int(1, 180),
    "conditions": _conditions,
    "surgery_date": _opt_date,
    "surgery_cleared_on": _opt_date,
    "max_hr": _opt_int(60, 240),
    "target_minutes": _opt_int(1, 180),
    "target_days": _opt_int(1, 7),
    "max_weekly_increase_pct": _pct,
    "goal": _goal,
    "tz": _tz,
}

#: Settings stored in ``walker.preferences``.
PREFERENCE_FIELDS: dict[str, Callable[[str, Any], Any]] = {
    "walking_weekdays": _weekdays,
    "preferred_time": _time,
    "reminder_minutes": _opt_int(0, 24 * 60),
    "split_sessions": _bool,
    "setting": _setting,
}

SETTING_FIELDS = frozenset(MODEL_FIELDS) | frozenset(PREFERENCE_FIELDS)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@transaction.atomic
def change_settings(walker: Walker, *, by: str, **fields: Any) -> list[dict[str, Any]]:
    """Validate and apply per-walker settings; log one change event per changed field.

    ``by`` names who made the change (a username, or ``"walker"``). Unknown
    fields, impossible values and a profile the engine would refuse raise
    :class:`ServiceError` and change nothing. Returns the change events recorded
    (``field``, ``old``, ``new``, ``by``, ``at_utc``); an unchanged value records
    nothing.
    """
    who = (by or "").strip()
    if not who:
        raise ServiceError("a settings change must say who made it (by=...)")
    unknown = sorted(set(fields) - SETTING_FIELDS)
    if unknown:
        raise ServiceError(
            f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(SETTING_FIELDS))}"
        )
    walker = Walker.objects.select_for_update().get(pk=walker.pk)
    prefs = dict(walker.preferences or {})
    changes: list[tuple[str, Any, Any]] = []
    for name, value in fields.items():
        if name in MODEL_FIELDS:
            new = MODEL_FIELDS[name](name, value)
            old = getattr(walker, name)
            if old != new:
                setattr(walker, name, new)
                changes.append((name, old, new))
        else:
            new = PREFERENCE_FIELDS[name](name, value)
            old = prefs.get(name)
            if old != new:
                prefs[name] = new
                changes.append((name, old, new))
    walker.preferences = prefs
    if "microdiscectomy" in (walker.conditions or []) and walker.surgery_date is None:
        raise ServiceError("microdiscectomy needs surgery_date (the date of the operation)")
    if (
        walker.surgery_date is not None
        and walker.surgery_cleared_on is not None
        and walker.surgery_cleared_on < walker.surgery_date
    ):
        raise ServiceError("surgery_cleared_on cannot be before surgery_date")
    _validate(walker)
    try:
        build_profile(walker)
    except ValueError as exc:
        raise ServiceError(str(exc)) from None
    if not changes:
        return []
    walker.save()
    now = timezone.now()
    out: list[dict[str, Any]] = []
    for name, old, new in changes:
        event = SettingChange.objects.create(
            walker=walker,
            field=name,
            old=_jsonable(old),
            new=_jsonable(new),
            by=who,
            at_utc=now,
        )
        out.append(event.to_dict())
    return out
