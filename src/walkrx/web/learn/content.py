"""Education pages in walkrx's own words. Every number shown comes from :mod:`walkrx.evidence`.

A page is a list of sections; each section has plain-words paragraphs written
for a person in pain (no numbers in them) and the evidence keys it rests on.
A key is ``"finding:<key>"`` (a research finding, shown with its confidence and
caveat), ``"advice:<key>"`` (a clinician's advice from a source article,
labelled as advice) or ``"source:<key>"`` (a guideline or paper cited as a whole).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from walkrx.evidence.advice import advice
from walkrx.evidence.findings import finding
from walkrx.evidence.sources import source

__all__ = ["PAGES", "Citation", "Page", "Section", "cite", "page"]


@dataclass(frozen=True)
class Section:
    """A heading, short paragraphs in plain words, and the evidence keys behind them."""

    heading: str
    paragraphs: tuple[str, ...]
    cites: tuple[str, ...] = ()


@dataclass(frozen=True)
class Page:
    """One education page."""

    slug: str
    title: str
    summary: str
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Citation:
    """A resolved evidence key, ready to show."""

    kind: Literal["finding", "advice", "source"]
    text: str
    citation: str
    doi: str | None
    confidence: str
    caveat: str


def cite(key: str) -> Citation:
    """Resolve ``finding:…``, ``advice:…`` or ``source:…`` against the evidence module."""
    kind, _, handle = key.partition(":")
    if kind == "finding":
        f = finding(handle)
        src = source(f.source)
        return Citation("finding", f.statement, src.citation, src.doi, f.confidence, f.caveat)
    if kind == "advice":
        a = advice(handle)
        src = source(a.seed)
        return Citation(
            "advice",
            a.text,
            src.citation,
            src.doi,
            "advice",
            "A clinician's advice from a source article, not a research finding. "
            "Your clinician may set something different.",
        )
    if kind == "source":
        src = source(handle)
        return Citation("source", "", src.citation, src.doi, "", "")
    raise KeyError(f"unknown evidence kind in {key!r} (use finding:, advice: or source:)")


PAGES: tuple[Page, ...] = (
    Page(
        "why-walking",
        "Why walking helps",
        "What walking can and cannot do for back pain, with honest sizes of the effect.",
        (
            Section(
                "Moving usually beats resting",
                (
                    "For most back pain, staying gently active helps more than staying in bed. "
                    "Walking needs no equipment, you can do it almost anywhere, and you can "
                    "make it shorter or longer from one day to the next.",
                    "The effect on pain is real but small. Walking is one helpful part of "
                    "looking after your back, not a cure.",
                ),
                ("finding:walking-effect", "finding:graded-activity-effect", "source:nice-ng59"),
            ),
            Section(
                "Keeping pain from coming back",
                (
                    "In a large trial, people who had just recovered from back pain followed a "
                    "walking plan with coaching from a physiotherapist. They went much longer "
                    "before their pain came back than people who did not.",
                    "That result came from the whole package: the plan, education and six "
                    "sessions with a physiotherapist. An app alone has not been tested that way.",
                ),
                ("finding:walkback-result", "finding:walkback-goal"),
            ),
            Section(
                "Walking more each day",
                (
                    "In a big study in Norway, adults who walked more each day were less likely "
                    "to develop long-lasting back pain over the next years. Beyond a certain "
                    "amount of walking a day, the benefit seemed to level off (see the evidence "
                    "below).",
                    "This compared different people; it does not prove that walking more will "
                    "lower your own risk by the same amount.",
                ),
                (
                    "finding:hunt-volume-101-124",
                    "finding:hunt-volume-125",
                    "finding:hunt-plateau",
                ),
            ),
        ),
    ),
    Page(
        "hurt-not-harm",
        "Hurt is not harm",
        "Why some pain while walking is expected, and when it is a reason to stop.",
        (
            Section(
                "A sore back is not a damaged back",
                (
                    "A sensitive back can hurt when you start moving again, even when nothing "
                    "is being damaged. Mild pain that settles is a normal part of getting going.",
                    "walkrx uses simple pain rules so you know what is fine and what is not. "
                    "You rate pain from 0 (none) to 10 (the worst you can imagine).",
                ),
                ("finding:pain-monitoring-model", "finding:meaningful-pain-change"),
            ),
            Section(
                "The pain rules in walkrx",
                (
                    "Stop the walk if your pain goes above your limit and above where it was "
                    "before the walk. Pain that is already above your limit before a walk and "
                    "eases while you walk is not over the limit: you are on the right track.",
                    "A rise from before to after a walk as large as the meaningful change below "
                    "means the plan does not step up; a larger rise makes the rest of the "
                    "week's walks, and next week's, shorter.",
                ),
                (
                    "advice:pain-limit-3",
                    "finding:meaningful-pain-change",
                    "advice:scale-back-2-points",
                    "advice:pain-eases-on-track",
                ),
            ),
            Section(
                "When pain is a warning",
                (
                    "Some symptoms need a doctor, not a walk: problems passing urine or "
                    "controlling your bowels, numbness between the legs, new weakness or "
                    "numbness in a leg, pain below the knee that gets worse as you walk, or "
                    "fever with back pain. walkrx asks about these and stops your plan if you "
                    "report one.",
                ),
                ("source:nice-ng59", "source:girft-ces-2023", "source:finucane-2020"),
            ),
        ),
    ),
    Page(
        "flare-ups",
        "Flare-ups",
        "What to do when your back flares up, and how walkrx adapts your plan.",
        (
            Section(
                "During a flare-up",
                (
                    "Flare-ups are common and usually settle. When your back is highly flared "
                    "(you say so, or your pain is very high), walkrx plans no walks: rest, use "
                    "an ice pack on the painful area, and talk to a health professional about "
                    "pain relief.",
                    "With a moderate flare-up, a few minutes of gentle walking can ease "
                    "stiffness. The flare-up mode ends when your pain is back to where it was "
                    "before the flare on two reports at least a day apart; walks then restart "
                    "one step below where they were.",
                ),
                ("advice:flare-high", "advice:flare-moderate", "source:nice-ng59"),
            ),
            Section(
                "If it does not settle",
                (
                    "If after some weeks in the program - however many walks you managed - you "
                    "still have strong pain at rest, pain at night that wakes you, or symptoms "
                    "spreading down your legs, stop the program and see a physiotherapist or "
                    "doctor.",
                    "Symptoms newly spreading down your legs need a clinician within days, at "
                    "any time; new numbness or weakness in a leg needs a doctor today.",
                ),
                ("advice:escalate-after-weeks", "source:nice-cks-sciatica"),
            ),
        ),
    ),
    Page(
        "posture-and-form",
        "Posture and form",
        "How to warm up, walk and cool down in a way that is kind to your back.",
        (
            Section(
                "Before you walk",
                ("A short warm-up gets your back and hips moving before you set off.",),
                ("advice:pre-walk-activation",),
            ),
            Section(
                "While you walk",
                (
                    "Short steps, tall posture, loose hands. Walk at a pace where you could "
                    "chat but not sing. Choose flat ground while your back is bothering you.",
                ),
                (
                    "advice:form-cues",
                    "advice:talk-test",
                    "advice:flat-terrain",
                    "finding:cadence-thresholds",
                ),
            ),
            Section(
                "After you walk",
                ("A few simple strength exercises a few times a week support your back.",),
                ("advice:post-walk-strength",),
            ),
            Section(
                "Walking poles",
                ("Poles are fine if you like them; they are not needed.",),
                ("finding:poles-no-evidence",),
            ),
        ),
    ),
    Page(
        "sitting-breaks",
        "Sitting breaks",
        "Why long spells of sitting matter and how to break them up.",
        (
            Section(
                "Break up your sitting",
                (
                    "Long spells of sitting can stiffen a sore back. Stand up and move "
                    "regularly: walk to get a glass of water, take a phone call on your feet, "
                    "or stroll around the room.",
                    "walkrx suggests a break every half hour or so. That reminder is advice, "
                    "not a rule from research.",
                ),
                ("finding:sitting-breaks", "advice:sitting-reminder"),
            ),
        ),
    ),
)

_BY_SLUG = {p.slug: p for p in PAGES}


def page(slug: str) -> Page:
    """The page called ``slug``; ``KeyError`` if there is none."""
    return _BY_SLUG[slug]
