"""Sign-up forms: an email address first, a password once the address is confirmed.

Sign-up never says whether an account exists: every address gets the same page,
and the email that follows goes to the owner of the address (a link to finish
signing up, or a reminder that they already have an account). The address is
the user name, so there is no user name to probe either.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import SetPasswordForm

EMAIL_MAX = 150  # the user name is the address: Django's user name holds 150 characters


class SignUpForm(forms.Form):
    """Step 1: the email address to send the sign-up link to."""

    email = forms.EmailField(
        label="Email address",
        max_length=EMAIL_MAX,
        help_text="We send a link to this address to finish signing up. "
        "You sign in with it, and it is used to reset your password if you forget it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_email(self) -> str:
        """The address as the account's user name: trimmed, lower case."""
        email: str = self.cleaned_data["email"].strip().lower()
        return email


class ChoosePasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    """Step 2 (from the emailed link): choose a password; this creates the account."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["new_password1"].label = "Password"
        self.fields["new_password2"].label = "Password again"
        self.fields["new_password2"].help_text = "Type the same password again, to be sure."
