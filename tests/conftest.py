"""Shared test configuration: where the real-world fixtures live."""

from __future__ import annotations

import sys
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
