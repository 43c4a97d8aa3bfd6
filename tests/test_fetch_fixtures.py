"""scripts/fetch-fixtures.sh against a local HTTP server standing in for the upstream hosts."""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import http.server
import json
import os
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import fetch_fixtures
import fixture_convert
import fixture_references
import fixture_registry
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
COMMIT = "0123456789abcdef0123456789abcdef01234567"


@contextlib.contextmanager
def socket_closed_port() -> Iterator[int]:
    """A local port with nothing listening on it (connections are refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    yield port


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(autouse=True)
def _local_only(monkeypatch) -> None:
    """Requests to 127.0.0.1 go straight there, never through a proxy."""
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def upstream(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A temporary folder served over HTTP on 127.0.0.1: (folder, base URL)."""
    root = tmp_path / "upstream"
    root.mkdir()
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def put(root: Path, repo: str, path: str, data: bytes) -> None:
    p = root / repo / COMMIT / path
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)


def entry(path: str, data: bytes, source: dict, upstream: str = "up") -> dict:
    return {
        "path": path,
        "size": len(data),
        "sha256": sha(data),
        "upstream": upstream,
        "licence": "MIT",
        "source": {"commit": COMMIT, **source},
    }


UPSTREAMS = {"up": {"repository": "someone/data", "licence": "MIT", "checked": "test"}}
ACC_UPSTREAM = b"1000000000,3,9.80665,0,-4.903325\n1010000000,3,0,19.6133,0\n"
ACC_FIXTURE = b"time,acc_x,acc_y,acc_z\n0.0000,1.000000,0.000000,-0.500000\n0.0100,0.000000,2.000000,0.000000\n"


def test_downloads_rebuilds_and_refuses_wrong_hashes(upstream, tmp_path: Path):
    root, base = upstream
    good, other = b"a real recording\n", b"someone changed this file\n"
    put(root, "someone/data", "files/good.bin", good)
    put(root, "someone/data", "files/changed.bin", other)
    put(root, "someone/data", "data/walk_1/accelerometer.csv", ACC_UPSTREAM)
    registry = {
        "upstreams": UPSTREAMS,
        "files": [
            entry("dev/good.bin", good, {"kind": "download", "path": "files/good.bin"}),
            # the registry's hash is of the file we recorded; upstream now serves something else
            entry("dev/changed.bin", good, {"kind": "download", "path": "files/changed.bin"}),
            entry("dev/gone.bin", good, {"kind": "download", "path": "files/gone.bin"}),
            entry(
                "pocket/walk_1.csv",
                ACC_FIXTURE,
                {
                    "kind": "converted",
                    "converter": "oxford_pocket",
                    "inputs": ["data/walk_1/accelerometer.csv"],
                },
            ),
            entry(
                "pocket/walk_2.csv",
                ACC_FIXTURE + b"x",
                {
                    "kind": "converted",
                    "converter": "oxford_pocket",
                    "inputs": ["data/walk_1/accelerometer.csv"],
                },
            ),
            entry(
                "pocket/walk_1.reference.json",
                b"{}",
                {
                    "kind": "converted",
                    "converter": None,
                    "inputs": ["data/walk_1/stepcounter.csv"],
                    "not_rebuilt_because": "made by hand",
                },
            ),
        ],
    }
    dest = tmp_path / "cache"

    report = fetch_fixtures.fetch(dest, base, registry)

    assert report.downloaded == ["dev/good.bin"]
    assert (dest / "dev" / "good.bin").read_bytes() == good
    assert [r.split(":")[0] for r in report.refused] == ["dev/changed.bin", "pocket/walk_2.csv"]
    assert "SHA-256" in report.refused[0] or "hash" in report.refused[0].lower()
    assert not (dest / "dev" / "changed.bin").exists()
    assert not (dest / "pocket" / "walk_2.csv").exists()
    assert not list((dest / "pocket").glob(".rebuild-*"))
    assert [r.split(":")[0] for r in report.failed] == ["dev/gone.bin"]
    assert "404" in report.failed[0]
    assert report.rebuilt == ["pocket/walk_1.csv"]
    assert (dest / "pocket" / "walk_1.csv").read_bytes() == ACC_FIXTURE
    assert report.not_rebuilt == ["pocket/walk_1.reference.json: made by hand"]
    assert not report.ok

    again = fetch_fixtures.fetch(dest, base, registry)
    assert again.kept == ["dev/good.bin", "pocket/walk_1.csv"]
    assert again.downloaded == [] and again.rebuilt == []


def test_the_real_registry_downloads_verify(upstream, tmp_path: Path, fixtures_dir: Path):
    """Every plain download of the real registry, served at its upstream path, is accepted."""
    root, base = upstream
    reg = fixture_registry.load()
    downloads = [f for f in reg["files"] if f["source"]["kind"] == "download"]
    assert len(downloads) >= 17
    for f in downloads:
        repo = reg["upstreams"][f["upstream"]]["repository"]
        target = root / repo / f["source"]["commit"] / f["source"]["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((fixtures_dir / f["path"]).read_bytes())
    subset = {"upstreams": reg["upstreams"], "files": downloads}
    dest = tmp_path / "cache"

    report = fetch_fixtures.fetch(dest, base, subset)

    assert report.ok and sorted(report.downloaded) == sorted(f["path"] for f in downloads)
    for f in downloads:
        assert fixture_registry.sha256_of(dest / f["path"]) == f["sha256"]


def test_the_shell_script_says_what_it_did_and_fails_on_a_refusal(upstream, tmp_path: Path):
    root, base = upstream
    put(root, "someone/data", "files/a.bin", b"tampered")
    registry = tmp_path / "registry.json"
    registry.write_text(
        json.dumps(
            {
                "upstreams": UPSTREAMS,
                "files": [
                    entry("dev/a.bin", b"original", {"kind": "download", "path": "files/a.bin"})
                ],
            }
        )
    )
    dest = tmp_path / "cache"
    env = {**os.environ, "NO_PROXY": "127.0.0.1,localhost"}
    r = subprocess.run(
        [
            "bash",
            str(REPO_ROOT / "scripts" / "fetch-fixtures.sh"),
            "--dest",
            str(dest),
            "--base-url",
            base,
            "--registry",
            str(registry),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert r.returncode == 1
    assert f"fetching the test recordings into {dest} from {base}" in r.stderr
    assert "1 refused" in r.stderr and "dev/a.bin" in r.stderr
    assert not (dest / "dev" / "a.bin").exists()


# --- the conversions ------------------------------------------------------------------------


def test_oxford_validation_layout(tmp_path: Path):
    src = tmp_path / "validation" / "user9_frontpocket_1.csv"
    src.parent.mkdir()
    src.write_text("5000000000,0,0,9.80665,0,0,0\n5002500000,-9.80665,0,0,0,1,0\n")
    out = tmp_path / "out.csv"
    fixture_convert.oxford_pocket([src], out)
    assert out.read_text() == (
        "time,acc_x,acc_y,acc_z\n0.0000,0.000000,0.000000,1.000000\n"
        "0.0025,-1.000000,0.000000,0.000000\n"
    )


def test_ipol_dropped_packets_are_interpolated_and_the_counter_unwrapped(tmp_path: Path):
    src = tmp_path / "1-1_lb.txt"
    cols = "PacketCounter\tAcc_X\tAcc_Y\tAcc_Z\tGyr_X\tGyr_Y\tGyr_Z\tMag_X\tMag_Y\tMag_Z"
    src.write_text(
        f"Acquisition frequency: 100 Hz\n{cols}\n"
        "65534.0\t9.80665\t0\t0\t0\t0\t0\t1\t1\t1\n"
        # 65535 and 0 were dropped; the counter wrapped to 1
        "1.0\t39.2266\t0\t0\t3.141592653589793\t0\t0\t1\t1\t1\n"
    )
    out = tmp_path / "lowerback.csv"
    fixture_convert.ipol_lowerback([src], out)
    assert out.read_text().splitlines() == [
        "time,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z",
        "0.00,1.000000,0.000000,0.000000,0.0000,0.0000,0.0000",
        "0.01,2.000000,0.000000,0.000000,60.0000,0.0000,0.0000",
        "0.02,3.000000,0.000000,0.000000,120.0000,0.0000,0.0000",
        "0.03,4.000000,0.000000,0.000000,180.0000,0.0000,0.0000",
    ]


def test_stepcount_wrist_keeps_the_first_minutes(tmp_path: Path):
    src = tmp_path / "P30_wrist100.csv.gz"
    with gzip.open(src, "wt") as fh:
        fh.write("time,x,y,z,annotation\n")
        for i in range(5):
            fh.write(f"2022-01-01 10:00:00.0{i}0,{i / 10},-1,0.5,0\n")
    out = tmp_path / "wrist.csv"
    fixture_convert.stepcount_wrist([src], out, rows=3)
    assert out.read_text().splitlines() == [
        "time,acc_x,acc_y,acc_z",
        "0.00,0.000000,-1.000000,0.500000",
        "0.01,0.100000,-1.000000,0.500000",
        "0.02,0.200000,-1.000000,0.500000",
    ]


def test_a_malformed_upstream_file_names_file_and_line(tmp_path: Path):
    src = tmp_path / "accelerometer.csv"
    src.write_text("1000,3,1,2,3\nnot,a,row\n")
    with pytest.raises(ValueError, match=r"accelerometer.csv: line 2"):
        fixture_convert.oxford_pocket([src], tmp_path / "out.csv")


def test_every_converter_named_in_the_registry_exists(tmp_path: Path):
    reg = fixture_registry.load()
    named = {f["source"]["converter"] for f in reg["files"] if f["source"]["kind"] == "converted"}
    assert named <= set(fetch_fixtures.CONVERTERS)


def test_oxford_reference_counts_rising_edges_of_either_foot(tmp_path: Path):
    folder = tmp_path / "optimisation" / "data" / "Pixel_Ann_Hard_FrontPocket_1"
    folder.mkdir(parents=True)
    (folder / "accelerometer.csv").write_text(
        "1000000000,3,0,0,9.8\n1002000000,3,0,0,9.8\n1006000000,3,0,0,9.8\n1500000000,3,0,0,9.8\n"
    )
    # both feet down, foot 1 lifts, lands (step), foot 2 lifts, both land at once (two steps)
    (folder / "stepcounter.csv").write_text(
        "1100000000,1,1\n1200000000,0,1\n1300000000,1,1\n1350000000,1,0\n1400000000,1,1\n"
    )
    (folder / "notes.txt").write_text("3 steps. ")
    paths = tuple(
        f"optimisation/data/{folder.name}/{n}"
        for n in ("accelerometer.csv", "stepcounter.csv", "notes.txt")
    )
    out = tmp_path / "ref.json"
    fixture_references.oxford_pocket_reference(
        [folder / "accelerometer.csv", folder / "stepcounter.csv", folder / "notes.txt"],
        out,
        fixture_convert.Origin("someone/DataSet", COMMIT, paths),
    )
    ref = json.loads(out.read_text())
    assert ref["source"] == f"github.com/someone/DataSet@{COMMIT} optimisation/data/{folder.name}/"
    assert (ref["phone"], ref["user"], ref["surface"]) == ("Pixel", "Ann", "Hard")
    assert ref["placement"] == "front trouser pocket (thigh proxy)"
    assert ref["initial_contacts_s"] == [0.3, 0.4] and ref["steps"] == 2
    assert ref["operator_note"] == "3 steps." and ref["gt_in_acc_window"] is True
    assert (ref["fs_median"], ref["dt_max_s"], ref["duration_s"], ref["n_samples"]) == (
        250.0,
        0.494,
        0.5,
        4,
    )


def test_ipol_reference_maps_foot_rows_through_the_packet_counter(tmp_path: Path):
    cols = "PacketCounter\tAcc_X\tAcc_Y\tAcc_Z\tGyr_X\tGyr_Y\tGyr_Z\tMag_X\tMag_Y\tMag_Z"

    def txt(name: str, packets: list[int]) -> Path:
        p = tmp_path / name
        p.write_text(
            f"Acquisition frequency: 100 Hz\n{cols}\n"
            + "".join(f"{k}.0\t1\t0\t0\t0\t0\t0\t0\t0\t0\n" for k in packets)
        )
        return p

    events = {
        "Subject": 3,
        "Trial": 2,
        "Age": 30,
        "Gender": "M",
        "Height": 180.0,
        "Weight": 70.0,
        "TrialBoundaries": [2, 6],
        "UTurnBoundaries": [3, 4],
        "LeftFootEvents": [[1, 2], [5, 7]],
        "RightFootEvents": [[3, 6]],
    }
    (tmp_path / "3-2.json").write_text(json.dumps(events))
    lb = txt("3-2_lb.txt", [100, 101, 103, 104, 105, 106, 107, 108, 109, 110])  # 102 dropped
    lf = txt("3-2_lf.txt", [100, 101, 102, 103, 104, 105, 106, 108, 109])  # 107 dropped
    rf = txt("3-2_rf.txt", list(range(100, 110)))
    out = tmp_path / "reference.json"
    fixture_references.ipol_reference(
        [tmp_path / "3-2.json", lb, lf, rf], out, fixture_convert.Origin("someone/gait", COMMIT, ())
    )
    ref = json.loads(out.read_text())
    assert ref["subject"] == {
        "id": "S03",
        "age": 30,
        "sex": "M",
        "height_cm": 180.0,
        "weight_kg": 70.0,
    }
    assert ref["initial_contacts_left_s"] == [0.02, 0.08]  # foot row 7 is packet 108
    assert ref["initial_contacts_right_s"] == [0.06]
    assert ref["all_initial_contacts_s"] == [0.02, 0.06, 0.08]
    (bout,) = ref["continuous_walking_periods"]
    # in the bout by foot row (2..6): rows 2 and 6; the left heel strike at row 7 is not
    assert bout == {
        "start_s": 0.02,
        "end_s": 0.06,
        "initial_contacts_s": [0.02, 0.06],
        "n_steps": 2,
    }
    assert ref["uturn_s"] == [0.03, 0.04] and ref["dropped_packets_interpolated"] == 1


def test_wrist_reference_takes_the_annotated_rows(tmp_path: Path):
    src = tmp_path / "P30_wrist100.csv.gz"
    with gzip.open(src, "wt") as fh:
        fh.write("time,x,y,z,annotation\n")
        for i in range(6):
            fh.write(f"t{i},0,0,1,{1 if i in (1, 4, 5) else 0}\n")
    out = tmp_path / "reference.json"
    fixture_references.stepcount_wrist_reference([src], out, None, rows=5)
    ref = json.loads(out.read_text())
    assert ref["initial_contacts_s"] == [0.01, 0.04] and ref["steps"] == 2
    assert ref["fs"] == 100.0 and ref["units"] == "g"


def test_mobgap_lab_trial_from_a_matlab_file(tmp_path: Path):
    from scipy.io import savemat

    wb = {
        "Start": 1.5,
        "End": 2.5,
        "InitialContact_Event": [1.5, float("nan"), 2.0, 2.5],
        "NumberStrides": 2.0,
        "Cadence": 120.0,
        "WalkingSpeed": 1.1,
    }
    lower_back = {
        "Acc": [[1.0, 0.0, 0.1234567], [0.9, 0.1, 0.0]],
        "Gyr": [[10.0, 0.0, -1.23456], [0.0, 0.0, 0.0]],
        "Timestamp": [1607605064.733, 1607605064.743],
        "Fs": {"Acc": 100.0},
    }
    trial = {
        "SU": {"LowerBack": lower_back},
        "TimeZone": "Europe/Berlin",
        "StartDateTime": "x",
        "Standards": {"INDIP": {"ContinuousWalkingPeriod": wb, "MicroWB": [wb, wb]}},
    }
    mat = tmp_path / "data.mat"
    savemat(mat, {"data": {"TimeMeasure1": {"Test5": {"Trial1": trial}}}})
    csv_out, ref_out = tmp_path / "lowerback.csv", tmp_path / "reference.json"
    for out in (csv_out, ref_out):
        target = f"lowerback-lab/HA_001/Test5_Trial1/{out.name}"
        fixture_convert.mobgap_lab([mat], out, fixture_convert.Origin("m/m", COMMIT, (), target))
    assert csv_out.read_text().splitlines() == [
        "time,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z",
        "2020-12-10T12:57:44.733Z,1.000000,0.000000,0.123457,10.0000,0.0000,-1.2346",
        "2020-12-10T12:57:44.743Z,0.900000,0.100000,0.000000,0.0000,0.0000,0.0000",
    ]
    ref = json.loads(ref_out.read_text())
    assert (ref["cohort"], ref["test"], ref["trial"]) == ("HA", "Test5", "Trial1")
    assert ref["start_datetime_local"] == "2020-12-10T13:57:44.733+01:00"
    assert ref["n_samples"] == 2 and ref["sampling_rate_hz"] == 100
    bout = {
        "start_s": 1.5,
        "end_s": 2.5,
        "initial_contacts_s": [1.5, 2.0, 2.5],
        "n_strides": 2,
        "cadence_spm": 120.0,
        "walking_speed_mps": 1.1,
    }
    assert ref["continuous_walking_periods"] == [bout]
    assert ref["micro_walking_bouts"] == [bout, bout]


def test_an_unreachable_host_is_tried_once(tmp_path: Path):
    """Offline, the script reports every file at once instead of waiting on each one."""
    with socket_closed_port() as port:
        base = f"http://127.0.0.1:{port}"
        data = b"x"
        registry = {
            "upstreams": UPSTREAMS,
            "files": [
                entry(f"dev/{i}.bin", data, {"kind": "download", "path": f"files/{i}.bin"})
                for i in range(3)
            ],
        }
        report = fetch_fixtures.fetch(tmp_path / "cache", base, registry)
    assert len(report.failed) == 3
    assert "not tried" not in report.failed[0]
    assert all("not tried: 127.0.0.1" in line for line in report.failed[1:])
