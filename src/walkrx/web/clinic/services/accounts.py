"""Clinician accounts: create, look up and list them."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from walkrx.web.walking.services import ServiceError

from ..models import Clinician


@transaction.atomic
def add_clinician(
    username: str,
    *,
    full_name: str,
    email: str | None = None,
    profession: str = "Physiotherapist",
    registration: str = "",
    clinic: str = "",
    is_clinic_admin: bool = False,
    password: str | None = None,
) -> Clinician:
    """Create a clinician account (and its sign-in user, or reuse a user without a role).

    Without ``password`` the user gets an unusable password: they set one through the
    password-reset page (or a clinic admin sets it in the admin).
    """
    username = username.strip()
    if not username:
        raise ServiceError("a clinician needs a username")
    if not full_name.strip():
        raise ServiceError("a clinician needs a full name (--name)")
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is not None:
        if Clinician.objects.filter(user=user).exists():
            raise ServiceError(f"{username!r} is already a clinician")
        if hasattr(user, "walker"):
            raise ServiceError(f"{username!r} is a walker's account; use another username")
    else:
        user = user_model.objects.create_user(username=username, email=email or "")
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    if email and user.email != email:
        user.email = email
        user.save(update_fields=["email"])
    return Clinician.objects.create(
        user=user,
        full_name=full_name.strip(),
        profession=profession.strip(),
        registration=registration.strip(),
        clinic=clinic.strip(),
        is_clinic_admin=is_clinic_admin,
    )


def get_clinician(username: str) -> Clinician:
    """The clinician signing in as ``username``."""
    found = Clinician.objects.select_related("user").filter(user__username=username).first()
    if found is None:
        raise ServiceError(f"no clinician called {username!r} (see 'walkrx clinician list')")
    return found


def list_clinicians() -> list[Clinician]:
    """Every clinician, by name."""
    return list(Clinician.objects.select_related("user").order_by("full_name", "id"))


def clinician_dict(clinician: Clinician) -> dict[str, object]:
    """A clinician as JSON-able data."""
    return {
        "username": clinician.username,
        "full_name": clinician.full_name,
        "email": clinician.user.email,
        "profession": clinician.profession,
        "registration": clinician.registration,
        "clinic": clinician.clinic,
        "clinic_admin": clinician.is_clinic_admin,
        "active": clinician.active,
        "walkers": clinician.links.filter(ended_at__isnull=True).count(),
    }


def new_invite_code() -> str:
    """A short one-time code, easy to read out on the phone (no 0/O, 1/I)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"
