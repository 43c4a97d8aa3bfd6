"""Every entry is sourced and graded; advice is labelled; no forbidden claim is shown."""

import re

import pytest

from walkrx.evidence import (
    ADVICE,
    CONDITIONS,
    FINDINGS,
    FORBIDDEN_CLAIMS,
    NOT_A_DIAGNOSIS,
    RED_FLAGS,
    SOURCES,
    WHAT_TO_DO,
    Advice,
    Finding,
    cite,
    forbidden_claims_in,
    is_known_key,
)

CONFIDENCE = {"high", "moderate", "low", "not-confirmed"}
URGENCY = {"emergency", "same-day", "within-days", "review", "review-keep-walking"}


def evidence_user_texts() -> list[str]:
    """Everything in walkrx.evidence that can reach a user."""
    texts = [NOT_A_DIAGNOSIS, *WHAT_TO_DO.values()]
    for f in FINDINGS.values():
        texts += [f.statement, f.caveat]
    texts += [a.text for a in ADVICE.values()]
    for r in RED_FLAGS.values():
        texts += [r.question, r.what_to_do]
    texts += [c.may_say for c in CONDITIONS.values()]
    texts += [s.citation for s in SOURCES.values()]
    return texts


def test_every_finding_has_a_source_and_confidence() -> None:
    assert FINDINGS
    for f in FINDINGS.values():
        assert isinstance(f, Finding)
        assert f.source in SOURCES, f.key
        if SOURCES[f.source].is_seed:  # a seed article is never evidence for a finding
            assert f.confidence == "not-confirmed", f.key
        assert f.confidence in CONFIDENCE, f.key
        assert f.statement


def test_every_advice_is_labelled_advice_from_a_seed() -> None:
    assert ADVICE
    for a in ADVICE.values():
        assert isinstance(a, Advice)
        assert not isinstance(a, Finding)
        assert a.label == f"advice: {a.seed}"
        assert SOURCES[a.seed].is_seed
        assert a.clinician_may_override
        assert cite(a.key).startswith("advice")
        assert cite(a.label).startswith("advice")


def test_findings_and_advice_keys_do_not_collide() -> None:
    assert not set(FINDINGS) & set(ADVICE)
    assert not set(FINDINGS) & set(SOURCES)


def test_hunt_numbers_as_published() -> None:
    assert FINDINGS["hunt-volume-78-100"].values == (0.87, None, None)
    assert FINDINGS["hunt-volume-101-124"].values == (0.77, 0.68, 0.87)
    assert FINDINGS["hunt-volume-125"].values == (0.76, 0.67, 0.87)
    assert FINDINGS["hunt-intensity"].values == (0.85, 0.82, 0.82)
    assert FINDINGS["hunt-plateau"].values == (100.0,)


def test_walkback_is_nearly_twice_as_long_never_doubles() -> None:
    wb = FINDINGS["walkback-result"]
    assert wb.values[:3] == (0.72, 0.60, 0.85)
    assert "nearly twice as long" in wb.statement
    assert "package" in wb.caveat
    assert not re.search(r"doubl", wb.statement + wb.caveat, re.IGNORECASE)
    assert FINDINGS["walkback-goal"].values == (30.0, 5.0, 26.0)


def test_not_confirmed_entries_carry_no_numbers() -> None:
    not_confirmed = [f for f in FINDINGS.values() if f.confidence == "not-confirmed"]
    assert {"hunt-not-confirmed", "rodriguez-steps", "cadence-met-equation"} <= {
        f.key for f in not_confirmed
    }
    assert all(f.values == () for f in not_confirmed)


def test_meaningful_pain_change_is_two_points() -> None:
    assert FINDINGS["meaningful-pain-change"].values[0] == 2.0


def test_red_flag_catalogue() -> None:
    required = {
        "cauda-equina-bladder",
        "saddle-numbness",
        "bilateral-sciatica",
        "bilateral-leg-weakness",
        "cancer-new-neuro",
        "fever-unwell",
        "new-leg-numbness-weakness",
        "pain-below-knee-worse-walking",
        "cancer-night-pain",
        "cancer-history-weight-loss",
        "new-pain-over-50",
        "trauma",
        "no-improvement-month",
    }
    assert required <= set(RED_FLAGS)
    for r in RED_FLAGS.values():
        assert r.urgency in URGENCY
        assert r.source in SOURCES
        assert r.question.endswith("?")
        assert r.what_to_do == WHAT_TO_DO[r.urgency]
    assert RED_FLAGS["saddle-numbness"].urgency == "emergency"
    assert RED_FLAGS["fever-unwell"].urgency == "same-day"
    assert RED_FLAGS["trauma"].urgency == "within-days"
    assert "emergency number" in WHAT_TO_DO["emergency"]
    assert "not a diagnosis" in NOT_A_DIAGNOSIS


def test_cite_every_key_and_refuse_unknown() -> None:
    for key in [*SOURCES, *FINDINGS, *ADVICE]:
        assert is_known_key(key)
        assert cite(key)
    assert "10.1001/jamanetworkopen.2025.15592" in cite("hunt-2025")
    with pytest.raises(KeyError):
        cite("no-such-key")


@pytest.mark.parametrize("claim", [c.claim for c in FORBIDDEN_CLAIMS])
def test_forbidden_patterns_catch_the_claims_themselves(claim: str) -> None:
    assert forbidden_claims_in(claim), claim


def test_forbidden_patterns_catch_seed_phrasing() -> None:
    for text in [
        "walking helps lower back pain for 85% of people",
        "reducing discomfort by up to 15 points",
        "triples pain reduction",
        "Poles reduce spinal load by 26% per biomechanical studies",
        "doubled their pain-free period",
        "3,867 steps/day = significant reduction",
        "3.27 MET is about 5 km/h",
        "walking over 100 min a day cuts risk by 30%",
    ]:
        assert forbidden_claims_in(text), text


def test_no_evidence_text_contains_a_forbidden_claim() -> None:
    for text in evidence_user_texts():
        assert not forbidden_claims_in(text), (text, forbidden_claims_in(text))
