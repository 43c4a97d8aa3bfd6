"""Named parameter sets for step and bout detection, each with its provenance.

None of these is a published parameter set: they are **walkrx defaults**, chosen from
physiology (step band 0.5–3 Hz = 30–180 steps/min, at most one step per 0.25 s) and checked
on the Mobilise-D lower-back lab example data (4 short trials, two adults) and on walkrx's
synthetic recordings. Treat them as provisional; the evaluation table in
``scripts/evaluate_lab.py`` shows how they perform.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .base import Placement, check_placement


@dataclass(frozen=True)
class StepPreset:
    """Settings of :class:`~walkrx.signal.steps.PeakStepDetector` and the bout detector."""

    name: str
    placement: Placement
    label: str
    band_hz: tuple[float, float] = (0.5, 3.0)
    min_prominence_g: float = 0.1
    min_step_interval_s: float = 0.25
    prominence_window_s: float = 2.0
    gravity_window_s: float = 2.0
    min_bout_steps: int = 4
    max_step_gap_s: float = 3.0
    max_irregularity: float = 1.0
    extra: dict[str, float] = field(default_factory=dict)


_LABEL = "walkrx default, tuned on the Mobilise-D lower-back lab example and synthetic data"

PRESETS: dict[str, StepPreset] = {
    p.name: p
    for p in (
        StepPreset(
            name="walkrx-lower-back",
            placement="lower-back",
            label=_LABEL,
            # 0.13 g: the middle of the range (0.12-0.14 g) in which the lab trials' total
            # step errors stay within about 6 %; below 0.11 g posture changes and shuffling
            # add false steps, above 0.15 g weak steps of slow walking are lost.
            min_prominence_g=0.13,
        ),
        StepPreset(
            name="walkrx-thigh",
            placement="thigh",
            label="walkrx default, tuned on walkrx synthetic thigh data only (not validated on real data)",
            min_prominence_g=0.05,
        ),
        StepPreset(
            name="walkrx-wrist",
            placement="wrist",
            label="walkrx default, tuned on walkrx synthetic wrist data only (not validated on real data)",
            min_prominence_g=0.06,
        ),
    )
}


def default_preset(placement: str) -> StepPreset:
    """The default preset for a placement."""
    p = check_placement(placement)
    return PRESETS[f"walkrx-{p}"]
