"""Walking intensity in MET from cadence: a named, cited relation stored as data.

The relation walkrx uses is **piecewise-linear interpolation on the CADENCE-Adults
cadence thresholds** (EVIDENCE.md §4):

* adults 21–60 y: ≈100 steps/min ≈ 3 MET (moderate), ≈130 steps/min ≈ 6 MET (vigorous)
  (Tudor-Locke C et al., IJBNPA 2019;16:8 [21–40 y]; 2020 [41–60 y]);
* older adults 61–85 y: 100 / 110 / 120 steps/min ≈ 3 / 4 / 5 MET (Tudor-Locke C et al. 2021).

Error and limits (read before using a MET value):

* The thresholds are *classification* cut-points from treadmill walking of healthy adults,
  not a continuous equation. Interpolating between them, and extrapolating beyond them,
  is walkrx's choice. Individual MET can differ from this by well over 1 MET (body mass,
  fitness, gait pathology, slopes, load carrying are ignored).
* Below the first anchor the line is extrapolated with the slope of the first segment and
  floored at ``floor_met`` (walkrx's choice, 2.0 MET — slow walking; not from EVIDENCE.md).
  Above the last anchor the last segment is extrapolated and capped at ``ceiling_met``.
* The cadence-based MET equation (Med Sci Sports Exerc 2021;53(1):165) is NOT used: its
  coefficients are not confirmed in EVIDENCE.md.
* MET is defined only while walking: callers pass the cadence of walking time only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class CadenceMetRelation:
    """Anchor points (cadence in steps/min → MET) with their citation and caveat."""

    name: str
    cadence_spm: tuple[float, ...]
    met: tuple[float, ...]
    citation: str
    confidence: str
    caveat: str
    floor_met: float = 2.0
    ceiling_met: float = 10.0

    def __call__(self, cadence_spm: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """MET for each cadence (NaN stays NaN)."""
        c = np.asarray(cadence_spm, dtype=np.float64)
        x = np.asarray(self.cadence_spm)
        y = np.asarray(self.met)
        out: npt.NDArray[np.float64] = np.interp(c, x, y)
        lo_slope = (y[1] - y[0]) / (x[1] - x[0])
        hi_slope = (y[-1] - y[-2]) / (x[-1] - x[-2])
        below = c < x[0]
        above = c > x[-1]
        out[below] = y[0] + lo_slope * (c[below] - x[0])
        out[above] = y[-1] + hi_slope * (c[above] - x[-1])
        out = np.clip(out, self.floor_met, self.ceiling_met).astype(np.float64)
        out[np.isnan(c)] = np.nan
        return out


_CAVEAT = (
    "Interpolation between classification thresholds from treadmill walking of healthy "
    "adults (walkrx's choice); individual error can exceed 1 MET; floor 2 MET below the "
    "first anchor is walkrx's choice."
)

CADENCE_ADULTS = CadenceMetRelation(
    name="cadence-adults",
    cadence_spm=(100.0, 130.0),
    met=(3.0, 6.0),
    citation=(
        "Tudor-Locke C et al. CADENCE-Adults. Int J Behav Nutr Phys Act 2019;16:8 (21-40 y); "
        "2020 (41-60 y)"
    ),
    confidence="high",
    caveat=_CAVEAT,
)

CADENCE_OLDER_ADULTS = CadenceMetRelation(
    name="cadence-older-adults",
    cadence_spm=(100.0, 110.0, 120.0),
    met=(3.0, 4.0, 5.0),
    citation="Tudor-Locke C et al. CADENCE-Adults, 61-85 y. 2021",
    confidence="high",
    caveat=_CAVEAT,
)

MET_RELATIONS: dict[str, CadenceMetRelation] = {
    r.name: r for r in (CADENCE_ADULTS, CADENCE_OLDER_ADULTS)
}


def cadence_to_met(
    cadence_spm: npt.ArrayLike, relation: str = "cadence-adults"
) -> npt.NDArray[np.float64]:
    """MET of walking at ``cadence_spm`` through the named relation (see module docstring)."""
    try:
        rel = MET_RELATIONS[relation]
    except KeyError:
        raise ValueError(
            f"unknown MET relation {relation!r}; choose from {', '.join(MET_RELATIONS)}"
        ) from None
    return rel(cadence_spm)
