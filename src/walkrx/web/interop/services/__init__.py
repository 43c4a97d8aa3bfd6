"""Interop services: collect a walker's rows for the pure builders in :mod:`walkrx.interop`.

One module per purpose: ``tokens`` (API and calendar tokens), ``fhir`` (the R4 bundle),
``calendar`` (the iCalendar feed and its ledger), ``export`` (the download zip),
``access`` (which walkers a user may read).
"""

from .access import audit_clinician_read, readable_walkers, walker_for_user
from .calendar import calendar_feed, calendar_items
from .export import write_export_zip
from .fhir import fhir_bundle
from .tokens import (
    active_calendar_token,
    api_token_owner,
    new_api_token,
    new_calendar_token,
    revoke_api_token,
    revoke_calendar_tokens,
    walker_for_calendar_token,
)

__all__ = [
    "active_calendar_token",
    "audit_clinician_read",
    "api_token_owner",
    "calendar_feed",
    "calendar_items",
    "fhir_bundle",
    "new_api_token",
    "new_calendar_token",
    "readable_walkers",
    "revoke_api_token",
    "revoke_calendar_tokens",
    "walker_for_calendar_token",
    "walker_for_user",
    "write_export_zip",
]
