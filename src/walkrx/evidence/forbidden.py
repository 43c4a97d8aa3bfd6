"""EVIDENCE.md §9: claims from the source articles that must never be shown as facts.

Kept as data so tests can scan every user-facing text for them.
"""

from __future__ import annotations

import re

from walkrx.evidence.types import ForbiddenClaim

__all__ = ["FORBIDDEN_CLAIMS", "forbidden_claims_in"]

FORBIDDEN_CLAIMS: tuple[ForbiddenClaim, ...] = (
    ForbiddenClaim(
        "Walking helps 85 % of people",
        (
            r"\b85\s*%",
            r"\b85\s*per\s*cent",
        ),
    ),
    ForbiddenClaim(
        "Walking reduces pain by up to 15 points out of 100",
        (r"\b15\s*points", r"\b15\s*(out\s*)?of\s*100", r"\b15\s*/\s*100"),
    ),
    ForbiddenClaim("Exercises triple pain reduction", (r"\btripl",)),
    ForbiddenClaim(
        "Poles cut spinal load by 26 %", (r"\b26\s*%", r"\b26\s*per\s*cent", r"spinal load")
    ),
    ForbiddenClaim("Walking doubles the pain-free period", (r"\bdoubl",)),
    ForbiddenClaim(
        "More than 100 min/day cuts risk by 30 %",
        (r"(cut|reduc|lower|slash)\w*\s+(the\s+|your\s+)?risk\s+by\s+30", r"30\s*%\s+lower\s+risk"),
    ),
    ForbiddenClaim(
        "3,867 steps is the minimum",
        (r"\b3[,.\s]?867\b", r"\b2[,.\s]?337\b", r"minimum\s+(dose|number\s+of\s+steps)"),
    ),
    ForbiddenClaim(
        "HUNT MET values correspond to walking speeds",
        (
            r"\bmet\b[^.]{0,40}\b(km/h|mph|m/s|km per hour|miles per hour)",
            r"\bmet\b[^.]{0,40}\bspeeds?\b",
        ),
    ),
)

_COMPILED = tuple(
    (claim, tuple(re.compile(p, re.IGNORECASE) for p in claim.patterns))
    for claim in FORBIDDEN_CLAIMS
)


def forbidden_claims_in(text: str) -> tuple[ForbiddenClaim, ...]:
    """Return the forbidden claims whose patterns occur in ``text`` (empty when clean)."""
    return tuple(claim for claim, pats in _COMPILED if any(p.search(text) for p in pats))
