"""A short fuzzing pass in CI: hypothesis mutates the shared fixtures; every reader must answer
with samples/records or its documented error, never another exception, quickly.

The mutation code and the formats are those of ``scripts/fuzz.py`` (the long runs by hand:
``python scripts/fuzz.py --minutes 20 --seed 1``). Here mutants are read in-process; the whole
pass is kept under about a minute (a few dozen mutants per format).
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[2]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "walkrx_fuzz_script", REPO / "scripts" / "fuzz.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


fuzz = _load()

OP = st.tuples(
    st.sampled_from(fuzz.OPS),
    st.floats(0, 1, exclude_max=True),
    st.one_of(st.integers(0, 1 << 16), st.binary(min_size=1, max_size=64)),
)
MUTATIONS = st.lists(OP, min_size=1, max_size=4)
EXAMPLES = {"cwa": 25, "gt3x": 50, "csv": 50}  # sensor files also run step detection


@pytest.fixture(scope="module")
def seeds(fixtures_dir: Path) -> dict[str, list[bytes]]:
    fuzz.use_fixtures(fixtures_dir)
    return {name: f.seeds() for name, f in fuzz.FORMATS.items()}


@pytest.mark.parametrize("name", list(fuzz.FORMATS))
def test_mutants_raise_only_documented_errors(name: str, seeds, tmp_path: Path):
    fmt = fuzz.FORMATS[name]
    path = tmp_path / f"mutant{fmt.suffix}"
    slowest = [0.0]

    @settings(
        max_examples=EXAMPLES.get(name, 80),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(
        pick=st.integers(0, 10),
        ops=MUTATIONS,
        member=st.one_of(st.none(), st.floats(0, 1, exclude_max=True)),
    )
    def check(pick: int, ops: list, member: float | None) -> None:
        data = fuzz.mutant(fmt, seeds[name][pick % len(seeds[name])], ops, member)
        path.write_bytes(data)
        t0 = time.perf_counter()
        outcome = fuzz.read_file(fmt, path)  # raises anything undocumented
        slowest[0] = max(slowest[0], time.perf_counter() - t0)
        assert outcome in ("accepted", "clean")

    check()
    assert slowest[0] < 10, f"a {name} mutant took {slowest[0]:.1f} s"


def test_the_unmutated_seeds_are_accepted(seeds, tmp_path: Path):
    """The mutants start from files every reader accepts (else the pass would test nothing)."""
    for name, fmt in fuzz.FORMATS.items():
        path = tmp_path / f"seed{fmt.suffix}"
        path.write_bytes(seeds[name][0])
        assert fuzz.read_file(fmt, path) == "accepted", name
