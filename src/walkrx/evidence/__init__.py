"""EVIDENCE.md as typed data: every number the software uses, with its source.

Findings (research results with a confidence grade) and Advice (seed articles'
recommendations, always labelled as advice) are separate types.
"""

from walkrx.evidence.advice import ADVICE, advice
from walkrx.evidence.cadence import acsm_walking_met, met_from_cadence
from walkrx.evidence.cite import cite, is_known_key
from walkrx.evidence.conditions import CONDITIONS
from walkrx.evidence.findings import FINDINGS, finding
from walkrx.evidence.forbidden import FORBIDDEN_CLAIMS, forbidden_claims_in
from walkrx.evidence.hunt import PLATEAU_MIN_PER_DAY, hunt_intensity_category, hunt_volume_category
from walkrx.evidence.red_flags import NOT_A_DIAGNOSIS, RED_FLAGS, WHAT_TO_DO, red_flag
from walkrx.evidence.sources import SOURCES, source
from walkrx.evidence.steps import StepRange, step_range_for_age
from walkrx.evidence.types import (
    URGENCY_ORDER,
    Advice,
    Category,
    Finding,
    RedFlag,
    Source,
    Urgency,
)

__all__ = [
    "ADVICE",
    "CONDITIONS",
    "FINDINGS",
    "FORBIDDEN_CLAIMS",
    "NOT_A_DIAGNOSIS",
    "PLATEAU_MIN_PER_DAY",
    "RED_FLAGS",
    "SOURCES",
    "URGENCY_ORDER",
    "WHAT_TO_DO",
    "Advice",
    "Category",
    "Finding",
    "RedFlag",
    "Source",
    "StepRange",
    "Urgency",
    "acsm_walking_met",
    "advice",
    "cite",
    "finding",
    "forbidden_claims_in",
    "hunt_intensity_category",
    "hunt_volume_category",
    "is_known_key",
    "met_from_cadence",
    "red_flag",
    "source",
    "step_range_for_age",
]
