"""Forms of the clinic pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from walkrx.web.walking.models import CONDITIONS

from .models import SESSION_KINDS

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]
CONDITION_CHOICES = [
    ("spinal-stenosis", "Spinal stenosis"),
    ("disc-herniation", "Disc herniation"),
    ("spondylolisthesis", "Spondylolisthesis"),
    ("microdiscectomy", "After a microdiscectomy"),
]
assert [c for c, _ in CONDITION_CHOICES] == CONDITIONS
DATE = forms.DateInput(attrs={"type": "date"})


class ClearForm(forms.Form):
    """Clear a pause: the reason is required."""

    note = forms.CharField(
        label="Reason (what you checked and found)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class AckForm(forms.Form):
    """Acknowledge one alert with a note."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=80)
    note = forms.CharField(label="Note", max_length=500)


class SettingsForm(forms.Form):
    """The walker's settings a clinician may change."""

    pain_limit = forms.IntegerField(
        label="Pain limit during a walk (0-10; empty = the default 3)",
        min_value=0,
        max_value=10,
        required=False,
    )
    walking_weekdays = forms.TypedMultipleChoiceField(
        label="Walking days (none ticked = any day)",
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    bout_cap_min = forms.IntegerField(
        label="Longest single bout (minutes)", min_value=1, max_value=180, required=False
    )
    target_minutes = forms.IntegerField(
        label="Minutes per session to build up to", min_value=1, max_value=180, required=False
    )
    target_days = forms.IntegerField(
        label="Walking days a week to build up to", min_value=1, max_value=7, required=False
    )
    conditions = forms.MultipleChoiceField(
        label="Conditions",
        choices=CONDITION_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    surgery_date = forms.DateField(label="Date of surgery", required=False, widget=DATE)
    surgery_cleared_on = forms.DateField(
        label="Cleared to walk after surgery on", required=False, widget=DATE
    )

    FIELDS = (
        "pain_limit",
        "walking_weekdays",
        "bout_cap_min",
        "target_minutes",
        "target_days",
        "conditions",
        "surgery_date",
        "surgery_cleared_on",
    )

    @classmethod
    def initial_for(cls, walker: Any) -> dict[str, Any]:
        """The walker's current values."""
        prefs = walker.preferences or {}
        return {
            "pain_limit": walker.pain_limit,
            "walking_weekdays": list(prefs.get("walking_weekdays", [])),
            "bout_cap_min": getattr(walker, "bout_cap_min", None),
            "target_minutes": walker.target_minutes,
            "target_days": walker.target_days,
            "conditions": list(walker.conditions or []),
            "surgery_date": walker.surgery_date,
            "surgery_cleared_on": walker.surgery_cleared_on,
        }


class SessionForm(forms.Form):
    """Record a session."""

    date = forms.DateField(label="Date of the session", widget=DATE)
    kind = forms.ChoiceField(label="Type", choices=SESSION_KINDS)
    goals = forms.CharField(label="Goals", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    barriers = forms.CharField(
        label="Barriers", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    agreed = forms.CharField(
        label="What we agreed (the walker sees this)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    plan_changes = forms.CharField(
        label="Plan changes", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    next_date = forms.DateField(label="Next session", required=False, widget=DATE)


class InviteForm(forms.Form):
    """Make a one-time invitation code."""

    note = forms.CharField(label="For whom (your note, optional)", max_length=120, required=False)


class ClinicianForm(forms.Form):
    """A clinic admin creates a clinician account."""

    username = forms.SlugField(label="Username", max_length=150)
    full_name = forms.CharField(label="Full name", max_length=120)
    email = forms.EmailField(label="Email", required=False)
    profession = forms.CharField(label="Profession", max_length=120, initial="Physiotherapist")
    registration = forms.CharField(label="Registration number", max_length=120, required=False)
    clinic = forms.CharField(label="Clinic", max_length=120, required=False)
    password = forms.CharField(
        label="First password (at least 8 characters; they can change it)",
        widget=forms.PasswordInput(render_value=False),
        min_length=8,
        required=False,
    )
    is_clinic_admin = forms.BooleanField(label="Clinic admin", required=False)


class ReportForm(forms.Form):
    """The period of a report."""

    start = forms.DateField(label="From", widget=DATE)
    end = forms.DateField(label="To", widget=DATE)

    def clean(self) -> dict[str, Any]:
        """The period must run forwards and be at most two years."""
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError("'To' must be on or after 'From'")
            if end - start > dt.timedelta(days=731):
                raise forms.ValidationError("a report covers at most two years")
        return data


class JoinForm(forms.Form):
    """The walker accepts a clinician's invitation."""

    code = forms.CharField(label="Invitation code", max_length=12)
    consent = forms.BooleanField(
        label="I agree: this clinician may see and change my walking data as described above",
        required=True,
    )
