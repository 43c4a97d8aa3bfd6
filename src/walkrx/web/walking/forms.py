"""Forms: input validation only; the rules live in the engines."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import available_timezones

from django import forms

from walkrx.evidence.red_flags import CHECKIN_CODES, RED_FLAGS, RESCREEN_CODES, SCREEN_CODES

from .models import CONDITIONS, GOALS, TALK_TEST, TERRAINS

PAIN_CHOICES = [("", "Choose 0 to 10")] + [
    (str(i), f"{i}{' - no pain' if i == 0 else ' - worst imaginable' if i == 10 else ''}")
    for i in range(11)
]
YES_NO = [("no", "No"), ("yes", "Yes")]
WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]
CONDITION_LABELS = {
    "spinal-stenosis": "Lumbar spinal stenosis (narrowing of the spinal canal)",
    "disc-herniation": "A recent disc herniation (slipped disc)",
    "spondylolisthesis": "Spondylolisthesis (a vertebra slipped forward)",
    "microdiscectomy": "I had a microdiscectomy (back operation on a disc)",
}
URGENCY_HEADINGS = {
    "emergency": "Urgent warning signs",
    "same-day": "Signs that need a doctor today",
    "within-days": "Signs that need a doctor soon",
    "review": "After several weeks of walking",
    "review-keep-walking": "How this episode of pain is going",
}
ZONES = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))


class PainField(forms.TypedChoiceField):
    """A 0-10 pain score from a select box (large targets on a phone)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(choices=PAIN_CHOICES, coerce=int, empty_value=None, **kwargs)


def red_flag_fields(form: forms.Form, codes: tuple[str, ...]) -> None:
    """Add one yes/no question per red flag code (the engine decides which are asked)."""
    for flag in RED_FLAGS.values():
        if flag.code in codes:
            form.fields[f"rf_{flag.code}"] = forms.ChoiceField(
                label=flag.question,
                choices=YES_NO,
                widget=forms.RadioSelect,
                required=True,
                error_messages={"required": "Please answer yes or no."},
            )


def red_flag_groups(form: forms.Form) -> list[tuple[str, list[Any]]]:
    """The form's red-flag questions grouped under plain headings, most urgent first."""
    groups: dict[str, list[Any]] = {}
    for name in form.fields:
        if name.startswith("rf_"):
            urgency = RED_FLAGS[name[3:]].urgency
            groups.setdefault(URGENCY_HEADINGS[urgency], []).append(form[name])
    return list(groups.items())


def answered_red_flags(cleaned: dict[str, Any]) -> list[str]:
    """Codes answered "yes"."""
    return [k[3:] for k, v in cleaned.items() if k.startswith("rf_") and v == "yes"]


def red_flag_answers(cleaned: dict[str, Any]) -> dict[str, bool]:
    """Every red-flag answer, ``{code: yes}``."""
    return {k[3:]: v == "yes" for k, v in cleaned.items() if k.startswith("rf_")}


class SafetyScreenForm(forms.Form):
    """Onboarding step 1: age, then every red-flag question that applies before walking."""

    codes = SCREEN_CODES

    age = forms.IntegerField(
        label="How old are you?", min_value=18, max_value=120, widget=forms.NumberInput()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        red_flag_fields(self, self.codes)


class ProfileForm(forms.Form):
    """Onboarding step 2: goal, conditions, pain, baseline and preferences."""

    goal = forms.ChoiceField(
        label="What is your main goal?", choices=GOALS, widget=forms.RadioSelect
    )
    conditions = forms.MultipleChoiceField(
        label="Has a doctor told you that you have any of these? (tick any that apply)",
        choices=[(c, CONDITION_LABELS[c]) for c in CONDITIONS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    surgery_date = forms.DateField(
        label="Date of your back operation (if you had one)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    current_pain = PainField(label="How bad is your back pain right now?", required=True)
    baseline_minutes = forms.IntegerField(
        label="About how many minutes do you walk on a normal day now?",
        help_text="Count walks on purpose, not moving around the house. 0 is fine.",
        min_value=0,
        max_value=600,
    )
    baseline_steps = forms.IntegerField(
        label="Steps per day, if you know them (optional)", required=False, min_value=0
    )
    walking_weekdays = forms.MultipleChoiceField(
        label="Which days suit you for walking? (leave empty for any day)",
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    preferred_time = forms.ChoiceField(
        label="What time of day suits you best?",
        help_text="You can set an exact time later in Settings.",
        choices=[("08:00", "Morning"), ("12:00", "Midday"), ("18:00", "Evening")],
        widget=forms.RadioSelect,
        initial="08:00",
    )
    split_sessions = forms.BooleanField(
        label="I would rather split longer walks into two shorter ones", required=False
    )
    setting = forms.ChoiceField(
        label="Where do you like to walk?",
        choices=[
            ("outdoor", "Outdoors"),
            ("indoor", "Indoors (treadmill, mall)"),
            ("either", "Either"),
        ],
        widget=forms.RadioSelect,
        initial="outdoor",
    )
    tz = forms.ChoiceField(label="Your time zone", choices=[(z, z) for z in ZONES])

    def clean(self) -> dict[str, Any]:
        """A microdiscectomy needs the date of the operation."""
        data = super().clean() or {}
        conds = data.get("conditions") or []
        if "microdiscectomy" in conds and not data.get("surgery_date"):
            self.add_error("surgery_date", "Please give the date of your operation.")
        surgery = data.get("surgery_date")
        if surgery and surgery > dt.date.today() + dt.timedelta(days=1):
            self.add_error("surgery_date", "The date of the operation cannot be in the future.")
        return data


class WalkForm(forms.Form):
    """Log a walk (works without JavaScript; the timer only fills in minutes and start time)."""

    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label="Start time", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    minutes = forms.FloatField(
        label="Minutes walked",
        min_value=0.5,
        max_value=600,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    pain_before = PainField(label="Pain before the walk")
    pain_max = PainField(label="Worst pain during the walk")
    pain_after = PainField(label="Pain after the walk")
    talk_test = forms.ChoiceField(
        label="Talk test: while walking...",
        required=False,
        choices=TALK_TEST,
        widget=forms.RadioSelect,
    )
    terrain = forms.ChoiceField(
        label="Where did you walk?", choices=TERRAINS[:5], initial="flat", widget=forms.RadioSelect
    )
    steps = forms.IntegerField(label="Steps (if you know them)", required=False, min_value=0)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class UploadForm(forms.Form):
    """A file to import: walkrx tells the kind from its content; a sensor needs its placement."""

    file = forms.FileField(
        label="Choose a file",
        help_text="An export from Apple Health, Garmin, Fitbit, a GPX track, a step table, or "
        "a research sensor recording. walkrx recognises the kind of file by itself.",
    )
    placement = forms.ChoiceField(
        label="Only for a research sensor: where was it worn?",
        choices=[("lower-back", "Lower back"), ("thigh", "Thigh"), ("wrist", "Wrist")],
        widget=forms.RadioSelect,
        required=False,
    )


class DeleteAccountForm(forms.Form):
    """Confirm erasure by typing a word."""

    confirm = forms.CharField(
        label="Type DELETE to confirm", help_text="This cannot be undone.", max_length=10
    )

    def clean_confirm(self) -> str:
        """Only the exact word confirms."""
        value = str(self.cleaned_data["confirm"]).strip()
        if value != "DELETE":
            raise forms.ValidationError("Type DELETE in capital letters to confirm.")
        return value


class SymptomForm(forms.Form):
    """A new symptom between check-ins: the red-flag questions only."""

    codes = CHECKIN_CODES

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        red_flag_fields(self, self.codes)


class SelfReviewForm(forms.Form):
    """A walker without a clinician records a medical review, with the red-flag re-screen."""

    codes = RESCREEN_CODES
    assessed_on = forms.DateField(
        label="When were you assessed?", widget=forms.DateInput(attrs={"type": "date"})
    )
    assessed_by = forms.CharField(
        label="Who assessed you? (for example: Dr Lee, GP)", max_length=120
    )
    note = forms.CharField(
        label="What did they say?", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        red_flag_fields(self, self.codes)
