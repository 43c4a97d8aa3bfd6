"""Pain rules, flare-up and escalation rules."""

from datetime import date, timedelta

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
        (1, 3, None, 3, "meaningful-rise"),  # +2 is a meaningful change
        (1, 2, None, 3, "steady"),
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


def test_flare_enters_on_flag_or_pain_7_and_settles_on_two_days_at_the_pre_flare_level() -> None:
    assert not in_flare([], D)
    assert in_flare([PainObservation(D, (6,), flagged_flare=True)], D)
    assert in_flare([PainObservation(D, (7,))], D)
    assert not in_flare([PainObservation(D, (6,))], D)
    pre = PainObservation(D - timedelta(days=1), (4,))
    obs = [pre, PainObservation(D, (8,)), PainObservation(date(2026, 3, 4), (4, 3))]
    assert in_flare(obs, date(2026, 3, 3))  # no new report yet: still flare
    assert in_flare(obs, date(2026, 3, 4))  # one report back at 4/10 is not enough
    obs.append(PainObservation(date(2026, 3, 5), (4,)))
    assert not in_flare(obs, date(2026, 3, 5))  # two days at the pre-flare level: settled
    above = [
        pre,
        PainObservation(D, (8,)),
        PainObservation(D + timedelta(days=2), (5,)),
        PainObservation(D + timedelta(days=3), (5,)),
    ]
    assert in_flare(above, D + timedelta(days=3))  # 5 is above the pre-flare 4
    same_day = [PainObservation(D, (3,)), PainObservation(D, (7,))]
    assert in_flare(same_day, D)  # a day with any flare report counts as flare
    assert in_flare(
        [PainObservation(D, (8,)), PainObservation(date(2026, 3, 4), (None,))], date(2026, 3, 5)
    )


@pytest.mark.parametrize(
    ("days", "rest", "night", "legs", "legs_before", "expected"),
    [
        (27, 9, True, False, False, False),  # too early for rest and night pain
        (27, 9, True, True, False, True),  # legs newly spreading: at any time
        (3, 0, False, True, False, True),
        (20, 0, False, True, True, False),  # not new, and not yet 4 weeks
        (28, 5, False, False, False, True),
        (28, 4, False, False, False, False),  # 4 is not above 4
        (28, None, True, False, False, True),
        (42, 0, False, True, True, True),
        (70, 2, False, False, False, False),
    ],
)
def test_escalation(
    days: int, rest: int | None, night: bool, legs: bool, legs_before: bool, expected: bool
) -> None:
    assert should_escalate(days, rest, night, legs, legs_before) is expected


def test_escalation_reasons() -> None:
    assert escalation_reasons(5, True, True) == ("rest-pain", "night-pain", "leg-symptoms")
    assert escalation_reasons(None, False, False) == ()
