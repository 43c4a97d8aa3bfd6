import math

import numpy as np
import pytest

from walkrx.signal.intensity import (
    CADENCE_ADULTS,
    CADENCE_OLDER_ADULTS,
    MET_RELATIONS,
    cadence_to_met,
)


@pytest.mark.parametrize(("cadence", "met"), [(100, 3.0), (130, 6.0)])
def test_adult_anchors(cadence, met):
    assert cadence_to_met([cadence])[0] == pytest.approx(met)


@pytest.mark.parametrize(("cadence", "met"), [(100, 3.0), (110, 4.0), (120, 5.0)])
def test_older_adult_anchors(cadence, met):
    assert cadence_to_met([cadence], "cadence-older-adults")[0] == pytest.approx(met)


def test_monotone_floor_and_nan():
    c = np.array([40, 80, 95, 100, 115, 130, 145, np.nan])
    m = cadence_to_met(c)
    assert np.all(np.diff(m[:-1]) >= 0)
    assert m[0] == CADENCE_ADULTS.floor_met
    assert math.isnan(m[-1])


def test_relations_carry_citations():
    for rel in MET_RELATIONS.values():
        assert "Tudor-Locke" in rel.citation
        assert rel.caveat and rel.confidence
    assert CADENCE_OLDER_ADULTS.cadence_spm == (100.0, 110.0, 120.0)


def test_unknown_relation():
    with pytest.raises(ValueError, match="unknown MET relation"):
        cadence_to_met([100], "made-up")
