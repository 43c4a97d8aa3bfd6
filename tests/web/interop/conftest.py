"""Walkers with accounts for the interop tests (the walker tests' helper, reused)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

_spec = importlib.util.spec_from_file_location(
    "walker_conftest", Path(__file__).parents[1] / "walker" / "conftest.py"
)
assert _spec is not None and _spec.loader is not None
_walker_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_walker_conftest)
make_walker = _walker_conftest.make_walker


@pytest.fixture
def media(tmp_path: Path, settings: Any) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """The API's rate limiter counts in the cache: start every test with an empty one."""
    from django.core.cache import cache

    cache.clear()
