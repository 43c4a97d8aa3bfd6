"""Signal processing: non-wear, steps, walking bouts, cadence and intensity.

Pure functions and detectors on NumPy arrays; no I/O, no Django.
"""

from .base import PLACEMENTS, BoutDetector, Placement, StepDetector, check_placement
from .bouts import StepRunBoutDetector
from .intensity import CADENCE_ADULTS, CADENCE_OLDER_ADULTS, MET_RELATIONS, cadence_to_met
from .nonwear import flag_nonwear, minute_moments, minute_sd
from .periodicity import local_step_period
from .presets import PRESETS, StepPreset, default_preset
from .steps import PeakStepDetector

__all__ = [
    "CADENCE_ADULTS",
    "CADENCE_OLDER_ADULTS",
    "MET_RELATIONS",
    "PLACEMENTS",
    "PRESETS",
    "BoutDetector",
    "PeakStepDetector",
    "Placement",
    "StepDetector",
    "StepPreset",
    "StepRunBoutDetector",
    "cadence_to_met",
    "check_placement",
    "default_preset",
    "flag_nonwear",
    "local_step_period",
    "minute_moments",
    "minute_sd",
]
