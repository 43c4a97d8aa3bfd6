"""Account pages: sign up by email. Sign in/out and password reset are Django's own views."""

from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth.models import User
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters

from .forms import ChoosePasswordForm, SignUpForm

SALT = "walkrx.accounts.signup"
LINK_DAYS = 3


def _account_exists(email: str) -> bool:
    return User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists()


def _send_signup_email(request: HttpRequest, email: str) -> None:
    """Email the address's owner: a link to finish, or a note that the account exists."""
    if _account_exists(email):
        template, subject = "registration/signup_exists_email.txt", "Your walkrx account"
        link = request.build_absolute_uri(reverse("login"))
        reset = request.build_absolute_uri(reverse("password_reset"))
    else:
        template, subject = "registration/signup_email.txt", "Finish signing up to walkrx"
        token = signing.dumps(email, salt=SALT)
        link = request.build_absolute_uri(reverse("signup_confirm", args=[token]))
        reset = ""
    body = render_to_string(template, {"link": link, "reset": reset, "days": LINK_DAYS})
    send_mail(subject, body, None, [email])


def signup(request: HttpRequest) -> HttpResponse:
    """Step 1: ask for an email address; the same answer whether or not it has an account."""
    if request.user.is_authenticated:
        return redirect("today")
    if request.method == "POST":
        form = SignUpForm(request.POST)
        if form.is_valid():
            _send_signup_email(request, form.cleaned_data["email"])
            return redirect("signup_sent")
    else:
        form = SignUpForm()
    return render(request, "registration/signup.html", {"form": form})


def signup_sent(request: HttpRequest) -> HttpResponse:
    """The one page every sign-up sees: check your email."""
    return render(request, "registration/signup_sent.html", {"days": LINK_DAYS})


@sensitive_post_parameters("new_password1", "new_password2")
def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Step 2: from the emailed link, choose a password; the account is made, signed in."""
    try:
        email = signing.loads(token, salt=SALT, max_age=LINK_DAYS * 24 * 3600)
    except signing.BadSignature:
        return render(request, "registration/signup_confirm.html", {"valid": False}, status=400)
    if _account_exists(email):
        return render(request, "registration/signup_confirm.html", {"valid": False, "used": True})
    user = User(username=email, email=email)
    form = ChoosePasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = form.save()
        except IntegrityError:  # the same link used twice at once
            return render(
                request, "registration/signup_confirm.html", {"valid": False, "used": True}
            )
        login(request, user, backend="walkrx.web.accounts.backends.UserBackend")
        return redirect("onboarding")
    return render(
        request, "registration/signup_confirm.html", {"valid": True, "form": form, "email": email}
    )
