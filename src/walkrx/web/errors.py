"""The server-error page: a walkrx page that fits a phone, rendered without the database."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseServerError
from django.template.loader import render_to_string

from .walking.context import safety_contacts


def server_error(request: HttpRequest) -> HttpResponseServerError:
    """Render ``500.html`` with who-to-call contacts only (no request context, no queries)."""
    return HttpResponseServerError(render_to_string("500.html", safety_contacts(request)))
