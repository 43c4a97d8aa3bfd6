"""Named parameter sets for step and bout detection, each with its provenance.

None of these is a published parameter set: they are **walkrx defaults**, chosen from
physiology (step band 0.5–3 Hz = 30–180 steps/min, at most one step per 0.25 s, step
period searched in 0.33–1.2 s = 50–180 steps/min) and checked
on the Mobilise-D lower-back lab example data (4 short trials, two adults) and on walkrx's
synthetic recordings. Treat them as provisional; the evaluation table in
``scripts/evaluate_lab.py`` shows how they perform.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .base import Placement, check_placement


@dataclass(frozen=True)
class StepPreset:
    """Settings of :class:`~walkrx.signal.steps.PeakStepDetector` and the bout detector.

    Periodicity (:mod:`walkrx.signal.periodicity`): every peak gets the signal's local step
    period in a ``periodicity_window_s`` window; where its autocorrelation reaches
    ``cadence_min_periodicity`` (None: never) the reported cadence is ``60 / period``
    instead of ``60 / step interval`` — robust to weak steps the peak picker misses.
    ``min_periodicity`` (None: off) additionally accepts peaks down to
    ``weak_prominence_g`` where the signal is that periodic, and drops the weaker of two
    peaks closer than ``min_interval_fraction`` of the local step period.
    """

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
    min_periodicity: float | None = None
    weak_prominence_g: float = 0.04
    periodicity_window_s: float = 4.0
    step_period_range_s: tuple[float, float] = (0.33, 1.2)
    harmonic_ratio: float = 0.7
    stride_based: bool = False
    min_interval_fraction: float = 0.6
    cadence_min_periodicity: float | None = 0.0
    relative_prominence: float | None = None
    amplitude_window_s: float = 4.0
    extend_steps: int = 0
    extend_interval: tuple[float, float] = (0.7, 1.4)
    require_periodicity: float | None = None
    extra: dict[str, float] = field(default_factory=dict)


_PERIODIC_LABEL = (
    "walkrx opt-in: weak steps accepted where the trunk signal is periodic; finds more of the "
    "reference steps on the lab data, and more step-like activity the reference does not call "
    "walking (see scripts/evaluate_lab.py)"
)

_ADAPTIVE_LABEL = (
    "walkrx default: adaptive threshold (strong peaks, or periodic peaks of at least a fraction "
    "of the strongest step around them; runs extended by rhythm); chosen by leave-one-subject-out "
    "on 10 healthy adults (lowerback-walks), checked on synthetic slow, weak and asymmetric gait"
)
_FIXED_LABEL = "walkrx default before issue 15: one fixed prominence threshold"

PRESETS: dict[str, StepPreset] = {
    p.name: p
    for p in (
        StepPreset(
            name="walkrx-lower-back",
            placement="lower-back",
            label=_ADAPTIVE_LABEL,
            min_prominence_g=0.13,
            # adaptive: a peak down to 0.03 g (a few times the band-passed noise of a still
            # sensor) counts where the 4-s window around it repeats at the step period with an
            # autocorrelation of at least 0.7 and it reaches `relative_prominence` of the
            # strongest peak within 4 s; rhythmic runs extend by up to `extend_steps` weak
            # steps at either end (the slowing first and last steps, the steps of a turn)
            min_periodicity=0.7,
            weak_prominence_g=0.03,
            relative_prominence=0.15,
            extend_steps=2,
        ),
        StepPreset(
            name="walkrx-lower-back-fixed",
            placement="lower-back",
            label=_FIXED_LABEL,
            # 0.13 g: the middle of the range (0.12-0.14 g) in which the lab trials' total
            # step errors stay within about 6 %; misses slow, weak steps (see docs/measure.md)
            min_prominence_g=0.13,
        ),
        StepPreset(
            name="walkrx-lower-back-periodic",
            placement="lower-back",
            label=_PERIODIC_LABEL,
            min_prominence_g=0.13,
            # a weak peak counts when the 4-s window around it repeats at the step period
            # with an autocorrelation of at least 0.6 (steady walking reaches 0.8-1.0)
            min_periodicity=0.6,
            weak_prominence_g=0.05,
        ),
        StepPreset(
            name="walkrx-thigh",
            placement="thigh",
            label="walkrx default, tuned on walkrx synthetic thigh data; checked on phones in a "
            "front trouser pocket (pocket-steps, 4 people)",
            min_prominence_g=0.05,
            # one leg: the signal repeats once per stride; the step period is half the
            # stride period (a 5-s window holds two strides of the slowest walking searched)
            stride_based=True,
            periodicity_window_s=5.0,
        ),
        StepPreset(
            name="walkrx-wrist",
            placement="wrist",
            label="walkrx default: peaks of the vector magnitude where the signal is periodic "
            "(non-gait arm movement rejected); chosen on one adult's free living "
            "(wrist-free-living) and a phone in a swinging hand (pocket-steps)",
            min_prominence_g=0.06,
            # a peak counts only where the 4-s window around it repeats at the step period
            # with an autocorrelation of at least 0.2: gestures and chores are rarely that
            # regular for several cycles, walking arm swing is (0.6-0.9)
            require_periodicity=0.2,
        ),
        StepPreset(
            name="walkrx-wrist-fixed",
            placement="wrist",
            label=_FIXED_LABEL,
            min_prominence_g=0.06,
        ),
    )
}


def default_preset(placement: str) -> StepPreset:
    """The default preset for a placement."""
    p = check_placement(placement)
    return PRESETS[f"walkrx-{p}"]
