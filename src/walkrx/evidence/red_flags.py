"""The red-flag catalogue (EVIDENCE.md §5): plain-words questions with urgency.

Sources: NICE NG59, NICE CKS sciatica, Finucane 2020 (international red-flag
framework), GIRFT cauda equina pathway (2023), NICE CG75/NG234 (cancer), and
the seed's own stop rules. Phone numbers are deployment settings; the texts say
"your emergency number" so they are correct in every country.
"""

from __future__ import annotations

from walkrx.evidence.types import RedFlag, Urgency

__all__ = [
    "CHECKIN_CODES",
    "NOT_A_DIAGNOSIS",
    "RED_FLAGS",
    "RESCREEN_CODES",
    "SCREEN_CODES",
    "WHAT_TO_DO",
    "red_flag",
]

#: Shown with every piece of advice.
NOT_A_DIAGNOSIS = (
    "This is not a diagnosis. If you are worried, or your symptoms change, contact your "
    "doctor or physiotherapist; in an emergency call your emergency number."
)

#: What to do, by urgency.
WHAT_TO_DO: dict[Urgency, str] = {
    "emergency": (
        "Stop walking. Call your emergency number or go to an emergency department now - "
        "do not wait to see if it passes."
    ),
    "same-day": (
        "Stop walking. Get a medical assessment today: call your doctor or your urgent-care "
        "line. If you cannot reach anyone today, call your emergency number."
    ),
    "within-days": (
        "Pause the walking program and see a doctor within the next few days. Resume only "
        "after that review."
    ),
    "review": (
        "Stop walking until a physiotherapist or doctor has assessed you, then resume only "
        "after they clear you."
    ),
    "review-keep-walking": (
        "Book an appointment with a physiotherapist or doctor to review your back. You can keep "
        "walking within your pain rules until then."
    ),
}

_CES = "girft-ces-2023"


def _rf(code: str, question: str, urgency: Urgency, source: str) -> RedFlag:
    return RedFlag(code, question, urgency, WHAT_TO_DO[urgency], source)


_ALL: tuple[RedFlag, ...] = (
    # emergency
    _rf(
        "cauda-equina-bladder",
        "With your back or leg pain, do you have new trouble passing urine, less feeling when "
        "you pass urine, cannot pass urine, or leak urine without meaning to?",
        "emergency",
        _CES,
    ),
    _rf(
        "cauda-equina-bowel",
        "Have you lost control of your bowels, or lost feeling in your back passage?",
        "emergency",
        _CES,
    ),
    _rf(
        "saddle-numbness",
        "Is there numbness between your legs, around your genitals or your bottom (the area "
        "that would touch a saddle)?",
        "emergency",
        _CES,
    ),
    _rf(
        "sexual-dysfunction",
        "Have you had new problems with sexual function since the back pain started?",
        "emergency",
        _CES,
    ),
    _rf(
        "bilateral-sciatica",
        "Do you have pain shooting down both legs, or has pain in one leg spread to both?",
        "emergency",
        _CES,
    ),
    _rf(
        "bilateral-leg-weakness",
        "Are both of your legs weak, or getting weaker?",
        "emergency",
        _CES,
    ),
    _rf(
        "cancer-new-neuro",
        "If you have had cancer: do you have new leg weakness, difficulty walking, numbness, or "
        "bladder or bowel problems?",
        "emergency",
        "nice-ng234",
    ),
    # same day
    _rf(
        "fever-unwell",
        "Do you have a fever or feel generally unwell along with your back pain?",
        "same-day",
        "nice-ng59",
    ),
    _rf(
        "new-leg-numbness-weakness",
        "Do you have new or worsening numbness or weakness in a leg or foot (for example, your "
        "foot drops or catches)?",
        "same-day",
        "nice-cks-sciatica",
    ),
    _rf(
        "pain-below-knee-worse-walking",
        "Does pain shoot below your knee and get worse when you walk?",
        "same-day",
        "seed-003-walking-plan",
    ),
    _rf(
        "cancer-night-pain",
        "If you have had cancer: do you have new severe back pain that does not ease, or night "
        "pain that stops you sleeping?",
        "same-day",
        "nice-ng234",
    ),
    # within days
    _rf(
        "cancer-history-weight-loss",
        "Have you ever had cancer, or lost weight without trying, and now have new back pain?",
        "within-days",
        "finucane-2020",
    ),
    _rf(
        "new-pain-over-50",
        "Are you over 50 and is this back pain new for you?",
        "within-days",
        "finucane-2020",
    ),
    _rf(
        "trauma",
        "Did the pain start after a fall or accident - or after a minor knock if you have "
        "thin bones (osteoporosis) or take steroid tablets?",
        "within-days",
        "finucane-2020",
    ),
    # review without a pause (EVIDENCE §5): a *new* episode only, never chronic pain
    _rf(
        "no-improvement-month",
        "Is this a new episode of back pain (it started less than 3 months ago) that has not "
        "improved at all in the last 4 to 6 weeks?",
        "review-keep-walking",
        "nice-ng59",
    ),
    # review (seed rule, after 4-6 weeks of consistent walking)
    _rf(
        "rest-pain-after-weeks",
        "After 4 or more weeks of regular walking, is your pain still above 4 out of 10 when "
        "you rest?",
        "review",
        "seed-003-walking-plan",
    ),
    _rf(
        "night-pain-after-weeks",
        "After 4 or more weeks of regular walking, does pain at night still disturb your sleep?",
        "review",
        "seed-003-walking-plan",
    ),
    _rf(
        "leg-symptoms-spreading",
        "Are symptoms (pain, tingling or numbness) spreading down your legs?",
        "review",
        "seed-003-walking-plan",
    ),
)

#: The catalogue by code, most urgent first.
RED_FLAGS: dict[str, RedFlag] = {r.code: r for r in _ALL}

#: The questions of the screening before any plan, and of the re-screen before a
#: walker's own review resumes the program: every flag except the "after weeks of
#: walking" ones, which are asked at the weekly check-in as rest pain, night pain and
#: leg symptoms.
SCREEN_CODES: tuple[str, ...] = tuple(
    r.code
    for r in _ALL
    if not r.code.endswith("-after-weeks") and r.code != "leg-symptoms-spreading"
)

#: The red-flag questions of a weekly check-in: the screen without the once-only
#: questions about how the episode began (new pain over 50, a new episode not
#: improving): asking those every week stops the people walkrx is for. A fall or
#: accident (``trauma``) is asked every week: one can happen during the program.
CHECKIN_CODES: tuple[str, ...] = tuple(
    c for c in SCREEN_CODES if c not in ("new-pain-over-50", "no-improvement-month")
)

#: The re-screen a walker answers with their own review: the check-in questions except
#: how the pain began after a fall (the review has looked at that; a "yes" would bar the
#: walker from ever recording a review). Every answer must be "no".
RESCREEN_CODES: tuple[str, ...] = tuple(c for c in CHECKIN_CODES if c != "trauma")


def red_flag(code: str) -> RedFlag:
    """Return the red flag with ``code``; ``KeyError`` names the unknown code."""
    try:
        return RED_FLAGS[code]
    except KeyError:
        raise KeyError(f"unknown red-flag code {code!r}") from None
