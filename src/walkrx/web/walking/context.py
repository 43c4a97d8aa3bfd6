"""Template context: who to call, set by the deployment."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def safety_contacts(request: HttpRequest) -> dict[str, str]:
    """Phone numbers and contacts shown on every advice and safety screen."""
    return {
        "emergency_number": settings.WALKRX_EMERGENCY_NUMBER,
        "urgent_number": settings.WALKRX_URGENT_NUMBER,
        "clinic_contact": settings.WALKRX_CLINIC_CONTACT,
    }
