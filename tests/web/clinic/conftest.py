"""Walkers and clinicians made through the service layer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from walkrx.evidence.red_flags import SCREEN_CODES
from walkrx.web.clinic import services as clinic
from walkrx.web.walking import services

PASSWORD_SUFFIX = "-pw-2026-long"


def make_walker(username: str, **kw: Any) -> tuple[User, Any]:
    user = User.objects.create_user(username, f"{username}@example.org", username + PASSWORD_SUFFIX)
    walker = services.create_walker(
        name=username,
        age=kw.pop("age", 55),
        goal=kw.pop("goal", "relieve-pain"),
        tz=kw.pop("tz", "Europe/Oslo"),
        start_date=kw.pop(
            "start_date", services.local_today("Europe/Oslo") - dt.timedelta(days=14)
        ),
        baseline_minutes=kw.pop("baseline_minutes", 10),
        user=user,
        screening=kw.pop("screening", {c: False for c in SCREEN_CODES}),
        **kw,
    )
    services.mark_onboarded(walker)
    return user, walker


def make_clinician(username: str, **kw: Any) -> Any:
    return clinic.add_clinician(
        username,
        full_name=kw.pop("full_name", username.title() + " Physio"),
        password=username + PASSWORD_SUFFIX,
        **kw,
    )


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def kari(db: None) -> Any:
    return make_clinician("kari", full_name="Kari Nordmann", clinic="Oslo Back Clinic")


@pytest.fixture
def ola(db: None) -> Any:
    return make_clinician("ola", full_name="Ola Hansen")
