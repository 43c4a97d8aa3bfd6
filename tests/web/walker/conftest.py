"""Walkers with accounts, made through the service layer."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

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


def _database_url() -> str:
    """The test database as a DATABASE_URL, for another process (the import worker)."""
    from urllib.parse import quote

    from django.db import connection

    sd = connection.settings_dict
    if sd["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{sd['NAME']}"
    auth = quote(sd["USER"] or "")
    if sd.get("PASSWORD"):
        auth += ":" + quote(sd["PASSWORD"])
    return f"postgres://{auth}@{sd['HOST'] or 'localhost'}:{sd['PORT'] or 5432}/{sd['NAME']}"


def worker_env(media: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DATABASE_URL=_database_url(),
        WALKRX_MEDIA_ROOT=str(media),
        WALKRX_JOB_MEMORY_MB="1024",
        WALKRX_JOB_TIMEOUT_S="120",
        WALKRX_JOB_CONCURRENCY="2",
        DJANGO_SETTINGS_MODULE="walkrx.web.settings",
    )
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def job_worker(
    django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    """A real `walkrx worker` process on the test database; yields (process, media root)."""
    media = tmp_path_factory.mktemp("media")
    walkrx = Path(sys.executable).with_name("walkrx")
    log = (media.parent / "worker.log").open("wb")
    proc = subprocess.Popen(
        [str(walkrx), "worker"],
        env=worker_env(media),
        start_new_session=True,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield proc, media
    log.close()
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def wait_for_worker_idle(timeout: float = 120) -> None:
    """Block until the worker has no task left (so a test's flush cannot pull rows from under it)."""
    import time

    from django_tasks_db.models import DBTaskResult

    end = time.monotonic() + timeout
    while DBTaskResult.objects.filter(status__in=("READY", "RUNNING")).exists():
        if time.monotonic() > end:
            raise AssertionError("the import worker did not finish its tasks")
        time.sleep(0.2)
