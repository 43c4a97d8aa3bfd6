"""Fixtures shared by the import tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    """Every import test stores its files in its own media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def read_with(monkeypatch: Any, parallel: bool, part_bytes: int) -> None:
    """Read exports in one pass here, or cut into parts of ``part_bytes`` read by two processes."""
    from walkrx.web.imports.services import parse

    if parallel:
        monkeypatch.setattr(parse, "PARSERS", 2)
        monkeypatch.setattr(parse, "PARALLEL_MIN_BYTES", 0)
        monkeypatch.setattr(parse, "PARTS_OF", part_bytes)
    else:
        monkeypatch.setattr(parse, "PARSERS", 1)
