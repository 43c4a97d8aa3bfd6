"""Account pages: sign up. Sign in/out and password reset are Django's own views."""

from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters

from .forms import SignUpForm


@sensitive_post_parameters("password1", "password2")
def signup(request: HttpRequest) -> HttpResponse:
    """Create an account, sign in, and go on to onboarding (the safety screen first)."""
    if request.user.is_authenticated:
        return redirect("today")
    if request.method == "POST":
        form = SignUpForm(request.POST)
        if form.is_valid():
            user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("onboarding")
    else:
        form = SignUpForm()
    return render(request, "registration/signup.html", {"form": form})
