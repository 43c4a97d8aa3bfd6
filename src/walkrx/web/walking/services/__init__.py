"""Service layer: maps stored rows to the pure engines and back. No clinical rules here.

Every function that changes data runs in one transaction. Safety decisions come
from :mod:`walkrx.safety`, plans from :mod:`walkrx.program`; these modules only
collect the inputs, record the results, and refuse logging while paused.

One module per purpose: ``profile`` (the walker), ``state`` (safety state and plan),
``walks`` and ``checkins`` (what the walker records), ``settings`` (per-walker
settings and their change log), ``progress`` (queries for the
pages), ``export`` (download and erasure).
"""

from ._common import ServiceError, WalkerPaused, local_today
from .checkins import record_checkin
from .clearance import (
    clear_by_clinician,
    is_screened,
    linked_clinician_of,
    record_screening,
    record_self_review,
)
from .export import erase_walker, export_tables
from .profile import (
    complete_profile,
    create_walker,
    get_walker,
    list_walkers,
    mark_onboarded,
    walker_dict,
)
from .progress import (
    PROGRESS_AGGREGATES,
    TODAY_AGGREGATES,
    daily_walking,
    device_baseline,
    latest_plan_snapshot,
    progress_version,
    recent_walk_pain,
    today_version,
    weekly_walks,
)
from .settings import SETTING_FIELDS, change_settings
from .state import (
    WalkerState,
    build_history,
    build_profile,
    current_state,
    plan_for,
    recorded_safety,
    safety_log,
    state_with_plan,
    status_of,
)
from .walks import WalkOutcome, log_walk, pain_limit, store_measured_days, walk_feedback

__all__ = [
    "SETTING_FIELDS",
    "ServiceError",
    "WalkOutcome",
    "WalkerPaused",
    "WalkerState",
    "build_history",
    "build_profile",
    "change_settings",
    "clear_by_clinician",
    "complete_profile",
    "create_walker",
    "current_state",
    "daily_walking",
    "device_baseline",
    "erase_walker",
    "export_tables",
    "get_walker",
    "is_screened",
    "linked_clinician_of",
    "latest_plan_snapshot",
    "list_walkers",
    "local_today",
    "log_walk",
    "mark_onboarded",
    "pain_limit",
    "plan_for",
    "PROGRESS_AGGREGATES",
    "TODAY_AGGREGATES",
    "progress_version",
    "recent_walk_pain",
    "record_checkin",
    "record_screening",
    "record_self_review",
    "recorded_safety",
    "safety_log",
    "state_with_plan",
    "status_of",
    "store_measured_days",
    "today_version",
    "walk_feedback",
    "walker_dict",
    "weekly_walks",
]
