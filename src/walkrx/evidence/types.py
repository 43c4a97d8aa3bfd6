"""The typed shapes of evidence entries: sources, findings, advice, categories.

A ``Finding`` is a research result with a confidence grade. An ``Advice`` is a
clinician's recommendation taken from a source article (a *seed*): the software
may use it as a default but must label it as advice, and a clinician may
override it. The two are different types on purpose, so code cannot mix them up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "Advice",
    "Category",
    "Confidence",
    "ConditionGuidance",
    "Finding",
    "ForbiddenClaim",
    "RedFlag",
    "Source",
    "Urgency",
    "PAUSING_URGENCIES",
    "URGENCY_ORDER",
]

Confidence = Literal["high", "moderate", "low", "not-confirmed"]
Urgency = Literal["emergency", "same-day", "within-days", "review", "review-keep-walking"]

#: Most urgent first; ``URGENCY_ORDER.index(u)`` ranks an urgency (0 = most urgent).
#: ``review-keep-walking`` (EVIDENCE §5: book a clinician, keep walking within the pain
#: rules) is the only urgency that does not pause the program.
URGENCY_ORDER: tuple[Urgency, ...] = (
    "emergency",
    "same-day",
    "within-days",
    "review",
    "review-keep-walking",
)

#: Urgencies that pause the program at once.
PAUSING_URGENCIES: frozenset[Urgency] = frozenset(
    {"emergency", "same-day", "within-days", "review"}
)


@dataclass(frozen=True)
class Source:
    """A citable publication, guideline or source article.

    ``key`` is the stable handle used everywhere in code (``"hunt-2025"``).
    ``doi`` holds a DOI or a trial-registry id when there is one.
    """

    key: str
    citation: str
    year: int
    doi: str | None = None
    is_seed: bool = False


@dataclass(frozen=True)
class Finding:
    """A research finding, with its source, confidence and the caveat to show with it.

    ``values`` holds the numbers (e.g. ``(0.77, 0.68, 0.87)`` for an RR and its CI)
    and ``unit`` names what they measure. ``None`` inside ``values`` marks a number
    that EVIDENCE.md says is not confirmed.
    """

    key: str
    statement: str
    values: tuple[float | None, ...]
    unit: str
    source: str
    confidence: Confidence
    caveat: str = ""


@dataclass(frozen=True)
class Advice:
    """A clinician's recommendation from a source article, not a research finding.

    Always shown labelled as advice (``label``); a clinician may override it.
    ``seed`` is the source key of the article it comes from.
    """

    key: str
    text: str
    seed: str
    clinician_may_override: bool = True

    @property
    def label(self) -> str:
        """The label to show with this advice (``"advice: <seed>"``)."""
        return f"advice: {self.seed}"


@dataclass(frozen=True)
class Category:
    """A HUNT exposure category with its adjusted risk ratio.

    ``ci`` is ``None`` when the confidence interval is not confirmed (never invented).
    """

    label: str
    rr: float
    ci: tuple[float, float] | None
    source: str
    is_reference: bool = False


@dataclass(frozen=True)
class RedFlag:
    """A red-flag symptom: the plain-words question, its urgency and what to do."""

    code: str
    question: str
    urgency: Urgency
    what_to_do: str
    source: str


@dataclass(frozen=True)
class ConditionGuidance:
    """What the software may say about a condition, and how well it is supported."""

    condition: str
    may_say: str
    evidence: str
    confidence: Confidence
    seed_advice: str
    never_say: str = ""


@dataclass(frozen=True)
class ForbiddenClaim:
    """A claim from the source articles that must never be shown as a fact.

    ``patterns`` are lower-case regular expressions; a user-facing text matching
    any of them contains the claim.
    """

    claim: str
    patterns: tuple[str, ...]
