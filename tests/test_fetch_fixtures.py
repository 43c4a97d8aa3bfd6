"""scripts/fetch-fixtures.sh against a local HTTP server standing in for the upstream hosts."""

from __future__ import annotations

import functools
import gzip
import hashlib
import http.server
import json
import os
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import fetch_fixtures
import fixture_convert
import fixture_registry
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
COMMIT = "0123456789abcdef0123456789abcdef01234567"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def upstream(tmp_path: Path, monkeypatch) -> Iterator[tuple[Path, str]]:
    """A temporary folder served over HTTP on 127.0.0.1: (folder, base URL)."""
    root = tmp_path / "upstream"
    root.mkdir()
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
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
