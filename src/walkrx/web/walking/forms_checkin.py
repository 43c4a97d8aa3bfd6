"""The weekly check-in forms: the questions that matter, then one safety step.

Step 1 asks the weekly questions (each one tap). Step 2 lists every red flag that
applies, grouped by urgency, behind one "any of these?" question. Only a "yes, show
me" leads to step 3, where each flag that is true is ticked and recorded on its own.
"""

from __future__ import annotations

from typing import Any

from django import forms

from walkrx.evidence.types import RedFlag

from .forms import URGENCY_HEADINGS, YES_NO

SCALE = [(i, str(i)) for i in range(11)]

#: Short plain words for the step-2 list; step 3 asks the full question.
SHORT = {
    "cauda-equina-bladder": "New trouble passing or holding urine",
    "cauda-equina-bowel": "Lost bowel control, or no feeling in your back passage",
    "saddle-numbness": "Numbness around your genitals or bottom",
    "sexual-dysfunction": "New problems with sexual function",
    "bilateral-sciatica": "Pain shooting down both legs",
    "bilateral-leg-weakness": "Both legs weak, or getting weaker",
    "cancer-new-neuro": "After cancer: new leg weakness, numbness, or bladder or bowel problems",
    "fever-unwell": "Fever or feeling unwell, with back pain",
    "new-leg-numbness-weakness": "New or worse numbness or weakness in a leg or foot",
    "pain-below-knee-worse-walking": "Pain below the knee that gets worse as you walk",
    "cancer-night-pain": "After cancer: new severe back pain, or night pain stopping sleep",
    "cancer-history-weight-loss": "Past cancer, or weight loss without trying, with new back pain",
    "new-pain-over-50": "Over 50 and this back pain is new",
    "trauma": "Pain began after a fall or accident (or a small knock, with thin bones or steroids)",
    "no-improvement-month": "This new episode of back pain has not improved at all after a month",
}


class ScaleField(forms.TypedChoiceField):
    """A 0-10 answer as a row of eleven buttons: one tap on a phone."""

    def __init__(self, *, low: str, high: str, **kwargs: Any) -> None:
        kwargs.setdefault("required", True)
        kwargs.setdefault("error_messages", {"required": "Please choose a number from 0 to 10."})
        super().__init__(
            choices=SCALE, coerce=int, empty_value=None, widget=forms.RadioSelect, **kwargs
        )
        self.low, self.high = low, high


PAIN_ENDS = {"low": "0 = no pain", "high": "10 = worst imaginable"}


class WeeklyForm(forms.Form):
    """Step 1: average and worst pain, pain at rest, night pain, legs, flare, recurrence, confidence."""

    avg_pain = ScaleField(label="Your average back pain this week", **PAIN_ENDS)
    worst_pain = ScaleField(label="Your worst back pain this week", **PAIN_ENDS)
    rest_pain = ScaleField(label="Your pain when resting", **PAIN_ENDS)
    night_pain = forms.ChoiceField(
        label="Did pain at night disturb your sleep this week?",
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    leg_symptoms = forms.ChoiceField(
        label="Are pain, tingling or numbness spreading down your legs?",
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    flare = forms.ChoiceField(
        label="Is your back flared up now?",
        choices=[("no", "No"), ("yes", "Yes, moderately"), ("high", "Yes, highly flared up")],
        widget=forms.RadioSelect,
    )
    recurrence = forms.ChoiceField(
        label="Did back pain come back and stop you doing your normal activities this week?",
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    confidence = ScaleField(
        label="How confident are you to move and walk?",
        low="0 = not at all",
        high="10 = fully confident",
        required=False,
    )

    SCALES = ("avg_pain", "worst_pain", "rest_pain")
    YESNO = ("night_pain", "leg_symptoms", "flare", "recurrence")


def flag_groups(flags: tuple[RedFlag, ...]) -> list[tuple[str, list[dict[str, str]]]]:
    """The flags under plain urgency headings, most urgent first, with short and full text."""
    groups: dict[str, list[dict[str, str]]] = {}
    for flag in flags:
        groups.setdefault(URGENCY_HEADINGS[flag.urgency], []).append(
            {
                "code": flag.code,
                "short": SHORT.get(flag.code, flag.question),
                "question": flag.question,
            }
        )
    return list(groups.items())


def weekly_hidden(form: WeeklyForm) -> list[tuple[str, str]]:
    """Step 1's answers, carried as hidden fields through the safety steps."""
    out = []
    for name in form.fields:
        value = form.cleaned_data.get(name)
        if value is not None and value != "":
            out.append((name, str(value)))
    return out
