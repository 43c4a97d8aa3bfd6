"""Age-specific daily step ranges (Paluch et al. 2022)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["StepRange", "step_range_for_age"]


@dataclass(frozen=True)
class StepRange:
    """Steps/day at which mortality risk levelled off, for an age group."""

    low: int
    high: int
    age_group: str
    finding: str
    source: str = "paluch-2022"
    caveat: str = "Mortality, not back pain; observational."


def step_range_for_age(age: int) -> StepRange:
    """Return 6,000–8,000 steps/day at age >= 60, 8,000–10,000 below 60 (Paluch 2022)."""
    if age < 0:
        raise ValueError(f"age must be >= 0, got {age}")
    if age >= 60:
        return StepRange(6000, 8000, ">=60", "paluch-steps-60plus")
    return StepRange(8000, 10000, "<60", "paluch-steps-under60")
