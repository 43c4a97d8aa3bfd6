"""One conformance test per algorithm family, run over every implementation."""

import numpy as np
import pytest

from walkrx.signal import PLACEMENTS, PeakStepDetector, StepRunBoutDetector
from walkrx.signal.base import BoutDetector, StepDetector
from walkrx.synthetic.signals import SyntheticRecording

STEP_DETECTORS = [lambda p: PeakStepDetector(p)]
BOUT_DETECTORS = [StepRunBoutDetector]


def test_every_implementation_is_listed():
    assert {c.__name__ for c in StepDetector.__subclasses__()} == {"PeakStepDetector"}
    assert {c.__name__ for c in BoutDetector.__subclasses__()} == {"StepRunBoutDetector"}


@pytest.mark.parametrize("make", STEP_DETECTORS)
@pytest.mark.parametrize("placement", PLACEMENTS)
def test_step_detector_contract(make, placement):
    rec = SyntheticRecording(placement, days=0.02, seed=1)
    chunk = rec.render(0, rec.n_samples)
    det = make(placement)
    assert det.detect(chunk.acc_g, rec.sampling_rate_hz) is det
    assert det.step_idx_.dtype == np.int64
    assert np.all(np.diff(det.step_idx_) > 0)
    empty = make(placement).detect(np.zeros((10, 3), np.float32), 100.0)
    assert empty.step_idx_.size == 0


@pytest.mark.parametrize("cls", BOUT_DETECTORS)
def test_bout_detector_contract(cls):
    t = np.r_[np.arange(10) * 0.55, 30 + np.arange(3) * 0.5, 60 + np.arange(6) * 0.6]
    det = cls()
    assert det.detect(t) is det
    assert det.bouts_.shape == (2, 2)
    assert det.in_bout_.sum() == 16
    assert not det.in_bout_[10:13].any()  # three steps are not a bout
    assert cls().detect(np.zeros(0)).bouts_.shape == (0, 2)
