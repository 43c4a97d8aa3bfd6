"""Walkers with accounts, made through the service layer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from walkrx.evidence.red_flags import SCREEN_CODES
from walkrx.web.walking import services

#: The answers of a weekly check-in with moderate pain and no warning signs.
CHECKIN_ANSWERS = {
    "avg_pain": "3",
    "worst_pain": "4",
    "rest_pain": "1",
    "night_pain": "no",
    "leg_symptoms": "no",
    "flare": "no",
    "recurrence": "no",
}


def checkin_form(
    flags: Iterable[str] = SCREEN_CODES, yes: tuple[str, ...] = (), **extra: str
) -> dict[str, str]:
    """The one-page check-in form: CHECKIN_ANSWERS and EXTRA, every one of FLAGS answered
    "no", then the warning signs in YES answered "yes"."""
    data = {**CHECKIN_ANSWERS, **extra}
    data.update({f"rf_{c}": "no" for c in flags})
    data.update({f"rf_{c}": "yes" for c in yes})
    return data


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


def signed_in(username: str) -> tuple[Client, Any]:
    """A new walker (see make_walker) and a client signed in as them."""
    user, walker = make_walker(username)
    client = Client()
    client.force_login(user)
    return client, walker


@pytest.fixture
def ann(db: None) -> tuple[Client, Any]:
    return signed_in("ann")


@pytest.fixture
def bob(db: None) -> tuple[Client, Any]:
    return signed_in("bob")


@pytest.fixture
def upload_worker(
    transactional_db: None, job_worker: tuple[Any, Path], settings: Any, worker_idle: Any
) -> Iterator[Path]:
    """Uploads are imported by a real worker process on the test database; yields the media
    root the worker and the pages share, and waits for the worker to be idle afterwards."""
    settings.MEDIA_ROOT = job_worker[1]
    yield job_worker[1]
    worker_idle()
