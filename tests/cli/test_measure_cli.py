"""``walkrx measure``: outputs per file, JSON summary, bad files, and ``--walker`` storage."""

from __future__ import annotations

import datetime as dt

import pytest

from walkrx.synthetic.signals import SyntheticRecording
from walkrx.synthetic.writers import write_cwa
from walkrx.web.walking.models import DailyActivity

pytestmark = [pytest.mark.db]


@pytest.fixture
def cwa(tmp_path):
    rec = SyntheticRecording("thigh", days=1.2, seed=3, sampling_rate_hz=25, tz="Europe/Oslo")
    path = tmp_path / "thigh.cwa"
    write_cwa(path, rec.samples(200_000), sample_rate_hz=25, tz="Europe/Oslo")
    return path


def test_measure_json_and_walker_storage(cli, add_walker, cwa, tmp_path):
    add_walker("ann", "--start", dt.date.today().isoformat())
    out = tmp_path / "out"
    r = cli(
        "measure",
        str(cwa),
        "--placement",
        "thigh",
        "--tz",
        "Europe/Oslo",
        "--out",
        str(out),
        "--walker",
        "ann",
        "--json",
        "--chunk-samples",
        "50000",
    )
    assert r.code == 0, r.err
    (summary,) = r.json()
    assert summary["device"].startswith("Axivity")
    assert summary["total_steps"] > 1000
    assert summary["stored"]["added"] == len(summary["days"])
    stored = DailyActivity.objects.filter(walker__name="ann", origin="measured").order_by("date")
    assert [d.date.isoformat() for d in stored] == [d["date"] for d in summary["days"]]
    assert sum(d.steps for d in stored) == summary["total_steps"]
    assert (out / "thigh_cwa" / "Info.json").exists()
    # measuring the same file again replaces, it does not add
    r = cli(
        "measure",
        str(cwa),
        "--placement",
        "thigh",
        "--tz",
        "Europe/Oslo",
        "--out",
        str(out),
        "--walker",
        "ann",
        "--json",
    )
    assert r.code == 0, r.err
    assert DailyActivity.objects.filter(walker__name="ann", origin="measured").count() == len(
        stored
    )


def test_measure_bad_file_exit_1(cli, tmp_path, fixtures_dir):
    bad = tmp_path / "not.cwa"
    bad.write_text("hello")
    good = fixtures_dir / "axivity" / "ax3_testfile.cwa"
    r = cli(
        "measure", str(bad), str(good), "--placement", "wrist", "--out", str(tmp_path), "--json"
    )
    assert r.code == 1
    assert "not.cwa" in r.err
    assert len(r.json()) == 1


def test_placement_is_required(cli, tmp_path, fixtures_dir):
    r = cli("measure", str(fixtures_dir / "axivity" / "ax3_testfile.cwa"), "--out", str(tmp_path))
    assert r.code == 2


def test_preset_is_chosen_by_name_and_checked_against_the_placement(cli, tmp_path, fixtures_dir):
    import json

    good = str(fixtures_dir / "axivity" / "ax3_testfile.cwa")
    r = cli("measure", good, "--placement", "wrist", "--preset", "walkrx-wrist-fixed",
            "--out", str(tmp_path), "--json", "--no-progress")  # fmt: skip
    assert r.code == 0, r.err
    info = json.loads(next(tmp_path.glob("*/Info.json")).read_text())
    assert info["step_preset"]["name"] == "walkrx-wrist-fixed"
    r = cli("measure", good, "--placement", "wrist", "--preset", "walkrx-lower-back",
            "--out", str(tmp_path), "--no-progress")  # fmt: skip
    assert r.code == 1
    assert "not a wrist preset" in r.err and "walkrx-wrist-fixed" in r.err
