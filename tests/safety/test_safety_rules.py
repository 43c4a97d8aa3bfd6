"""Pain rules, flare-up and escalation rules."""

from datetime import date

import pytest

from walkrx.safety import (
    DEFAULT_PAIN_LIMIT,
    PainObservation,
    in_flare,
    pain_verdict,
    should_escalate,
)
from walkrx.safety.escalation import escalation_reasons


def test_default_pain_limit_is_three() -> None:
    assert DEFAULT_PAIN_LIMIT == 3


@pytest.mark.parametrize(
    ("before", "after", "pmax", "limit", "verdict"),
    [
        (2, 5, None, 3, "scale-back"),  # +3 points
        (2, 4, None, 3, "stop-limit"),  # +2 is not more than 2, but 4 > limit 3
        (1, 3, None, 3, "steady"),
        (3, 1, None, 3, "on-track"),  # eased
        (1, 1, 4, 3, "stop-limit"),
        (1, 1, 4, 5, "steady"),  # clinician limit 5
        (None, None, None, 3, "unknown"),
        (0, 10, 10, 3, "scale-back"),
    ],
)
def test_pain_verdict(
    before: int | None, after: int | None, pmax: int | None, limit: int, verdict: str
) -> None:
    assert pain_verdict(before, after, pmax, limit) == verdict


def test_pain_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError):
        pain_verdict(11, 2)
    with pytest.raises(ValueError):
        pain_verdict(2, -1)


D = date(2026, 3, 2)


def test_flare_enters_on_flag_or_pain_7_and_settles_below_7() -> None:
    assert not in_flare([], D)
    assert in_flare([PainObservation(D, (6,), flagged_flare=True)], D)
    assert in_flare([PainObservation(D, (7,))], D)
    assert not in_flare([PainObservation(D, (6,))], D)
    obs = [PainObservation(D, (8,)), PainObservation(date(2026, 3, 4), (4, 5))]
    assert in_flare(obs, date(2026, 3, 3))  # no new report yet: still flare
    assert not in_flare(obs, date(2026, 3, 4))  # settled
    same_day = [PainObservation(D, (3,)), PainObservation(D, (7,))]
    assert in_flare(same_day, D)  # a day with any flare report counts as flare
    assert in_flare(
        [PainObservation(D, (8,)), PainObservation(date(2026, 3, 4), (None,))], date(2026, 3, 5)
    )


@pytest.mark.parametrize(
    ("weeks", "rest", "night", "legs", "expected"),
    [
        (3, 9, True, True, False),  # too early
        (4, 5, False, False, True),
        (4, 4, False, False, False),  # 4 is not above 4
        (4, None, True, False, True),
        (6, 0, False, True, True),
        (10, 2, False, False, False),
    ],
)
def test_escalation(weeks: int, rest: int | None, night: bool, legs: bool, expected: bool) -> None:
    assert should_escalate(weeks, rest, night, legs) is expected


def test_escalation_reasons() -> None:
    assert escalation_reasons(5, True, True) == ("rest-pain", "night-pain", "leg-symptoms")
    assert escalation_reasons(None, False, False) == ()
