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
