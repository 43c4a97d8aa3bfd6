"""A synthetic family of slow, weak and asymmetric gait (lower back) with known steps.

Amplitudes are relative to walkrx's synthetic waveform, whose step peaks (≈ 0.6 g
prominence) are stronger than real healthy walking: on ``lowerback-walks`` the median step
prominence is ≈ 0.39 g, so ``USUAL = 0.65`` matches healthy adults. Slow walking moves the
trunk less: its amplitude is scaled by (cadence / 110)², about 0.4 at 70 steps/min. "Weak"
is half of the usual; "asymmetric" shortens every second step interval and weakens the
left foot (``asymmetry`` of :class:`walkrx.synthetic.signals.SyntheticRecording`).
"""

from __future__ import annotations

from typing import Any

from walkrx.measure import MeasureSettings, measure_chunks
from walkrx.synthetic.signals import SyntheticRecording

USUAL = 0.65
SLOW = USUAL * (70.0 / 110.0) ** 2

FAMILY: dict[str, dict[str, Any]] = {
    "slow": {"cadence_range_spm": (60.0, 80.0), "amplitude": SLOW, "asymmetry": 0.0},
    "weak": {"cadence_range_spm": (85.0, 125.0), "amplitude": USUAL / 2, "asymmetry": 0.0},
    "asymmetric": {"cadence_range_spm": (85.0, 125.0), "amplitude": USUAL, "asymmetry": 0.3},
    "slow and weak": {"cadence_range_spm": (60.0, 80.0), "amplitude": SLOW / 2, "asymmetry": 0.0},
    "slow, weak and asymmetric": {
        "cadence_range_spm": (60.0, 80.0),
        "amplitude": SLOW / 2,
        "asymmetry": 0.3,
    },
}


def recording(name: str, seed: int = 3, sampling_rate_hz: float = 100.0) -> SyntheticRecording:
    """Twelve hours (a night's rest, then 5.5 h of sitting, standing and walks)."""
    return SyntheticRecording(
        "lower-back",
        days=0.5,
        sampling_rate_hz=sampling_rate_hz,
        seed=seed,
        walk_min_per_day=120.0,
        nonwear_h_per_day=0.0,
        **FAMILY[name],
    )


def score(rec: SyntheticRecording, settings: MeasureSettings | None = None) -> dict[str, float]:
    """Step and walking-time errors (%) of walkrx on ``rec`` against its truth."""
    res = measure_chunks(rec.iter_chunks(1_000_000), rec.info(), "lower-back", "UTC", settings)
    n = rec.truth_step_ns.size
    walk = float(rec.truth_bouts["duration_s"].sum())
    return {
        "true_steps": float(n),
        "step_err_pct": 100.0 * (res.summary["total_steps"] - n) / n,
        "walk_err_pct": 100.0 * (float(res.bouts["duration_s"].sum()) - walk) / walk,
    }


def synthetic_family(
    settings: MeasureSettings | None = None, sampling_rate_hz: float = 100.0
) -> dict[str, dict[str, float]]:
    """Scores of every family member."""
    return {
        name: score(recording(name, sampling_rate_hz=sampling_rate_hz), settings) for name in FAMILY
    }
