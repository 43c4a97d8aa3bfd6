"""Which walkers a signed-in user (or API token owner) may read: their own, and a clinician's linked walkers.

The clinician link is the clinic app's (``walkrx.web.clinic.services.linked_clinician``);
on an installation without that app only the walker's own data is readable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from walkrx.web.walking.models import Walker


def _linked_clinician() -> Callable[[Walker], Any] | None:
    try:
        from walkrx.web.clinic.services import linked_clinician
    except ImportError:
        return None
    fn: Callable[[Walker], Any] = linked_clinician
    return fn


def is_clinician_of(user: AbstractBaseUser | AnonymousUser, walker: Walker) -> bool:
    """Whether ``user`` is the clinician linked to ``walker``."""
    linked = _linked_clinician()
    if linked is None or not user.is_authenticated:
        return False
    clinician = linked(walker)
    return clinician is not None and getattr(clinician, "user_id", None) == user.pk


def walker_for_user(user: AbstractBaseUser | AnonymousUser, name: str) -> tuple[Walker, str] | None:
    """The walker called ``name`` and the user's role for it ("walker" or "clinician"), or ``None``.

    ``None`` both when there is no such walker and when the user may not read it, so
    another walker's name is indistinguishable from a missing one.
    """
    walker = Walker.objects.filter(name=name).first()
    if walker is None or not user.is_authenticated:
        return None
    if walker.user_id == user.pk:
        return walker, "walker"
    if is_clinician_of(user, walker):
        return walker, "clinician"
    return None


def readable_walkers(user: AbstractBaseUser | AnonymousUser) -> list[tuple[Walker, str]]:
    """Every walker ``user`` may read, with the role."""
    if not user.is_authenticated:
        return []
    out = [(w, "walker") for w in Walker.objects.filter(user_id=user.pk)]
    if _linked_clinician() is not None:
        for w in Walker.objects.exclude(user_id=user.pk):
            if is_clinician_of(user, w):
                out.append((w, "clinician"))
    return out
