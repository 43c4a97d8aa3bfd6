"""Reading an export in parts by two processes gives exactly what reading it in one pass gives."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from walkrx.consumer.batch import IntervalBatch
from walkrx.consumer.records import ImportFileError, ParseReport
from walkrx.importers.apple import iter_apple_items, split

GENERATOR = Path(__file__).resolve().parents[2].parent / "shared" / "tools" / "gen_apple_export.py"


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not GENERATOR.is_file():
        pytest.skip("needs ../shared/tools/gen_apple_export.py")
    out = tmp_path_factory.mktemp("gen") / "export.xml"
    subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(out), "--days", "5"],
        check=True,
        capture_output=True,
    )
    return out


def flat(items) -> list:
    out = []
    for item in items:
        out.extend(item.intervals() if type(item) is IntervalBatch else [item])
    return out


@pytest.mark.parametrize("helper", [True, False])
def test_parts_equal_one_pass(export: Path, helper: bool):
    one, one_report = ParseReport(str(export)), ParseReport(str(export))
    want = flat(iter_apple_items(export, one_report))
    got = flat(iter_apple_parallel(export, one, helper=helper))
    assert len(split.plan_parts(export, 0, 8)) == 8  # it was cut
    assert got == want and len(want) > 1000
    assert (one.records, one.skipped, one.notes) == (
        one_report.records,
        one_report.skipped,
        one_report.notes,
    )


def iter_apple_parallel(path: Path, report: ParseReport, helper: bool = True):
    return split.iter_apple_parallel(path, report, helper=helper, part_bytes=64 * 1024)


def test_a_part_needing_the_standard_parser_means_one_pass(export: Path, tmp_path: Path):
    text = export.read_bytes()
    at = text.index(b"\n <Record", len(text) // 2)
    odd = tmp_path / "export.xml"
    odd.write_bytes(text[:at] + b"\n <!-- a comment -->" + text[at:])
    with pytest.raises(split.OnePassNeeded):
        list(iter_apple_parallel(odd, ParseReport(str(odd))))


def test_a_helper_that_dies_means_one_pass(export: Path, monkeypatch):
    monkeypatch.setattr(split.sys, "executable", "/bin/false")
    with pytest.raises(split.OnePassNeeded):
        list(iter_apple_parallel(export, ParseReport(str(export))))


def test_a_truncated_export_fails_in_its_last_part(export: Path, tmp_path: Path):
    cut = tmp_path / "export.xml"
    cut.write_bytes(export.read_bytes()[:-200])
    with pytest.raises(ImportFileError, match="end of file"):
        list(iter_apple_parallel(cut, ParseReport(str(cut))))
