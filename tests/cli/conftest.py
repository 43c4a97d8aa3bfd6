from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from walkrx.cli import _django, main


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def cli(db: Any, capsys: pytest.CaptureFixture[str]) -> Any:
    """Run ``walkrx ARGS`` in-process against the test database."""
    _django._done = True  # pytest-django already set Django up and migrated the test DB

    def run(*args: str) -> Result:
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def add_walker(cli: Any) -> Any:
    """``walkrx walker add NAME``: age 50, relieve-pain, Europe/Oslo; EXTRA defaults to ``--all-no``."""

    def add(name: str = "ann", *extra: str) -> Result:
        r = cli(
            "walker",
            "add",
            name,
            "--age",
            "50",
            "--goal",
            "relieve-pain",
            "--tz",
            "Europe/Oslo",
            *(extra or ("--all-no",)),
        )
        assert r.code == 0, r.err
        return r

    return add
