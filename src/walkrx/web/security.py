"""Web hardening that has no library of its own.

Secret strength, private files, ``Cache-Control: no-store`` for signed-in pages, and
the upload size limit (413).

Login throttling (django-axes), the Content-Security-Policy (django-csp) and the
Permissions-Policy (django-permissions-policy) come from their libraries; see
``settings.py`` and ``docs/web.md``.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

#: A secret must carry at least this many bits by the character-frequency estimate.
MIN_SECRET_BITS = 128.0
MIN_SECRET_LENGTH = 32


def secret_bits(key: str) -> float:
    """Estimated entropy of ``key`` in bits: length x Shannon entropy of its characters.

    A rough, conservative estimate: ``"a" * 32`` is 0 bits, a 32-character hex
    string about 120, ``secrets.token_urlsafe(50)`` about 350.
    """
    if not key:
        return 0.0
    n = len(key)
    per_char = -sum(c / n * math.log2(c / n) for c in Counter(key).values())
    return max(0.0, n * per_char)


def weak_secret_reason(key: str) -> str | None:
    """Why ``key`` is too weak for production, or ``None`` when it is strong enough."""
    if len(key) < MIN_SECRET_LENGTH:
        return f"it has {len(key)} characters; at least {MIN_SECRET_LENGTH} are needed"
    bits = secret_bits(key)
    if bits < MIN_SECRET_BITS:
        return (
            f"it looks guessable (about {bits:.0f} bits of entropy; "
            f"at least {MIN_SECRET_BITS:.0f} are needed)"
        )
    return None


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable by the owner only (0700); return it."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.chmod(0o700)
    return path


def private_file(path: Path) -> None:
    """Make an existing file readable and writable by the owner only (0600)."""
    if path.exists():
        os.chmod(path, 0o600)


class NoStoreWhenSignedIn:
    """``Cache-Control: no-store, private`` on every response to a signed-in person.

    A request with an ``Authorization`` header (the JSON API's tokens) counts as signed in.

    Health pages must not be kept by the browser's cache or a shared proxy (a shared
    computer's back button, a clinic's caching proxy).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Mark the response private and not to be stored when someone is signed in."""
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.META.get("HTTP_AUTHORIZATION"):  # session or API token
            patch_cache_control(response, no_store=True, private=True, max_age=0)
        return response


class UploadSizeLimit:
    """Refuse a request body larger than ``WALKRX_MAX_UPLOAD_MB`` with a clear 413 page.

    Runs before the CSRF check and the form parser, so an oversized upload is
    refused from its ``Content-Length`` without being read or stored.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Answer 413 from the declared length, before anything reads the body."""
        from django.conf import settings

        limit = int(settings.WALKRX_MAX_UPLOAD_BYTES)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            from .walking.context import safety_contacts

            body = render_to_string(
                "413.html",
                {
                    "limit_mb": limit // (1024 * 1024),
                    "size_mb": math.ceil(length / 2**20),
                    **safety_contacts(request),
                },
            )
            response = HttpResponse(body, status=413)
            response["Connection"] = "close"
            return response
        return self.get_response(request)
