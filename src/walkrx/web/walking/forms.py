"""Forms: input validation only; the rules live in the engines."""

from __future__ import annotations

from django import forms

from .models import TALK_TEST, TERRAINS

PAIN_CHOICES = [("", "—")] + [(str(i), str(i)) for i in range(11)]


class PainField(forms.TypedChoiceField):
    """A 0-10 pain score from a select box (large targets on a phone)."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("required", False)
        super().__init__(choices=PAIN_CHOICES, coerce=int, empty_value=None, **kwargs)  # type: ignore[arg-type]


class WalkForm(forms.Form):
    """Log a walk."""

    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label="Start time", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    minutes = forms.FloatField(label="Minutes walked", min_value=0.5, max_value=600)
    steps = forms.IntegerField(label="Steps (if you know)", required=False, min_value=0)
    pain_before = PainField(label="Pain before the walk (0 = none, 10 = worst)")
    pain_max = PainField(label="Worst pain during the walk")
    pain_after = PainField(label="Pain after the walk")
    talk_test = forms.ChoiceField(
        label="Talk test", required=False, choices=[("", "—"), *TALK_TEST]
    )
    terrain = forms.ChoiceField(label="Terrain", choices=TERRAINS[:5], initial="flat")
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))
