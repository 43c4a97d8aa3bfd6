"""Who may read a walker's data here: the walker, and the clinician linked to them now.

The link is the clinic app's (:func:`walkrx.web.clinic.services.linked_clinician`); every
read by a clinician is written in the walker's audit log, as the link's consent says.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from walkrx.web.clinic import services as clinic
from walkrx.web.clinic.models import Clinician
from walkrx.web.walking.models import Walker


def _clinician(user: AbstractBaseUser | AnonymousUser) -> Clinician | None:
    if not user.is_authenticated:
        return None
    return Clinician.objects.filter(user_id=user.pk).first()


def walker_for_user(user: AbstractBaseUser | AnonymousUser, name: str) -> tuple[Walker, str] | None:
    """The walker called ``name`` and the user's role for it ("walker" or "clinician"), or ``None``.

    ``None`` both when there is no such walker and when the user may not read it, so
    another walker's name cannot be told from a missing one.
    """
    walker = Walker.objects.filter(name=name).first()
    if walker is None or not user.is_authenticated:
        return None
    if walker.user_id == user.pk:
        return walker, "walker"
    linked = clinic.linked_clinician(walker)
    if linked is not None and linked.user_id == user.pk:
        return walker, "clinician"
    return None


def readable_walkers(user: AbstractBaseUser | AnonymousUser) -> list[tuple[Walker, str]]:
    """Every walker ``user`` may read, with the role."""
    if not user.is_authenticated:
        return []
    out = [(w, "walker") for w in Walker.objects.filter(user_id=user.pk)]
    clinician = _clinician(user)
    if clinician is not None:
        out += [(w, "clinician") for w in clinic.linked_walkers(clinician) if w.user_id != user.pk]
    return out


def audit_clinician_read(user: AbstractBaseUser | AnonymousUser, walker: Walker, what: str) -> None:
    """Write a linked clinician's read of ``walker``'s data in the walker's audit log."""
    clinician = _clinician(user)
    if clinician is not None:
        clinic.audit.record_by(walker, clinician, "view", what)
