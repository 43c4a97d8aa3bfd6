"""HUNT categories of daily walking volume and intensity (Haddadj et al. 2025).

Binning rule. The published bands are labelled in whole minutes (< 78, 78–100,
101–124, ≥ 125 min/day) and in hundredths of a MET (< 3.00, 3.00–3.11,
3.12–3.26, ≥ 3.27). walkrx reads them as half-open intervals on the continuous
scale, i.e. a value is first *truncated* to the label's resolution:

* volume: ``[0, 78)``, ``[78, 101)``, ``[101, 125)``, ``[125, inf)`` — so 100.5
  min/day is in 78–100 and 100.999 too; 101.0 is in 101–124.
* intensity: ``[0, 3.00)``, ``[3.00, 3.12)``, ``[3.12, 3.27)``, ``[3.27, inf)``
  — so 3.115 MET is in 3.00–3.11.

Truncation never moves a walker into a *better* band than the one their whole
minutes earn. Negative, NaN or infinite values are refused.
"""

from __future__ import annotations

import math

from walkrx.evidence.types import Category

__all__ = [
    "HUNT_INTENSITY_BANDS",
    "HUNT_VOLUME_BANDS",
    "PLATEAU_MIN_PER_DAY",
    "hunt_intensity_category",
    "hunt_volume_category",
]

#: The level above which the HUNT risk curve levelled off (min/day; moderate confidence).
PLATEAU_MIN_PER_DAY = 100

_SRC = "hunt-2025"

#: (lower bound inclusive, upper bound exclusive, category), in order.
HUNT_VOLUME_BANDS: tuple[tuple[float, float, Category], ...] = (
    (0.0, 78.0, Category("<78 min/day", 1.00, None, _SRC, is_reference=True)),
    (78.0, 101.0, Category("78-100 min/day", 0.87, None, _SRC)),
    (101.0, 125.0, Category("101-124 min/day", 0.77, (0.68, 0.87), _SRC)),
    (125.0, math.inf, Category(">=125 min/day", 0.76, (0.67, 0.87), _SRC)),
)

#: (lower bound inclusive, upper bound exclusive, category); CIs not confirmed.
HUNT_INTENSITY_BANDS: tuple[tuple[float, float, Category], ...] = (
    (0.0, 3.00, Category("<3.00 MET", 1.00, None, _SRC, is_reference=True)),
    (3.00, 3.12, Category("3.00-3.11 MET", 0.85, None, _SRC)),
    (3.12, 3.27, Category("3.12-3.26 MET", 0.82, None, _SRC)),
    (3.27, math.inf, Category(">=3.27 MET", 0.82, None, _SRC)),
)


def _check(value: float, what: str) -> None:
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{what} must be a finite number >= 0, got {value!r}")


def _band(value: float, bands: tuple[tuple[float, float, Category], ...]) -> Category:
    for low, high, category in bands:
        if low <= value < high:
            return category
    raise AssertionError("bands cover [0, inf)")  # pragma: no cover


def hunt_volume_category(walk_min_per_day: float) -> Category:
    """Return the HUNT volume category (label, RR, CI or None, source) for min/day.

    See the module docstring for how fractional minutes are binned.
    """
    _check(walk_min_per_day, "walk_min_per_day")
    return _band(walk_min_per_day, HUNT_VOLUME_BANDS)


def hunt_intensity_category(mean_met: float) -> Category:
    """Return the HUNT intensity category for a mean walking intensity in MET.

    Values are binned at hundredths of a MET (see the module docstring).
    """
    _check(mean_met, "mean_met")
    return _band(mean_met, HUNT_INTENSITY_BANDS)
