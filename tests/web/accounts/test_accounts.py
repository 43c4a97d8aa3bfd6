"""Accounts: sign up, sign in and out, password reset by email."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def test_signup_signs_in_and_goes_to_onboarding() -> None:
    client = Client()
    assert client.get("/accounts/signup/").status_code == 200
    r = client.post(
        "/accounts/signup/",
        {
            "username": "ann",
            "email": "ann@example.org",
            "password1": "slow-walks-2026",
            "password2": "slow-walks-2026",
        },
    )
    assert r.status_code == 302
    assert r["Location"] == "/start/"
    user = User.objects.get(username="ann")
    assert user.email == "ann@example.org"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signup_refuses_mismatch_and_duplicate_email() -> None:
    User.objects.create_user("bob", "bob@example.org", "pw-bob-12345")
    client = Client()
    r = client.post(
        "/accounts/signup/",
        {
            "username": "bob2",
            "email": "BOB@example.org",
            "password1": "x" * 12,
            "password2": "y" * 12,
        },
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "already exists" in html
    assert 'role="alert"' in html
    assert not User.objects.filter(username="bob2").exists()


def test_sign_in_and_out() -> None:
    User.objects.create_user("cat", "cat@example.org", "pw-cat-12345")
    client = Client()
    r = client.post("/accounts/login/", {"username": "cat", "password": "pw-cat-12345"})
    assert r.status_code == 302
    r = client.post("/accounts/logout/")
    assert r.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email() -> None:
    User.objects.create_user("dan", "dan@example.org", "old-password-1")
    client = Client()
    r = client.post("/accounts/password_reset/", {"email": "dan@example.org"})
    assert r.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "walkrx" in mail.outbox[0].subject
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", body)
    assert link, body
    r = client.get(link.group(1), follow=True)
    assert r.status_code == 200
    assert "Choose a new password" in r.content.decode()
    r = client.post(
        r.redirect_chain[-1][0],
        {"new_password1": "new-password-2026", "new_password2": "new-password-2026"},
    )
    assert r.status_code == 302
    assert User.objects.get(username="dan").check_password("new-password-2026")
