"""The pause/resume state machine: red flags pause, only clearances resume."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from walkrx.evidence import RED_FLAGS
from walkrx.evidence.red_flags import RESCREEN_CODES, SCREEN_CODES
from walkrx.evidence.types import PAUSING_URGENCIES
from walkrx.safety import SafetyEvent, SafetyState, safety_state
from walkrx.safety.events import CLEARANCE_KINDS

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SCREENED = SafetyEvent(
    "screening", T0 - timedelta(days=30), answers=tuple((c, False) for c in SCREEN_CODES)
)
CLEAN = tuple((c, False) for c in RESCREEN_CODES)


def fold(events: list[SafetyEvent]) -> SafetyState:
    return safety_state([SCREENED, *events])


def red(code: str, at: datetime = T0) -> SafetyEvent:
    return SafetyEvent("red-flag", at, code=code)


def clear(at: datetime, kind: str = "clinician-clearance") -> SafetyEvent:
    answers = CLEAN if kind == "self-reported-review" else ()
    return SafetyEvent(kind, at, by="dr-physio", note="assessed", answers=answers)  # type: ignore[arg-type]


@pytest.mark.parametrize("code", sorted(RED_FLAGS))
def test_each_red_flag_pauses_with_its_urgency(code: str) -> None:
    state = fold([red(code)])
    if RED_FLAGS[code].urgency not in PAUSING_URGENCIES:  # a review without a pause
        assert state.status == "active" and state.open_reviews == (code,)
        assert any("keep walking" in a for a in state.advice)
        return
    assert state.status == "paused"
    assert state.urgency == RED_FLAGS[code].urgency
    assert state.open_red_flags == (code,)
    assert not state.walking_allowed
    assert any("not a diagnosis" in a for a in state.advice)


def test_most_urgent_flag_wins() -> None:
    state = fold([red("trauma"), red("saddle-numbness", T0 + timedelta(hours=1))])
    assert state.urgency == "emergency"


def test_unknown_code_fails_safe_as_emergency() -> None:
    assert fold([red("something-new")]).urgency == "emergency"


@pytest.mark.parametrize("kind", sorted(CLEARANCE_KINDS))
def test_clearance_after_the_flag_resumes(kind: str) -> None:
    state = fold([red("fever-unwell"), clear(T0 + timedelta(days=1), kind)])
    assert state.status == "active"
    assert state.last_clearance is not None


def test_clearance_before_the_flag_does_not_resume() -> None:
    assert fold([clear(T0 - timedelta(days=1)), red("trauma")]).status == "paused"


def test_clearance_at_the_same_instant_does_not_resume() -> None:
    assert fold([red("trauma"), clear(T0)]).status == "paused"


def test_escalation_and_priority() -> None:
    esc = SafetyEvent("escalation", T0)
    assert fold([esc]).status == "escalated"
    assert fold([esc, red("trauma", T0 + timedelta(hours=1))]).status == "paused"
    assert fold([esc, clear(T0 + timedelta(hours=1))]).status == "active"
    flare = SafetyEvent("flare-start", T0)
    assert fold([flare]).status == "flare"
    assert fold([flare, esc]).status == "escalated"
    assert fold([flare, red("trauma")]).status == "paused"
    assert fold([flare, SafetyEvent("flare-settled", T0 + timedelta(days=1))]).status == "active"


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
    "self-reported-review",
    "medical-review-confirmed",
    "screening",
    "flare-start",
    "flare-settled",
]


@st.composite
def event_logs(draw: st.DrawFn) -> list[SafetyEvent]:
    n = draw(st.integers(0, 12))
    out = []
    variants = [
        CLEAN,
        tuple((c, c == "fever-unwell") for c in SCREEN_CODES),
        CLEAN[:3],
        tuple((c, False) for c in SCREEN_CODES),
    ]
    for _ in range(n):
        kind = draw(st.sampled_from(KINDS))
        at = T0 + timedelta(minutes=draw(st.integers(0, 60 * 24 * 30)))
        code = draw(st.sampled_from(sorted(RED_FLAGS))) if kind == "red-flag" else None
        answers = (
            draw(st.sampled_from(variants)) if kind in ("screening", "self-reported-review") else ()
        )
        out.append(SafetyEvent(kind, at, code=code, by="someone", answers=answers))  # type: ignore[arg-type]
    return out


def _urgency(e: SafetyEvent) -> str:
    if e.kind == "clinician-pause":
        return "review"
    return RED_FLAGS[e.code].urgency if e.code in RED_FLAGS else "emergency"


def _lifts(e: SafetyEvent, open_flags: list[tuple[str, datetime]]) -> bool:
    """The rule, written independently: a clinician identity, or a clean next-day review."""
    if e.kind == "clinician-clearance":
        return bool(e.by.strip())
    if e.kind != "self-reported-review":
        return False
    given_codes = {c for c, _ in e.answers}
    if not set(RESCREEN_CODES) <= given_codes or any(yes for _, yes in e.answers):
        return False
    return not any(
        u in ("emergency", "same-day") and at.date() >= e.at_utc.date() for u, at in open_flags
    )


@settings(max_examples=300, deadline=None)
@given(event_logs(), st.randoms(use_true_random=False))
def test_a_pause_is_never_lifted_without_a_clearance(events: list[SafetyEvent], rnd) -> None:  # type: ignore[no-untyped-def]
    """No pause is lifted without a clinician identity or a next-day clean self-review."""
    before = list(events)
    state = safety_state(events)
    assert events == before  # never mutated
    open_flags: list[tuple[str, datetime]] = []
    # at one instant: clinician clearances, then own reviews (whose "yes" answers stay
    # open), then flags - a flag reported with a clearance at the same instant stays open
    rank = {"clinician-clearance": 0, "self-reported-review": 1}
    order = sorted(events, key=lambda e: (e.at_utc, rank.get(e.kind, 2)))
    for e in order:
        if e.kind in ("red-flag", "clinician-pause"):
            if _urgency(e) in PAUSING_URGENCIES:
                open_flags.append((_urgency(e), e.at_utc))
        elif e.kind in CLEARANCE_KINDS and _lifts(e, open_flags):
            open_flags = []
        elif e.kind in ("screening", "self-reported-review"):
            for code, yes in e.answers:
                if yes and RED_FLAGS[code].urgency in PAUSING_URGENCIES:
                    open_flags.append((RED_FLAGS[code].urgency, e.at_utc))
    if open_flags:
        assert state.status == "paused"
        assert not state.walking_allowed
    else:
        assert state.status != "paused"
        if not any(e.kind == "screening" for e in events):
            assert state.status == "unscreened" and not state.walking_allowed
    shuffled = list(events)
    rnd.shuffle(shuffled)
    assert safety_state(shuffled) == state  # order of the input does not matter


def test_flare_advice_is_relief_and_not_a_diagnosis() -> None:
    advice = fold([SafetyEvent("flare-start", T0, code="moderate")]).advice
    assert "2 to 5 minutes" in advice[0] and "not a diagnosis" in advice[-1]
    high = fold([SafetyEvent("flare-start", T0)]).advice
    assert "ice pack" in high[0] and "heat" not in " ".join(high)


def test_unscreened_until_a_screening_and_a_yes_in_it_pauses() -> None:
    assert safety_state([]).status == "unscreened"
    assert not safety_state([]).walking_allowed
    yes = SafetyEvent("screening", T0, answers=(("saddle-numbness", True),))
    state = safety_state([yes])
    assert (state.status, state.urgency) == ("paused", "emergency")


@pytest.mark.parametrize(
    ("hours_later", "answers", "status"),
    [
        (2, CLEAN, "paused"),  # same day as an emergency flag
        (20, CLEAN, "active"),  # next day (T0 is 12:00 UTC)
        (20, CLEAN[:-1], "paused"),  # a question not answered
        (20, (*CLEAN[:-1], (CLEAN[-1][0], True)), "paused"),  # a "yes"
    ],
)
def test_self_review_rules(
    hours_later: int, answers: tuple[tuple[str, bool], ...], status: str
) -> None:
    review = SafetyEvent(
        "self-reported-review", T0 + timedelta(hours=hours_later), by="walker", answers=answers
    )
    state = fold([red("cauda-equina-bladder"), review])
    assert state.status == status
    assert state.refused_reviews == (0 if status == "active" else 1)


@pytest.mark.parametrize(
    ("flag_local", "review_local", "lifted"),
    [
        # Europe/Oslo springs forward on 2026-03-29 (a 23-hour day)
        ("2026-03-28T23:30", "2026-03-29T00:30", True),  # the next local day, one hour later
        ("2026-03-29T00:30", "2026-03-29T23:50", False),  # same local day, 22 hours later
        ("2026-10-25T01:30", "2026-10-25T23:59", False),  # the 25-hour day: still the same day
        ("2026-10-25T23:59", "2026-10-26T00:01", True),
    ],
)
def test_same_day_rule_uses_the_walkers_local_day_across_dst(
    flag_local: str, review_local: str, lifted: bool
) -> None:
    from zoneinfo import ZoneInfo

    oslo = ZoneInfo("Europe/Oslo")
    flagged = datetime.fromisoformat(flag_local).replace(tzinfo=oslo).astimezone(UTC)
    reviewed = datetime.fromisoformat(review_local).replace(tzinfo=oslo).astimezone(UTC)
    events = [
        SCREENED,
        SafetyEvent("red-flag", flagged, code="fever-unwell"),
        SafetyEvent("self-reported-review", reviewed, by="walker", answers=CLEAN),
    ]
    assert safety_state(events, "Europe/Oslo").status == ("active" if lifted else "paused")
