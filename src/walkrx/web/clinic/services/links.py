"""Links between a walker and their responsible clinician, and invitations.

A walker has at most one active link (a database constraint). Linking to a new
clinician ends the previous link; ended links are kept as history. ``Walker.clinician``
is kept in step as a denormalised pointer to the clinician's user.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from walkrx.web.walking.models import Walker
from walkrx.web.walking.services import ServiceError

from ..models import CareLink, Clinician, Invite
from . import audit
from .accounts import get_clinician, new_invite_code

INVITE_DAYS = 14

CONSENT_POINTS = (
    "see your walks, check-ins, pain scores, safety answers and the plan walkrx made for you",
    "see the walking days measured by your device or imported from your phone or watch",
    "clear a safety pause after they have checked on you, change your pain limit, "
    "walking days and targets, and record your sessions together",
    "make a report of your walking for a period you agree",
)
CONSENT_TEXT = (
    "Your clinician will be able to: "
    + "; ".join(CONSENT_POINTS)
    + ". Every time they look at or change your data it is written in a log you can read. "
    "You can end the link at any time; they then lose access at once."
)


def linked_clinician(walker: Walker) -> Clinician | None:
    """The walker's responsible clinician, or ``None``."""
    link = active_link(walker)
    return link.clinician if link is not None else None


def active_link(walker: Walker) -> CareLink | None:
    """The walker's active link, or ``None``."""
    return (
        CareLink.objects.select_related("clinician__user")
        .filter(walker=walker, ended_at__isnull=True)
        .first()
    )


def link_history(walker: Walker) -> list[CareLink]:
    """Every link the walker has had, oldest first."""
    return list(CareLink.objects.select_related("clinician__user").filter(walker=walker))


def is_linked(walker: Walker, clinician: Clinician) -> bool:
    """True when ``clinician`` is the walker's responsible clinician now."""
    return CareLink.objects.filter(
        walker=walker, clinician=clinician, ended_at__isnull=True
    ).exists()


@transaction.atomic
def link_walker(
    walker: Walker, clinician_username: str, *, by: str, consent_text: str = CONSENT_TEXT
) -> CareLink:
    """Make ``clinician_username`` the walker's responsible clinician.

    Linking to the clinician already responsible changes nothing; linking to another
    one ends the current link first (one responsible clinician at a time).
    """
    clinician = get_clinician(clinician_username)
    if not clinician.active:
        raise ServiceError(f"clinician {clinician_username!r} is no longer active")
    walker = Walker.objects.select_for_update().get(pk=walker.pk)
    current = active_link(walker)
    if current is not None and current.clinician_id == clinician.pk:
        return current
    now = timezone.now()
    if current is not None:
        _end(current, by=by, reason=f"replaced by a link to {clinician.username}", now=now)
    try:
        with transaction.atomic():
            link = CareLink.objects.create(
                walker=walker,
                clinician=clinician,
                started_at=now,
                started_by=by,
                consent_text=consent_text,
            )
    except IntegrityError:  # a concurrent link won the race
        raise ServiceError(
            f"{walker.name} was linked by someone else just now; try again"
        ) from None
    Walker.objects.filter(pk=walker.pk).update(clinician=clinician.user)
    walker.clinician = clinician.user
    audit.record(
        walker,
        actor=by,
        action="link",
        detail=f"{clinician.full_name} ({clinician.username}) is now the responsible clinician",
    )
    return link


@transaction.atomic
def unlink_walker(walker: Walker, *, by: str, reason: str = "") -> CareLink:
    """End the walker's link; the clinician loses access at once. History is kept."""
    walker = Walker.objects.select_for_update().get(pk=walker.pk)
    current = active_link(walker)
    if current is None:
        raise ServiceError(f"{walker.name} has no clinician to unlink")
    _end(current, by=by, reason=reason, now=timezone.now())
    Walker.objects.filter(pk=walker.pk).update(clinician=None)
    walker.clinician = None
    audit.record(
        walker,
        actor=by,
        action="unlink",
        detail=f"link to {current.clinician.full_name} ({current.clinician.username}) ended"
        + (f": {reason}" if reason else ""),
    )
    return current


def _end(link: CareLink, *, by: str, reason: str, now: dt.datetime) -> None:
    link.ended_at = now
    link.ended_by = by
    link.end_reason = reason
    link.save(update_fields=["ended_at", "ended_by", "end_reason"])


def linked_walkers(clinician: Clinician) -> list[Walker]:
    """The walkers the clinician is responsible for now."""
    return list(
        Walker.objects.filter(
            care_links__clinician=clinician, care_links__ended_at__isnull=True
        ).order_by("name")
    )


def create_invite(clinician: Clinician, *, note: str = "") -> Invite:
    """A new one-time invitation code, valid for two weeks."""
    now = timezone.now()
    for _ in range(5):
        code = new_invite_code()
        if not Invite.objects.filter(code=code).exists():
            return Invite.objects.create(
                clinician=clinician,
                code=code,
                note=note,
                expires_at=now + dt.timedelta(days=INVITE_DAYS),
            )
    raise ServiceError("could not make a unique invitation code; try again")  # pragma: no cover


def find_invite(code: str) -> Invite:
    """The usable invitation with this code (any case, with or without the dash)."""
    clean = code.strip().upper().replace(" ", "")
    if len(clean) == 8 and "-" not in clean:
        clean = f"{clean[:4]}-{clean[4:]}"
    invite = Invite.objects.select_related("clinician__user").filter(code=clean).first()
    if invite is None:
        raise ServiceError("that invitation code is not known; check it with your clinician")
    if invite.used_at is not None:
        raise ServiceError("that invitation code has already been used")
    if invite.expires_at <= timezone.now():
        raise ServiceError("that invitation code has expired; ask your clinician for a new one")
    return invite


@transaction.atomic
def accept_invite(walker: Walker, code: str) -> CareLink:
    """The walker accepts an invitation (after reading the consent text)."""
    invite = find_invite(code)
    invite = Invite.objects.select_for_update().get(pk=invite.pk)
    if invite.used_at is not None:
        raise ServiceError("that invitation code has already been used")
    link = link_walker(walker, invite.clinician.username, by="walker")
    invite.used_at = timezone.now()
    invite.used_by = walker
    invite.save(update_fields=["used_at", "used_by"])
    return link
