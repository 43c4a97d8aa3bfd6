"""Walkers with accounts, made through the service layer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from walkrx.evidence.red_flags import SCREEN_CODES
from walkrx.web.walking import services


def make_walker(username: str, **kw: Any) -> tuple[User, Any]:
    user = User.objects.create_user(username, f"{username}@example.org", "pw-" + username + "-123")
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


@pytest.fixture
def ann(db: None) -> tuple[Client, Any]:
    user, walker = make_walker("ann")
    client = Client()
    client.force_login(user)
    return client, walker


@pytest.fixture
def bob(db: None) -> tuple[Client, Any]:
    user, walker = make_walker("bob")
    client = Client()
    client.force_login(user)
    return client, walker
