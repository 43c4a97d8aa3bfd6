"""Fixtures for research tests: a folder of tiny synthetic recordings plus a corrupt one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from walkrx.research.synthetic_cohort import write_synthetic_cohort

N_GOOD = 8


@pytest.fixture(scope="session")
def recordings_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eight 0.4-day 25 Hz thigh recordings (real .cwa files), written once per session."""
    folder = tmp_path_factory.mktemp("recordings-cache")
    write_synthetic_cohort(folder, N_GOOD, days=0.4, sampling_rate_hz=25.0, seed=7)
    return folder


@pytest.fixture
def recordings(recordings_cache: Path, tmp_path: Path) -> Path:
    """A fresh copy of the cached recordings plus ``BROKEN.cwa`` (not a CWA file at all)."""
    folder = tmp_path / "recordings"
    shutil.copytree(recordings_cache, folder)
    (folder / "BROKEN.cwa").write_bytes(b"this is not an Axivity file\n" * 40)
    return folder
