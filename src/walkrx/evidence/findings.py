"""Research findings from EVIDENCE.md, each with source, confidence and caveat.

``None`` inside ``values`` marks a number EVIDENCE.md says is not confirmed.
"""

from __future__ import annotations

from walkrx.evidence.types import Finding

__all__ = ["FINDINGS", "finding"]

_HUNT_CAVEAT = (
    "Observational: compares people, not changes within a person; one baseline week of "
    "measurement; the cohort was free of chronic low back pain at the start (prevention), "
    "not patients. An association, not proof of cause."
)

_ALL: tuple[Finding, ...] = (
    # §1 HUNT
    Finding(
        "hunt-cohort",
        "HUNT: 11,194 adults free of chronic low back pain, walking measured by two "
        "accelerometers for up to a week, followed for a median 4.2 years; 14.8 % developed "
        "chronic low back pain.",
        (11194.0, 4.2, 14.8),
        "participants, years, % developed chronic LBP",
        "hunt-2025",
        "high",
        _HUNT_CAVEAT,
    ),
    Finding(
        "hunt-outcome",
        "HUNT outcome: chronic low back pain reported at follow-up, meaning pain lasting 3 "
        "months or more in the past 12 months.",
        (3.0, 12.0),
        "months",
        "hunt-2025",
        "moderate",
        "Self-reported outcome.",
    ),
    Finding(
        "hunt-not-confirmed",
        "Not confirmed for HUNT, so never shown: confidence intervals of the other categories, "
        "risk ratios per extra minute, the covariates, the valid-day rule, how intensity in MET "
        "was derived, and which walking classifier was used.",
        (),
        "",
        "hunt-2025",
        "not-confirmed",
    ),
    Finding(
        "hunt-volume-78-100",
        "Walking 78-100 min/day: adjusted risk ratio 0.87 compared with under 78 min/day.",
        (0.87, None, None),
        "risk ratio (95 % CI not confirmed)",
        "hunt-2025",
        "high",
        _HUNT_CAVEAT + " The confidence interval for this band is not confirmed.",
    ),
    Finding(
        "hunt-volume-101-124",
        "Walking 101-124 min/day: adjusted risk ratio 0.77 (95 % CI 0.68-0.87) compared with "
        "under 78 min/day.",
        (0.77, 0.68, 0.87),
        "risk ratio (95 % CI)",
        "hunt-2025",
        "high",
        _HUNT_CAVEAT,
    ),
    Finding(
        "hunt-volume-125",
        "Walking 125 min/day or more: adjusted risk ratio 0.76 (95 % CI 0.67-0.87) compared "
        "with under 78 min/day.",
        (0.76, 0.67, 0.87),
        "risk ratio (95 % CI)",
        "hunt-2025",
        "high",
        _HUNT_CAVEAT,
    ),
    Finding(
        "hunt-intensity",
        "Mean walking intensity 3.00-3.11, 3.12-3.26 and 3.27 MET or more: adjusted risk "
        "ratios 0.85, 0.82 and 0.82 compared with under 3.00 MET.",
        (0.85, 0.82, 0.82),
        "risk ratio (CIs not confirmed)",
        "hunt-2025",
        "high",
        _HUNT_CAVEAT + " After adjusting for volume the intensity association weakened.",
    ),
    Finding(
        "hunt-plateau",
        "Risk fell with more walking up to about 100 min/day, then levelled off.",
        (100.0,),
        "min/day",
        "hunt-2025",
        "moderate",
        _HUNT_CAVEAT + ' The "23 % lower" often quoted is a rounding of the risk ratios 0.77 '
        "and 0.76.",
    ),
    Finding(
        "hunt-volume-over-intensity",
        "After mutual adjustment the association held for walking volume and weakened for "
        "intensity.",
        (),
        "",
        "hunt-2025",
        "moderate",
        _HUNT_CAVEAT,
    ),
    Finding(
        "hunt-age-65",
        "The association was more consistent in adults aged 65 or over; similar in women and men.",
        (65.0,),
        "years",
        "hunt-2025",
        "low",
        "Age- and sex-specific risk ratios are not confirmed.",
    ),
    # §2 WalkBack
    Finding(
        "walkback-goal",
        "WalkBack: build up to at least 30 minutes of walking on 5 days a week within 6 months, "
        "with six physiotherapist sessions (health coaching) over those months.",
        (30.0, 5.0, 26.0),
        "min/session, days/week, weeks",
        "walkback-2024",
        "moderate",
        "The goal belongs to a coached package (physiotherapist sessions and education).",
    ),
    Finding(
        "walkback-result",
        "WalkBack: walking plus education lowered activity-limiting recurrence, hazard ratio "
        "0.72 (0.60-0.85); the median time to a recurrence was 208 days vs 112 days - nearly "
        "twice as long.",
        (0.72, 0.60, 0.85, 208.0, 112.0),
        "hazard ratio (95 % CI), median days with vs without",
        "walkback-2024",
        "high",
        "The effect belongs to the whole coached package (walking plan, education, six "
        "physiotherapist sessions), not to a plan alone. More lower-limb adverse events with "
        "walking.",
    ),
    Finding(
        "walkback-population",
        "WalkBack enrolled 701 adults (mean age 54, 81 % women) who had recently recovered from "
        "an episode of non-specific low back pain.",
        (701.0, 54.0, 81.0),
        "participants, years, % women",
        "walkback-2024",
        "high",
    ),
    Finding(
        "walkback-minutes",
        "WalkBack participants walked about 130 min/week by 12 weeks.",
        (130.0, 12.0),
        "min/week, weeks",
        "walkback-2024",
        "low",
    ),
    Finding(
        "walkback-adverse",
        "WalkBack: adverse events were similar (52 % vs 54 %), with more lower-limb events in "
        "the walking group.",
        (52.0, 54.0),
        "% with an adverse event",
        "walkback-2024",
        "moderate",
    ),
    # §3 steps
    Finding(
        "paluch-steps-60plus",
        "Mortality risk fell progressively up to about 6,000-8,000 steps/day at age 60 or over.",
        (6000.0, 8000.0),
        "steps/day",
        "paluch-2022",
        "high",
        "Mortality, not back pain; observational.",
    ),
    Finding(
        "paluch-steps-under60",
        "Mortality risk fell progressively up to about 8,000-10,000 steps/day under age 60.",
        (8000.0, 10000.0),
        "steps/day",
        "paluch-2022",
        "high",
        "Mortality, not back pain; observational.",
    ),
    Finding(
        "banach-steps",
        "Each extra 1,000 steps/day: all-cause mortality hazard ratio 0.85 (0.81-0.91); each "
        "extra 500 steps/day: cardiovascular mortality hazard ratio 0.93 (0.91-0.95).",
        (0.85, 0.81, 0.91, 0.93, 0.91, 0.95),
        "hazard ratio (95 % CI)",
        "banach-2023",
        "high",
        "Observational. The medians of the reference quartiles in that paper are not "
        "thresholds: they are not a lowest amount that works.",
    ),
    Finding(
        "hall-steps",
        "Per extra 1,000 steps/day, mortality was 6 % to 36 % lower across studies.",
        (6.0, 36.0),
        "% lower mortality per 1,000 steps/day",
        "hall-2020",
        "high",
        "Observational; mortality, not back pain.",
    ),
    Finding(
        "ding-steps",
        "7,000 vs 2,000 steps/day: mortality hazard ratio 0.53 (0.46-0.60).",
        (0.53, 0.46, 0.60),
        "hazard ratio (95 % CI)",
        "ding-2025",
        "high",
        "Observational; mortality, not back pain.",
    ),
    Finding(
        "bravata-pedometer",
        "Self-monitoring with a pedometer, a goal and a diary: +2,491 steps/day vs control in "
        "randomised trials.",
        (2491.0,),
        "steps/day",
        "bravata-2007",
        "high",
    ),
    Finding(
        "pace-up",
        "PACE-UP: about +600 steps/day and +30 min/week of moderate-to-vigorous activity at 3-4 "
        "years; fewer fractures (HR 0.56) and cardiovascular events (HR 0.34), with wide "
        "confidence intervals.",
        (600.0, 30.0, 0.56, 0.34),
        "steps/day, min/week, hazard ratios",
        "pace-up-2018",
        "high",
        "Wide confidence intervals for the event outcomes.",
    ),
    # §4 cadence
    Finding(
        "cadence-thresholds",
        "About 100 steps/min is moderate intensity (about 3 MET) and about 130 steps/min is "
        "vigorous (about 6 MET); in adults 61-85: 100/110/120 steps/min is about 3/4/5 MET.",
        (100.0, 3.0, 130.0, 6.0),
        "steps/min, MET",
        "cadence-adults",
        "high",
        "Population thresholds; an individual's intensity at a given cadence varies.",
    ),
    Finding(
        "acsm-walking-equation",
        "VO2 (mL/kg/min) = 3.5 + 0.1 x speed (m/min) + 1.8 x speed x grade; MET = VO2 / 3.5; "
        "valid for about 50-100 m/min.",
        (3.5, 0.1, 1.8),
        "mL/kg/min coefficients",
        "acsm-walking",
        "high",
        "Valid only for walking speeds of about 50-100 m/min.",
    ),
    Finding(
        "cadence-met-equation",
        "A cadence-based MET equation exists (Med Sci Sports Exerc 2021;53(1):165); its "
        "coefficients are not confirmed here and are not used.",
        (),
        "",
        "cadence-adults",
        "not-confirmed",
    ),
    Finding(
        "rodriguez-steps",
        "Step thresholds attributed to Rodriguez-Gutierrez 2024 by a source article are not "
        "confirmed and are not used.",
        (),
        "",
        "seed-000-hunt-news",
        "not-confirmed",
    ),
    # §6 pain and progression
    Finding(
        "meaningful-pain-change",
        "A change of about 2 points (or about 30 %) on the 0-10 pain scale is clinically "
        "important.",
        (2.0, 30.0),
        "points, %",
        "farrar-2001",
        "high",
        "Also Ostelo 2008. walkrx uses 2 points.",
    ),
    Finding(
        "pain-monitoring-model",
        "Pain during activity up to 5/10 was acceptable if it settled by the next morning.",
        (5.0,),
        "pain 0-10",
        "silbernagel-2007",
        "moderate",
        "Studied in tendon pain, not low back pain.",
    ),
    Finding(
        "ten-percent-rule",
        "The 10 % per week rule is not an evidence-based injury-prevention rule: it made no "
        "difference in a trial.",
        (10.0,),
        "% per week",
        "buist-2008",
        "high",
    ),
    Finding(
        "large-jumps-injury",
        "Week-over-week jumps of more than 30 % were associated with injuries in novice runners.",
        (30.0,),
        "% per week",
        "nielsen-2014",
        "moderate",
        "Runners, not walkers with back pain; an association.",
    ),
    Finding(
        "graded-activity-effect",
        "Graded activity for low back pain reduced pain by about 6 points on a 0-100 scale vs "
        "minimal intervention.",
        (6.0,),
        "points of 100",
        "macedo-2010",
        "high",
        "A small effect.",
    ),
    Finding(
        "walking-effect",
        "Walking vs minimal intervention: a small short-term effect on pain (SMD -0.23).",
        (-0.23,),
        "standardised mean difference",
        "pocovi-2022",
        "high",
        "A small effect.",
    ),
    # §7 sitting
    Finding(
        "sitting-breaks",
        "Guidelines advise reducing and breaking up sitting as often as possible; one guideline "
        "suggests at least 3 min of light activity every 30 min; 2-min walks every 40 min gave "
        "short relief of sitting-related back pain.",
        (30.0, 3.0, 40.0, 2.0),
        "min",
        "who-2020",
        "moderate",
        "No interval is set by WHO; the 30-40 min reminder is advice.",
    ),
    # §8 conditions
    Finding(
        "microdiscectomy-start",
        "After microdiscectomy early mobilisation is safe; structured exercise programmes "
        "usually start 4-6 weeks after surgery and do better than none.",
        (4.0, 6.0),
        "weeks after surgery",
        "conditions-evidence",
        "high",
    ),
    Finding(
        "disc-herniation-water",
        "With a recent disc herniation, water-based exercise is an option; it is no better than "
        "exercise on land.",
        (),
        "",
        "conditions-evidence",
        "moderate",
    ),
    Finding(
        "stenosis-flexed",
        "With lumbar spinal stenosis, symptoms come on with walking or standing and ease when "
        "sitting or bending forward; forward-leaning support (a trolley or rollator) lets people "
        "walk further; treadmill walking is used in trials.",
        (),
        "",
        "conditions-evidence",
        "moderate",
    ),
    Finding(
        "poles-no-evidence",
        "Walking poles are optional; there is no evidence that they reduce pain.",
        (),
        "",
        "conditions-evidence",
        "moderate",
    ),
)

#: All findings by key.
FINDINGS: dict[str, Finding] = {f.key: f for f in _ALL}


def finding(key: str) -> Finding:
    """Return the finding with ``key``; ``KeyError`` names the unknown key."""
    try:
        return FINDINGS[key]
    except KeyError:
        raise KeyError(f"unknown evidence finding {key!r}") from None
