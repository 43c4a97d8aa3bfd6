"""Seed advice: clinicians' recommendations from the source articles (not findings).

Each entry is labelled ``advice: <seed>`` wherever it reaches a user, and a
clinician may override it.
"""

from __future__ import annotations

from walkrx.evidence.types import Advice

__all__ = ["ADVICE", "advice"]

_PLAN = "seed-003-walking-plan"
_VW = "seed-001-verywell"
_HINGE = "seed-002-hinge"

_ALL: tuple[Advice, ...] = (
    Advice(
        "start-short-walks",
        "If you do not walk regularly, start with three or four short walks of about 5 to 10 "
        "minutes in the first week.",
        _VW,
    ),
    Advice(
        "five-week-template",
        "A 5-week build-up: 10 min on 3-4 days, then 15 min on 4-5 days, 20 min on 5 days, "
        "25 min on 5-6 days, then 30-45 min on 5-7 days.",
        _PLAN,
    ),
    Advice(
        "progress-step",
        "While pain is stable, add one walking day a week or 5-10 more minutes per walk.",
        _VW,
    ),
    Advice(
        "progress-percent",
        "Once walking is established, increase duration by about 5-10 % a week.",
        _PLAN,
    ),
    Advice(
        "steps-plus-500", "Add about 500 steps a day each week until you reach your goal.", _HINGE
    ),
    Advice("pain-limit-3", "Stop a walk if pain goes above 3 out of 10.", _PLAN),
    Advice(
        "scale-back-2-points",
        "If pain after a walk is more than 2 points higher than before it, make the next walks "
        "shorter.",
        _PLAN,
    ),
    Advice(
        "pain-eases-on-track",
        "If pain eases during your walks, even slightly, you are on the right track.",
        _PLAN,
    ),
    Advice(
        "flare-relief",
        "When the back is highly flared up, rest from longer walks and use an ice pack; with a "
        "moderate flare, gentle walks of 2 to 5 minutes can ease stiffness. Talk to a health "
        "professional about other pain relief.",
        _VW,
    ),
    Advice(
        "flare-high",
        "When your back is highly flared up, do not go for walks: rest, use an ice pack on the "
        "painful area, and talk to a health professional about pain relief.",
        _VW,
    ),
    Advice(
        "flare-moderate",
        "With a moderate flare-up, short gentle walks of 2 to 5 minutes can ease stiffness.",
        _VW,
    ),
    Advice(
        "supportive-shoes",
        "Wear supportive shoes for walking (no flip-flops).",
        _PLAN,
    ),
    Advice(
        "flat-indoor-week-1",
        "In the first week, walk on flat indoor surfaces.",
        _PLAN,
    ),
    Advice(
        "shoulder-check",
        "Check your shoulder position every few minutes: shoulders down and relaxed, head tall.",
        _PLAN,
    ),
    Advice(
        "avoid-hard-surfaces",
        "When your pain is up, avoid hard surfaces and poor or rubbing shoes.",
        "seed-004-blog",
    ),
    Advice(
        "escalate-after-weeks",
        "If after 4-6 weeks of consistent walking you still have pain above 4/10 at rest, night "
        "pain that disrupts sleep, or symptoms spreading down the legs: stop walking until "
        "assessed and see a physiotherapist or doctor.",
        _PLAN,
    ),
    Advice(
        "pre-walk-activation",
        "Before each walk (about 2 minutes): march in place 30 seconds, standing cat-camel x10, "
        "ankle circles x10 each way, glute squeezes x15.",
        _PLAN,
    ),
    Advice(
        "form-cues",
        "Land with the foot under the hip (shorter stride), walk tall, keep the hands loose and "
        "let the arms swing forward and back.",
        _PLAN,
    ),
    Advice(
        "talk-test",
        "Walk fast enough that you can talk but not sing (about 50-70 % of your maximum heart "
        "rate).",
        _PLAN,
    ),
    Advice(
        "post-walk-strength",
        "Three times a week after a walk: glute bridges 3x15, bird-dog 10 each side, standing "
        "hamstring stretch 30 seconds each leg.",
        _PLAN,
    ),
    Advice(
        "flat-terrain",
        "While your back is bothering you, walk on flat ground such as a local track.",
        _HINGE,
    ),
    Advice(
        "split-walks",
        "Longer walks can be split into a morning and an afternoon walk.",
        _PLAN,
    ),
    Advice(
        "sitting-reminder",
        "Avoid sitting for longer than 30 to 40 minutes: stand up and move.",
        "seed-004-blog",
    ),
    Advice(
        "stenosis-bouts",
        "With spinal stenosis, walk in bouts of up to 10 minutes and lean forward on a trolley "
        "or rollator.",
        _PLAN,
    ),
    Advice("disc-pool", "With a recent disc herniation, walk in a pool.", _PLAN),
    Advice(
        "spondylolisthesis-poles",
        "With an unstable spondylolisthesis, you may use walking poles and should avoid hills "
        "and stairs.",
        _PLAN,
    ),
    Advice(
        "microdiscectomy-treadmill",
        "After a microdiscectomy, walk on a treadmill from 2-4 weeks after the operation, once "
        "your surgeon or clinician has cleared you.",
        _PLAN,
    ),
    Advice(
        "hundred-minutes",
        "For back health, aim for around 100 minutes of walking a day in total.",
        "seed-000-hunt-news",
    ),
)

#: All advice by key.
ADVICE: dict[str, Advice] = {a.key: a for a in _ALL}


def advice(key: str) -> Advice:
    """Return the advice with ``key``; ``KeyError`` names the unknown key."""
    try:
        return ADVICE[key]
    except KeyError:
        raise KeyError(f"unknown advice {key!r}") from None
