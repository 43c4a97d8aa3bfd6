"""Walker profile: create, look up, describe and complete a walker."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ..models import Walker
from ._common import ServiceError, _validate
from .state import current_state


def get_walker(name: str) -> Walker:
    """The walker called ``name``."""
    try:
        return Walker.objects.get(name=name)
    except Walker.DoesNotExist:
        raise ServiceError(f"no walker called {name!r} (see 'walkrx walker list')") from None


def list_walkers() -> list[Walker]:
    """All walkers."""
    return list(Walker.objects.all())


@transaction.atomic
def create_walker(
    *,
    name: str,
    age: int,
    goal: str,
    tz: str,
    start_date: dt.date,
    conditions: Iterable[str] = (),
    surgery_date: dt.date | None = None,
    baseline_minutes: int | None = None,
    baseline_steps: int | None = None,
    pain_limit: int | None = None,
    target_minutes: int | None = None,
    target_days: int | None = None,
    display_name: str = "",
    user: AbstractBaseUser | None = None,
    preferences: Mapping[str, Any] | None = None,
    screening: Mapping[str, bool] | None = None,
) -> Walker:
    """Create a walker after validating every field.

    ``screening`` (``{code: yes}``, every screen question) records the walker's own
    answers to the red-flag screen; without it the walker is *unscreened* (no plan).
    """
    if Walker.objects.filter(name=name).exists():
        raise ServiceError(f"a walker called {name!r} already exists")
    conds = sorted(set(conditions))
    if "microdiscectomy" in conds and surgery_date is None:
        raise ServiceError("microdiscectomy needs --surgery-date (the date of the operation)")
    walker = Walker(
        name=name,
        display_name=display_name,
        age=age,
        goal=goal,
        tz=tz,
        start_date=start_date,
        conditions=conds,
        surgery_date=surgery_date,
        baseline_minutes=baseline_minutes,
        baseline_steps=baseline_steps,
        pain_limit=pain_limit,
        target_minutes=target_minutes,
        target_days=target_days,
        preferences=dict(preferences or {}),
        user=user,
    )
    _validate(walker)
    walker.save()
    if screening is not None:
        from .clearance import record_screening

        record_screening(walker, screening)
    return walker


def walker_dict(walker: Walker) -> dict[str, Any]:
    """A walker's settings and current status, JSON-able."""
    state = current_state(walker)
    return {
        "name": walker.name,
        "age": walker.age,
        "goal": walker.goal,
        "conditions": list(walker.conditions or []),
        "surgery_date": walker.surgery_date.isoformat() if walker.surgery_date else None,
        "tz": walker.tz,
        "start_date": walker.start_date.isoformat(),
        "baseline_minutes": walker.baseline_minutes,
        "pain_limit": walker.pain_limit,
        "bout_cap_min": walker.bout_cap_min,
        "max_hr": walker.max_hr,
        "surgery_cleared_on": (
            walker.surgery_cleared_on.isoformat() if walker.surgery_cleared_on else None
        ),
        "target_minutes": walker.target_minutes,
        "target_days": walker.target_days,
        "preferences": dict(walker.preferences or {}),
        "status": state.status,
    }


@transaction.atomic
def mark_onboarded(walker: Walker) -> None:
    """Record that onboarding finished."""
    Walker.objects.filter(pk=walker.pk).update(onboarded=True)
    walker.onboarded = True


@transaction.atomic
def complete_profile(walker: Walker, **fields: Any) -> Walker:
    """Fill in a walker created early (at a red-flag onboarding screen) once they may go on."""
    allowed = {
        "age",
        "goal",
        "tz",
        "conditions",
        "surgery_date",
        "baseline_minutes",
        "baseline_steps",
        "preferences",
        "start_date",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ServiceError(f"cannot set {', '.join(sorted(unknown))} here")
    walker = Walker.objects.select_for_update().get(pk=walker.pk)
    for k, v in fields.items():
        setattr(walker, k, sorted(set(v)) if k == "conditions" else v)
    if "microdiscectomy" in (walker.conditions or []) and walker.surgery_date is None:
        raise ServiceError("microdiscectomy needs the date of the operation")
    _validate(walker)
    walker.onboarded = True
    walker.save()
    return walker
