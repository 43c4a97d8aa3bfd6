"""`walkrx cohort measure|analyze` through the real CLI entry point."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from walkrx.cli import main
from walkrx.research.simulate import simulate_cohort

ROW_KEYS = {"exposure", "category", "n", "cases", "rr", "ci_low", "ci_high"}


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def walkrx(capsys: pytest.CaptureFixture[str]):
    def run(*args: str) -> Run:
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="module")
def sim_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("sim")
    days, outcomes = simulate_cohort(1500, seed=3).write(folder)
    return days, outcomes


def test_analyze_json_rows_have_the_documented_keys(walkrx, sim_files, tmp_path: Path):
    days, outcomes = sim_files
    r = walkrx(
        "cohort", "analyze", str(days), str(outcomes), "--outcome", "lbp",
        "--covariates", "age,C(sex)", "--out", str(tmp_path / "report"), "--json",
    )  # fmt: skip
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    assert len(doc["rows"]) == 8
    for row in doc["rows"]:
        assert set(row) == ROW_KEYS
        assert row["exposure"] in ("volume", "intensity")
    ref = doc["rows"][0]
    assert ref["category"] == "<78 min/day" and ref["rr"] == 1.0 and ref["ci_low"] is None
    assert doc["caveats"] and "association" in " ".join(doc["caveats"]).lower()
    assert (tmp_path / "report" / "rr_table.md").is_file()
    assert (tmp_path / "report" / "dose_response.png").is_file()
    # Without --json: the Markdown table on stdout.
    r = walkrx(
        "cohort", "analyze", str(days), str(outcomes), "--outcome", "lbp", "--out", str(tmp_path / "r2"),
    )  # fmt: skip
    assert r.code == 0 and "| 101-124 min/day |" in r.out


def test_analyze_bad_input_exit_1_with_message(walkrx, sim_files, tmp_path: Path):
    days, outcomes = sim_files
    df = pd.read_csv(outcomes, dtype={"participant_id": str})
    df["lbp"] = df["lbp"].astype(object)
    df.loc[2, "lbp"] = "yes"
    bad = tmp_path / "bad.csv"
    df.to_csv(bad, index=False)
    r = walkrx(
        "cohort", "analyze", str(days), str(bad), "--outcome", "lbp", "--out", str(tmp_path / "x")
    )
    assert r.code == 1
    assert "outcome 'lbp' must be 0 or 1: participant_id S000003 at line 4 has 'yes'" in r.err
    assert r.out == ""
    r = walkrx(
        "cohort",
        "analyze",
        str(days),
        str(outcomes),
        "--outcome",
        "lbp",
        "--covariates",
        "sex",
        "--out",
        str(tmp_path / "x"),
    )
    assert r.code == 1 and "covariate 'sex' is not numeric" in r.err and "C(sex)" in r.err
    r = walkrx("cohort", "analyze", str(days), str(outcomes), "--out", str(tmp_path / "x"))
    assert r.code == 2 and "--outcome" in r.err


def test_measure_json_and_progress_on_stderr(walkrx, recordings: Path, tmp_path: Path):
    for extra in sorted(recordings.glob("P*.cwa"))[3:]:
        extra.unlink()  # three good files and the broken one keep this quick
    out = tmp_path / "cohort"
    r = walkrx(
        "cohort", "measure", str(recordings), "--placement", "thigh", "--out", str(out),
        "--workers", "2", "--tz", "Europe/Oslo", "--json",
    )  # fmt: skip
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    assert (doc["files"], doc["ok"], doc["error"], doc["skipped"]) == (4, 3, 1, 0)
    assert doc["workers"] == 2
    assert doc["errors"][0]["participant_id"] == "BROKEN"
    assert "Completed" in r.err  # Dask's progress bar, on stderr
    assert "BROKEN.cwa" in r.err
    r = walkrx(
        "cohort", "measure", str(recordings), "--placement", "thigh", "--out", str(out),
        "--workers", "1", "--strict", "--no-progress", "--json",
    )  # fmt: skip
    assert r.code == 1  # --strict: the broken file still fails
    assert json.loads(r.out)["skipped"] == 3
    r = walkrx("cohort", "measure", str(recordings), "--placement", "ankle", "--out", str(out))
    assert r.code == 2
    r = walkrx(
        "cohort", "measure", str(tmp_path / "missing"), "--placement", "thigh", "--out", str(out)
    )
    assert r.code == 1 and "input folder not found" in r.err
