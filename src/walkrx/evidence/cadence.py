"""Cadence and speed to intensity: CADENCE-Adults thresholds and the ACSM equation.

``met_from_cadence`` is walkrx's own piecewise-linear interpolation between the
published CADENCE-Adults thresholds (it is *not* the 2021 cadence-MET regression,
whose coefficients are not confirmed here). Its error is not validated: the
thresholds themselves are population values (individuals differ by roughly one
MET at a given cadence), so treat the result as a band indicator, not a measurement.
"""

from __future__ import annotations

import math

__all__ = [
    "CADENCE_THRESHOLDS_ADULT",
    "CADENCE_THRESHOLDS_OLDER",
    "acsm_walking_met",
    "met_from_cadence",
]

#: (cadence steps/min, MET) anchor points, adults 21–60 (Tudor-Locke 2019/2020).
CADENCE_THRESHOLDS_ADULT: tuple[tuple[float, float], ...] = ((100.0, 3.0), (130.0, 6.0))
#: Adults 61–85 (Tudor-Locke 2021): 100/110/120 steps/min ≈ 3/4/5 MET.
CADENCE_THRESHOLDS_OLDER: tuple[tuple[float, float], ...] = (
    (100.0, 3.0),
    (110.0, 4.0),
    (120.0, 5.0),
)

#: Resting metabolic rate in MET; used as the zero-cadence anchor of the interpolation.
_REST = (0.0, 1.0)


def met_from_cadence(cadence_spm: float, age: int) -> float:
    """Estimate MET from cadence by linear interpolation on the CADENCE thresholds.

    Anchors: 0 steps/min = 1 MET (rest), then the published thresholds for the age
    group (age >= 61 uses the older-adult thresholds). Beyond the last threshold
    the last segment's slope is extended. Unvalidated; see the module docstring.
    """
    if not math.isfinite(cadence_spm) or cadence_spm < 0:
        raise ValueError(f"cadence_spm must be a finite number >= 0, got {cadence_spm!r}")
    anchors = (_REST, *(CADENCE_THRESHOLDS_OLDER if age >= 61 else CADENCE_THRESHOLDS_ADULT))
    for (x0, y0), (x1, y1) in zip(anchors, anchors[1:], strict=False):
        if cadence_spm <= x1:
            return y0 + (y1 - y0) * (cadence_spm - x0) / (x1 - x0)
    (x0, y0), (x1, y1) = anchors[-2], anchors[-1]
    return y1 + (y1 - y0) * (cadence_spm - x1) / (x1 - x0)


def acsm_walking_met(speed_m_per_min: float, grade: float = 0.0) -> float:
    """ACSM walking equation: VO2 = 3.5 + 0.1·S + 1.8·S·G (mL/kg/min); MET = VO2 / 3.5.

    ``speed_m_per_min`` S in m/min (valid about 50–100 m/min), ``grade`` G as a
    fraction (0.05 = 5 %). Speeds outside 50–100 m/min are still computed (the
    caller should say the equation is outside its validated range); negative or
    non-finite speeds raise ``ValueError``.
    """
    if not math.isfinite(speed_m_per_min) or speed_m_per_min < 0:
        raise ValueError(f"speed must be a finite number >= 0, got {speed_m_per_min!r}")
    vo2 = 3.5 + 0.1 * speed_m_per_min + 1.8 * speed_m_per_min * grade
    return vo2 / 3.5
