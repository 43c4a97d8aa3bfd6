"""Shared test configuration: where the real-world fixtures live."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = (REPO_ROOT.parent / "shared").resolve()
FIXTURES = SHARED / "fixtures"


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """The read-only folder of real device files (``../shared/fixtures``)."""
    if not FIXTURES.is_dir():
        raise RuntimeError(
            f"real fixtures not found at {FIXTURES}: shared/ must sit beside the repo"
        )
    return FIXTURES


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
