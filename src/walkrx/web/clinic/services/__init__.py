"""Clinic services: accounts, links and invitations, audit. No clinical rules here.

Alerts come from :mod:`walkrx.safety.alerts`; pauses are cleared and settings changed
through :mod:`walkrx.web.walking.services`, so one rule holds wherever it is called from.
"""

from walkrx.web.walking.services import ServiceError

from . import audit
from .accounts import add_clinician, clinician_dict, get_clinician, list_clinicians
from .actions import change_walker_settings, clear_pause, record_session, require_link
from .caseload import (
    Row,
    acknowledge,
    caseload,
    caseload_version,
    compute_row,
    row_for,
    session_list,
)
from .links import (
    CONSENT_POINTS,
    CONSENT_TEXT,
    accept_invite,
    active_link,
    create_invite,
    find_invite,
    is_linked,
    link_history,
    link_walker,
    linked_clinician,
    linked_walkers,
    unlink_walker,
)

__all__ = [
    "Row",
    "acknowledge",
    "caseload",
    "caseload_version",
    "change_walker_settings",
    "clear_pause",
    "compute_row",
    "record_session",
    "require_link",
    "row_for",
    "session_list",
    "CONSENT_POINTS",
    "CONSENT_TEXT",
    "ServiceError",
    "accept_invite",
    "active_link",
    "add_clinician",
    "audit",
    "clinician_dict",
    "create_invite",
    "find_invite",
    "get_clinician",
    "is_linked",
    "link_history",
    "link_walker",
    "linked_clinician",
    "linked_walkers",
    "list_clinicians",
    "unlink_walker",
]
