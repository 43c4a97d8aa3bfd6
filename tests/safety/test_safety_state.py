"""The pause/resume state machine: red flags pause, only clearances resume."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from walkrx.evidence import RED_FLAGS
from walkrx.safety import SafetyEvent, safety_state
from walkrx.safety.events import CLEARANCE_KINDS

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def red(code: str, at: datetime = T0) -> SafetyEvent:
    return SafetyEvent("red-flag", at, code=code)


def clear(at: datetime, kind: str = "clinician-clearance") -> SafetyEvent:
    return SafetyEvent(kind, at, by="Dr Physio", note="assessed, fine to walk")  # type: ignore[arg-type]


@pytest.mark.parametrize("code", sorted(RED_FLAGS))
def test_each_red_flag_pauses_with_its_urgency(code: str) -> None:
    state = safety_state([red(code)])
    assert state.status == "paused"
    assert state.urgency == RED_FLAGS[code].urgency
    assert state.open_red_flags == (code,)
    assert not state.walking_allowed
    assert any("not a diagnosis" in a for a in state.advice)


def test_most_urgent_flag_wins() -> None:
    state = safety_state([red("trauma"), red("saddle-numbness", T0 + timedelta(hours=1))])
    assert state.urgency == "emergency"


def test_unknown_code_fails_safe_as_emergency() -> None:
    assert safety_state([red("something-new")]).urgency == "emergency"


@pytest.mark.parametrize("kind", sorted(CLEARANCE_KINDS))
def test_clearance_after_the_flag_resumes(kind: str) -> None:
    state = safety_state([red("fever-unwell"), clear(T0 + timedelta(days=1), kind)])
    assert state.status == "active"
    assert state.last_clearance is not None


def test_clearance_before_the_flag_does_not_resume() -> None:
    assert safety_state([clear(T0 - timedelta(days=1)), red("trauma")]).status == "paused"


def test_clearance_at_the_same_instant_does_not_resume() -> None:
    assert safety_state([red("trauma"), clear(T0)]).status == "paused"


def test_escalation_and_priority() -> None:
    esc = SafetyEvent("escalation", T0)
    assert safety_state([esc]).status == "escalated"
    assert safety_state([esc, red("trauma", T0 + timedelta(hours=1))]).status == "paused"
    assert safety_state([esc, clear(T0 + timedelta(hours=1))]).status == "active"
    flare = SafetyEvent("flare-start", T0)
    assert safety_state([flare]).status == "flare"
    assert safety_state([flare, esc]).status == "escalated"
    assert safety_state([flare, red("trauma")]).status == "paused"
    assert (
        safety_state([flare, SafetyEvent("flare-settled", T0 + timedelta(days=1))]).status
        == "active"
    )


def test_flare_settling_never_lifts_a_pause() -> None:
    events = [red("trauma"), SafetyEvent("flare-settled", T0 + timedelta(days=2))]
    assert safety_state(events).status == "paused"


def test_malformed_events_are_refused() -> None:
    with pytest.raises(ValueError):
        SafetyEvent("red-flag", datetime(2026, 3, 1, 12, 0))  # naive
    with pytest.raises(ValueError):
        SafetyEvent("red-flag", T0)  # no code
    with pytest.raises(ValueError):
        SafetyEvent("clinician-clearance", T0, by=" ")
    with pytest.raises(ValueError):
        SafetyEvent("delete-everything", T0)  # type: ignore[arg-type]


KINDS = [
    "red-flag",
    "clinician-pause",
    "escalation",
    "clinician-clearance",
    "medical-review-confirmed",
    "flare-start",
    "flare-settled",
]


@st.composite
def event_logs(draw: st.DrawFn) -> list[SafetyEvent]:
    n = draw(st.integers(0, 12))
    out = []
    for _ in range(n):
        kind = draw(st.sampled_from(KINDS))
        at = T0 + timedelta(minutes=draw(st.integers(0, 60 * 24 * 30)))
        code = draw(st.sampled_from(sorted(RED_FLAGS))) if kind == "red-flag" else None
        out.append(SafetyEvent(kind, at, code=code, by="someone"))  # type: ignore[arg-type]
    return out


@settings(max_examples=300, deadline=None)
@given(event_logs(), st.randoms(use_true_random=False))
def test_a_pause_is_never_lifted_without_a_clearance(events: list[SafetyEvent], rnd) -> None:  # type: ignore[no-untyped-def]
    before = list(events)
    state = safety_state(events)
    assert events == before  # never mutated
    clearances = [e.at_utc for e in events if e.kind in CLEARANCE_KINDS]
    last_clear = max(clearances) if clearances else None
    open_pause = [
        e
        for e in events
        if e.kind in ("red-flag", "clinician-pause")
        and (last_clear is None or e.at_utc >= last_clear)
    ]
    if open_pause:
        assert state.status == "paused"
        assert not state.walking_allowed
    else:
        assert state.status != "paused"
    shuffled = list(events)
    rnd.shuffle(shuffled)
    assert safety_state(shuffled) == state  # order of the input does not matter


def test_flare_advice_is_relief_and_not_a_diagnosis() -> None:
    advice = safety_state([SafetyEvent("flare-start", T0)]).advice
    assert "2 to 5 minutes" in advice[0] and "not a diagnosis" in advice[1]
