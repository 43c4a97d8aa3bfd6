"""Shared test configuration: where the real-world fixtures live."""

from __future__ import annotations

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
