"""Accounts: sign up, sign in and out, password reset by email."""

from __future__ import annotations

import base64
import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def _signup_link(client: Client, email: str) -> str:
    r = client.post("/accounts/signup/", {"email": email})
    assert r.status_code == 302 and r["Location"] == "/accounts/signup/sent/"
    link = re.search(r"https?://[^/\s]+(/accounts/signup/confirm/\S+)", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    return link.group(1)


def test_signup_by_email_link_signs_in_and_goes_to_onboarding() -> None:
    client = Client()
    assert client.get("/accounts/signup/").status_code == 200
    url = _signup_link(client, "Ann@Example.org")
    assert mail.outbox[-1].to == ["ann@example.org"]
    assert not User.objects.filter(email="ann@example.org").exists()  # not before the link
    assert "ann@example.org" in client.get(url).content.decode()
    r = client.post(url, {"new_password1": "slow-walks-2026", "new_password2": "slow-walks-2026"})
    assert r.status_code == 302
    assert r["Location"] == "/start/"
    user = User.objects.get(username="ann@example.org")
    assert user.email == "ann@example.org"
    assert client.session["_auth_user_id"] == str(user.pk)
    # the link is spent: it now says the account is set up, and makes nothing
    again = Client().post(url, {"new_password1": "x-other-2026!", "new_password2": "x-other-2026!"})
    assert "already set up" in again.content.decode()
    assert User.objects.get(username="ann@example.org").check_password("slow-walks-2026")


def test_signup_link_refuses_mismatch_and_a_forged_token() -> None:
    client = Client()
    url = _signup_link(client, "bea@example.org")
    r = client.post(url, {"new_password1": "x" * 12 + "a1", "new_password2": "y" * 12 + "b2"})
    assert r.status_code == 200
    assert 'role="alert"' in r.content.decode()
    assert not User.objects.filter(email="bea@example.org").exists()
    payload = base64.urlsafe_b64encode(b'"eve@example.org"').decode().rstrip("=")
    forged = re.sub(r"confirm/[^:]+", "confirm/" + payload, url)
    assert forged != url
    assert client.get(forged).status_code == 400


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
