"""The fixture registry: every test recording with its source and hash, and where tests find them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import fixture_registry
import fixture_sources
import pytest


@pytest.fixture(scope="module")
def registry() -> dict:
    return fixture_registry.load()


def test_the_fixture_folder_matches_the_registry(fixtures_dir: Path, registry: dict):
    assert fixture_registry.check(fixtures_dir, registry) == []


def test_the_registry_is_what_the_script_writes_from_the_folder(fixtures_dir: Path, registry: dict):
    """Sources, licences, sizes and hashes are generated, not edited by hand."""
    assert fixture_registry.build(fixtures_dir) == registry


def test_every_file_names_its_upstream_licence_and_how_to_get_it(registry: dict):
    assert len(registry["files"]) >= 150
    for f in registry["files"]:
        up = registry["upstreams"][f["upstream"]]
        assert "/" in up["repository"] and up["licence"] == f["licence"] and up["checked"]
        src = f["source"]
        assert len(src["commit"]) == 40 and int(src["commit"], 16) >= 0, f["path"]
        assert len(f["sha256"]) == 64 and f["size"] > 0
        if src["kind"] == "download":
            assert src["path"]
        else:
            assert src["kind"] == "converted" and src["inputs"], f["path"]
            assert src["converter"] or src["not_rebuilt_because"], f["path"]


def test_converted_folders_are_rebuilt_from_their_documented_upstream(registry: dict):
    by_path = {f["path"]: f for f in registry["files"]}
    walk = by_path["lowerback-walks/S10/Trial3/lowerback.csv"]
    assert walk["source"]["inputs"] == ["GaitData/10-3_lb.txt"]
    assert walk["source"]["converter"] == "ipol_lowerback"
    pocket = by_path["pocket-steps/validation_user2_frontpocket_1506422217391.csv"]
    assert pocket["source"]["inputs"] == ["validation/user2_frontpocket_1506422217391.csv"]
    lab = by_path["lowerback-lab/HA_002/Test11_Trial1/lowerback.csv"]
    assert lab["source"]["inputs"] == ["example_data/data/lab/HA/002/data.mat"]
    assert by_path["garmin/invalid/activity-filecrc.fit"]["source"]["path"] == (
        "tests/files/invalid/activity-filecrc.fit"
    )


def test_an_unknown_file_has_no_made_up_source():
    with pytest.raises(ValueError, match="new-device/x.bin"):
        fixture_sources.source_of("new-device/x.bin")


def test_a_changed_and_a_missing_file_fail_by_name(
    fixtures_dir: Path, tmp_path: Path, registry: dict
):
    copy = tmp_path / "fixtures"
    shutil.copytree(fixtures_dir, copy)
    assert fixture_registry.check(copy, registry) == []
    changed = copy / "garmin" / "garmin-fenix-5-walk-records.csv"
    changed.write_bytes(changed.read_bytes().replace(b"71", b"72", 1))
    (copy / "axivity" / "ax6_testfile.cwa").unlink()
    (copy / "fitbit" / "stray.json").write_text("[]")

    problems = fixture_registry.check(copy, registry)

    assert len(problems) == 3
    assert problems[0].startswith("axivity/ax6_testfile.cwa: missing")
    assert problems[1].startswith("garmin/garmin-fenix-5-walk-records.csv: changed")
    assert problems[2].startswith("fitbit/stray.json: in ")
    code = fixture_registry.main(["check", str(copy)])
    assert code == 1


def test_the_check_command_passes_on_the_folder(fixtures_dir: Path, registry: dict, capsys):
    assert fixture_registry.main(["check", str(fixtures_dir)]) == 0
    n = len(registry["files"])
    assert f"{n} of {n} files match the registry" in capsys.readouterr().err


# --- where the tests find the recordings -------------------------------------------------


@pytest.fixture
def no_shared(monkeypatch, tmp_path: Path) -> Path:
    """No WALKRX_FIXTURES, no ../shared beside the repo, an empty cache location."""
    monkeypatch.delenv("WALKRX_FIXTURES", raising=False)
    monkeypatch.setattr(fixture_registry, "SHARED_FIXTURES", tmp_path / "no-shared" / "fixtures")
    cache = tmp_path / "cache"
    monkeypatch.setenv("WALKRX_FIXTURES_CACHE", str(cache))
    return cache


def test_walkrx_fixtures_comes_first(monkeypatch, tmp_path: Path):
    mine = tmp_path / "mine"
    mine.mkdir()
    monkeypatch.setenv("WALKRX_FIXTURES", str(mine))
    assert fixture_registry.find_fixtures() == (mine.resolve(), "WALKRX_FIXTURES")


def test_a_wrong_walkrx_fixtures_is_an_error_not_a_fallback(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("WALKRX_FIXTURES", str(tmp_path / "nowhere"))
    with pytest.raises(fixture_registry.FixturesNotFound, match="nowhere is not a folder"):
        fixture_registry.fixtures_folder()


def test_shared_beside_the_repo_comes_second(monkeypatch, tmp_path: Path):
    monkeypatch.delenv("WALKRX_FIXTURES", raising=False)
    shared = tmp_path / "shared" / "fixtures"
    shared.mkdir(parents=True)
    monkeypatch.setattr(fixture_registry, "SHARED_FIXTURES", shared)
    folder, how = fixture_registry.find_fixtures() or (None, "")
    assert folder == shared.resolve() and "shared" in how


def test_the_download_cache_comes_last(no_shared: Path):
    assert fixture_registry.find_fixtures() is None
    with pytest.raises(fixture_registry.FixturesNotFound, match="fetch-fixtures.sh"):
        fixture_registry.fixtures_folder()
    (no_shared / "fitbit").mkdir(parents=True)
    (no_shared / "fitbit" / "steps.json").write_text("[]")
    assert fixture_registry.fixtures_folder() == no_shared.resolve()


def test_where_command_says_what_it_found(no_shared: Path, capsys):
    assert fixture_registry.main(["where"]) == 1
    assert str(no_shared) in capsys.readouterr().out


def test_the_registry_file_is_plain_json():
    text = fixture_registry.REGISTRY.read_text(encoding="utf-8")
    assert json.loads(text)["files"]
    assert text.endswith("\n")
