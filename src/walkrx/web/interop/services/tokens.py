"""API and calendar tokens: made once and shown once, stored as SHA-256 hashes, revocable."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from walkrx.web.walking.models import Walker

from ..models import ApiToken, CalendarToken

API_PREFIX = "wrx_"


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def new_api_token(user: AbstractBaseUser, name: str = "") -> tuple[ApiToken, str]:
    """A new API token for ``user``; the raw token is returned here and never again."""
    raw = API_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:80], key_hash=_hash(raw), prefix=raw[: len(API_PREFIX) + 4]
    )
    return token, raw


def api_token_owner(raw: str) -> ApiToken | None:
    """The live token matching ``raw`` (with its user), or ``None``."""
    if not raw or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def revoke_api_token(user: AbstractBaseUser, pk: int) -> bool:
    """Revoke one of ``user``'s tokens; ``False`` when there is no such live token."""
    n = ApiToken.objects.filter(user=user, pk=pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return n > 0


@transaction.atomic
def new_calendar_token(walker: Walker) -> str:
    """A new calendar link secret; any older link of the walker stops working."""
    revoke_calendar_tokens(walker)
    raw = secrets.token_urlsafe(32)
    CalendarToken.objects.create(walker=walker, key_hash=_hash(raw))
    return raw


def revoke_calendar_tokens(walker: Walker) -> int:
    """Revoke every live calendar link of the walker; returns how many."""
    return CalendarToken.objects.filter(walker=walker, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def active_calendar_token(walker: Walker) -> CalendarToken | None:
    """The walker's live calendar link (its secret is not stored), or ``None``."""
    return CalendarToken.objects.filter(walker=walker, revoked_at__isnull=True).last()


def walker_for_calendar_token(raw: str) -> Walker | None:
    """The walker whose live calendar link has the secret ``raw``, or ``None``."""
    if not raw or len(raw) > 200:
        return None
    token = (
        CalendarToken.objects.select_related("walker")
        .filter(key_hash=_hash(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    CalendarToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.walker
