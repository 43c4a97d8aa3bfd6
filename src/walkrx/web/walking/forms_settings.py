"""The walker's settings forms: input only; ``services.change_settings`` validates and applies."""

from __future__ import annotations

from typing import Any

from django import forms

from .forms import WEEKDAYS, ZONES
from .models import GOALS

REMINDERS = [
    ("", "No reminder"),
    ("15", "15 minutes before"),
    ("30", "30 minutes before"),
    ("60", "1 hour before"),
    ("120", "2 hours before"),
]


class PlanSettingsForm(forms.Form):
    """Goal, walking days, preferred time, reminders and time zone."""

    goal = forms.ChoiceField(label="Your main goal", choices=GOALS, widget=forms.RadioSelect)
    walking_weekdays = forms.MultipleChoiceField(
        label="Which days suit you for walking? (none ticked: any day)",
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    preferred_time = forms.TimeField(
        label="Preferred time to walk",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Planned walks in your calendar start at this time.",
    )
    reminder_minutes = forms.TypedChoiceField(
        label="Reminder in your calendar",
        choices=REMINDERS,
        coerce=int,
        empty_value=None,
        required=False,
    )
    tz = forms.ChoiceField(label="Your time zone", choices=[(z, z) for z in ZONES])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone = (self.initial or {}).get("tz")
        if zone and (zone, zone) not in self.fields["tz"].choices:  # type: ignore[attr-defined]
            self.fields["tz"].choices = [(zone, zone), *self.fields["tz"].choices]  # type: ignore[attr-defined]


class EmailForm(forms.Form):
    """The account's email address (used for password reset)."""

    email = forms.EmailField(label="Email address")
