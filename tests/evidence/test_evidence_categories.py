"""HUNT categories, step ranges and cadence at and around every boundary."""

import math

import pytest

from walkrx.evidence import (
    acsm_walking_met,
    hunt_intensity_category,
    hunt_volume_category,
    met_from_cadence,
    step_range_for_age,
)


@pytest.mark.parametrize(
    ("minutes", "label", "rr", "ci"),
    [
        (0, "<78 min/day", 1.00, None),
        (77, "<78 min/day", 1.00, None),
        (77.999, "<78 min/day", 1.00, None),
        (78, "78-100 min/day", 0.87, None),
        (78.5, "78-100 min/day", 0.87, None),
        (100, "78-100 min/day", 0.87, None),
        (100.5, "78-100 min/day", 0.87, None),  # fractional minutes are truncated
        (100.999, "78-100 min/day", 0.87, None),
        (101, "101-124 min/day", 0.77, (0.68, 0.87)),
        (124, "101-124 min/day", 0.77, (0.68, 0.87)),
        (124.9, "101-124 min/day", 0.77, (0.68, 0.87)),
        (125, ">=125 min/day", 0.76, (0.67, 0.87)),
        (600, ">=125 min/day", 0.76, (0.67, 0.87)),
    ],
)
def test_volume_boundaries(
    minutes: float, label: str, rr: float, ci: tuple[float, float] | None
) -> None:
    cat = hunt_volume_category(minutes)
    assert (cat.label, cat.rr, cat.ci, cat.source) == (label, rr, ci, "hunt-2025")


def test_volume_ci_of_78_100_is_not_invented() -> None:
    assert hunt_volume_category(90).ci is None
    assert hunt_volume_category(10).is_reference


@pytest.mark.parametrize(
    ("met", "label", "rr"),
    [
        (0.0, "<3.00 MET", 1.00),
        (2.999, "<3.00 MET", 1.00),
        (3.0, "3.00-3.11 MET", 0.85),
        (3.11, "3.00-3.11 MET", 0.85),
        (3.115, "3.00-3.11 MET", 0.85),
        (3.1199, "3.00-3.11 MET", 0.85),
        (3.12, "3.12-3.26 MET", 0.82),
        (3.26, "3.12-3.26 MET", 0.82),
        (3.2699, "3.12-3.26 MET", 0.82),
        (3.27, ">=3.27 MET", 0.82),
        (6.0, ">=3.27 MET", 0.82),
    ],
)
def test_intensity_boundaries(met: float, label: str, rr: float) -> None:
    cat = hunt_intensity_category(met)
    assert (cat.label, cat.rr, cat.ci) == (label, rr, None)


@pytest.mark.parametrize("bad", [-1.0, -0.001, math.nan, math.inf])
def test_bad_values_are_refused(bad: float) -> None:
    with pytest.raises(ValueError):
        hunt_volume_category(bad)
    with pytest.raises(ValueError):
        hunt_intensity_category(bad)


@pytest.mark.parametrize(
    ("age", "low", "high"),
    [(20, 8000, 10000), (59, 8000, 10000), (60, 6000, 8000), (61, 6000, 8000), (90, 6000, 8000)],
)
def test_step_range_for_age(age: int, low: int, high: int) -> None:
    r = step_range_for_age(age)
    assert (r.low, r.high, r.source) == (low, high, "paluch-2022")


def test_step_range_refuses_negative_age() -> None:
    with pytest.raises(ValueError):
        step_range_for_age(-1)


def test_cadence_thresholds_are_hit_exactly() -> None:
    assert met_from_cadence(100, 40) == pytest.approx(3.0)
    assert met_from_cadence(130, 40) == pytest.approx(6.0)
    assert met_from_cadence(100, 70) == pytest.approx(3.0)
    assert met_from_cadence(110, 70) == pytest.approx(4.0)
    assert met_from_cadence(120, 70) == pytest.approx(5.0)
    assert met_from_cadence(0, 40) == pytest.approx(1.0)
    assert met_from_cadence(115, 40) < met_from_cadence(120, 40)


def test_acsm_walking_equation() -> None:
    assert acsm_walking_met(80) == pytest.approx((3.5 + 8.0) / 3.5)
    assert acsm_walking_met(80, 0.05) == pytest.approx((3.5 + 8.0 + 1.8 * 80 * 0.05) / 3.5)
    with pytest.raises(ValueError):
        acsm_walking_met(-1)
