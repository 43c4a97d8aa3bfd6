"""Shared test configuration: where the real-world fixtures live."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "scripts"))

import fixture_registry  # noqa: E402  (scripts/fixture_registry.py: the one place that finds them)


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """The read-only folder of real device files.

    Found in this order: ``WALKRX_FIXTURES``, ``../shared/fixtures`` beside the repository, the
    cache filled by ``scripts/fetch-fixtures.sh`` (see ``scripts/fixture_registry.py``).
    """
    return fixture_registry.fixtures_folder()


@pytest.fixture(autouse=True)
def _erase_safety_events_before_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """Let a transactional test's flush empty the append-only safety log.

    The database refuses DELETE on safety events except for a walker being erased
    (``walking_safetyerasure``); on SQLite Django's flush is a plain DELETE, so the
    events left by a transactional test are removed here through that one path.
    """
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from walkrx.web.walking.models import SafetyErasure, SafetyEvent, Walker

    for walker_id in Walker.objects.values_list("pk", flat=True):
        SafetyErasure.objects.get_or_create(walker_id=walker_id)
    events = SafetyEvent.objects.all()
    events._raw_delete(events.db)
    SafetyErasure.objects.all().delete()


# -- the import worker: a real `walkrx worker` process on the test database --


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
        WALKRX_JOB_STALE_S="4",
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


@pytest.fixture
def worker_idle() -> Callable[[], None]:
    """A function that waits until the import worker has no task left."""
    return wait_for_worker_idle


@pytest.fixture
def job_worker_env() -> Callable[..., dict[str, str]]:
    """``worker_env(media, **extra)``: the environment of a worker on the test database."""
    return worker_env


def wait_for_worker_idle(timeout: float = 120) -> None:
    """Block until the worker has no task left (so a test's flush cannot pull rows from under it)."""
    import time

    from django_tasks_db.models import DBTaskResult

    end = time.monotonic() + timeout
    while DBTaskResult.objects.filter(status__in=("READY", "RUNNING")).exists():
        if time.monotonic() > end:
            raise AssertionError("the import worker did not finish its tasks")
        time.sleep(0.2)
