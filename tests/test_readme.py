"""The README's commands work: the quick start in a clean clone, and every CLI example."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]

README = (REPO_ROOT / "README.md").read_text()


def _blocks(after_heading: str) -> list[str]:
    section = README.split(after_heading, 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", section, flags=re.S)


def quickstart_commands() -> list[str]:
    (block,) = _blocks("## Quick start")
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]


def test_quickstart_has_exactly_two_commands_and_ci_runs_the_test_one():
    cmds = quickstart_commands()
    assert len(cmds) == 2, cmds
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    assert cmds[1] in ci, "CI must run the README's test command exactly"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_demo_command_in_a_clean_clone_serves_the_demo_walker(tmp_path: Path):
    """Clone HEAD, run the README's first command, and sign in as the demo walker."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(REPO_ROOT), str(clone)], check=True)
    # shared/ sits beside the project root (read-only fixtures); the demo does not need it.
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "WALKRX_HOME", "VIRTUAL_ENV")
    }
    env.update(PORT=str(port), PIP_DISABLE_PIP_VERSION_CHECK="1")
    cmd = quickstart_commands()[0]
    log = (tmp_path / "demo.log").open("w")
    proc = subprocess.Popen(
        shlex.split(cmd),
        cwd=clone,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.time() + 900
        body = ""
        while time.time() < deadline:
            if proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/accounts/login/", timeout=5
                ) as r:
                    body = r.read().decode()
                    break
            except OSError:
                time.sleep(2)
        log.flush()
        assert "Sign in" in body, (tmp_path / "demo.log").read_text()[-3000:]
        # The demo data is in ./var/demo of the clone, on embedded SQLite.
        assert (clone / "var" / "demo" / "walkrx.sqlite3").exists()
        out = subprocess.run(
            [str(clone / ".venv/bin/walkrx"), "status", "demo", "--json"],
            cwd=clone,
            env={**env, "WALKRX_HOME": str(clone / "var" / "demo")},
            capture_output=True,
            text=True,
            check=True,
        )
        assert '"status"' in out.stdout
        walks = subprocess.run(
            [str(clone / ".venv/bin/walkrx"), "days", "demo", "--json"],
            cwd=clone,
            env={**env, "WALKRX_HOME": str(clone / "var" / "demo")},
            capture_output=True,
            text=True,
        )
        assert walks.returncode == 0, walks.stderr
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        shutil.rmtree(clone, ignore_errors=True)


def test_cli_examples_in_the_readme_run(tmp_path: Path):
    """Every line of the README's CLI example block runs and exits 0 (serve excepted)."""
    (block,) = _blocks("## The command line")
    walkrx = Path(sys.executable).parent / "walkrx"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["WALKRX_HOME"] = str(tmp_path / "home")
    ran = 0
    for line in block.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or line.startswith("walkrx serve"):
            continue
        args = shlex.split(line)
        assert args[0] == "walkrx"
        r = subprocess.run([str(walkrx), *args[1:]], env=env, capture_output=True, text=True)
        assert r.returncode == 0, f"{line}\n{r.stderr}"
        ran += 1
    assert ran >= 7
