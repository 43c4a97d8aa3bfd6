"""The layering rules of docs/architecture.md, checked on the source."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from walkrx.cli import COMMAND_MODULES

SRC = Path(__file__).resolve().parents[1] / "src" / "walkrx"
PURE = [
    "ingest",
    "sensors",
    "importers",
    "signal",
    "summary",
    "synthetic",
    "consumer",
    "research",
    "evidence",
    "program",
    "safety",
    "measure.py",
    "timeutil.py",
    "interop",
]
ENGINES = ["evidence", "program", "safety"]


def _files(names: list[str]) -> list[Path]:
    out: list[Path] = []
    for n in names:
        p = SRC / n
        out += [p] if p.is_file() else sorted(p.rglob("*.py"))
    return out


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    mods: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            mods |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            mods.add(node.module)
    return mods


@pytest.mark.parametrize("path", _files(PURE), ids=lambda p: str(p.relative_to(SRC)))
def test_pure_packages_never_import_django(path: Path):
    bad = {m for m in _imports(path) if m == "django" or m.startswith(("django.", "walkrx.web"))}
    assert not bad, f"{path} imports {bad}"


@pytest.mark.parametrize("path", _files(ENGINES), ids=lambda p: str(p.relative_to(SRC)))
def test_engines_do_no_io_and_read_no_clock(path: Path):
    text = path.read_text()
    for forbidden in ("open(", ".now(", "date.today(", "time.time(", "random."):
        assert forbidden not in text, f"{path} uses {forbidden}"
    bad = {
        m
        for m in _imports(path)
        if m.split(".")[0] in {"os", "pathlib", "socket", "urllib", "random"}
    }
    assert not bad, f"{path} imports {bad}"


@pytest.mark.parametrize("name", COMMAND_MODULES)
def test_every_cli_command_module_registers(name: str):
    module = importlib.import_module(f"walkrx.cli.{name}")
    assert callable(module.register)


def test_cli_placement_choices_match_the_signal_package():
    from walkrx.cli.measure import PLACEMENT_CHOICES
    from walkrx.signal.base import PLACEMENTS

    assert tuple(PLACEMENT_CHOICES) == tuple(PLACEMENTS)


def test_cli_starts_without_loading_the_numeric_stack():
    import subprocess
    import sys

    code = (
        "import sys; from walkrx.cli import build_parser; build_parser(); "
        "print(','.join(m for m in ('scipy', 'pandas', 'dask', 'django') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"the CLI parser imports {out.stdout.strip()} at start-up"
