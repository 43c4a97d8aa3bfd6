"""`walkrx serve` with several web processes: one truth across processes, a clean stop.

A real ``walkrx serve --processes 2`` (gunicorn, forked workers) runs on the test
database beside this test. Every process caches the today and progress pages it
served; a write made through the server or by another program (the CLI) must show in
every later response, whichever process answers it. Ctrl-C (SIGINT) or SIGTERM to the
server alone stops its web workers and the import worker.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from walkrx.web.walking import services

from ..conftest import worker_env
from .walker.conftest import make_walker

pytestmark = [pytest.mark.db, pytest.mark.slow]
WALKRX = Path(sys.executable).with_name("walkrx")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> set[int]:
    """Every descendant of ``pid`` (Linux /proc)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            text = Path(f"/proc/{p}/task/{p}/children").read_text()
        except OSError:
            continue
        kids = {int(x) for x in text.split()}
        found |= kids
        todo.extend(kids)
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has stopped


class Server:
    def __init__(self, tmp: Path, *extra: str) -> None:
        self.port = _free_port()
        self.log = (tmp / "serve.log").open("wb")
        self.proc = subprocess.Popen(
            [str(WALKRX), "serve", "--port", str(self.port), "--threads", "2", *extra],
            env=worker_env(tmp / "media"),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        end = time.monotonic() + 90
        while time.monotonic() < end and self.proc.poll() is None:
            try:
                self.get("/accounts/login/", "")
                return
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"walkrx serve did not start: {(tmp / 'serve.log').read_text()}")

    def get(self, path: str, cookie: str) -> tuple[int, str]:
        """One request on a new connection (so any of the processes may answer)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", path, headers={"Cookie": cookie, "Connection": "close"})
            r = conn.getresponse()
            return r.status, r.read().decode()
        finally:
            conn.close()

    def many(self, path: str, cookie: str, n: int = 24) -> list[str]:
        """``n`` requests, four at a time, so that both processes answer some."""
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(lambda _: self.get(path, cookie), range(n)))
        assert all(status == 200 for status, _ in results), [s for s, _ in results]
        return [body for _, body in results]

    def stop(self, sig: int) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.log.close()


def _signed_in(username: str) -> tuple[Any, str]:
    user, walker = make_walker(username)
    c = Client()
    c.force_login(user)
    return walker, f"sessionid={c.cookies['sessionid'].value}"


def test_a_write_in_one_process_shows_in_every_process(
    transactional_db: None, tmp_path: Path
) -> None:
    walker, cookie = _signed_in("ann")
    server = Server(tmp_path, "--processes", "2", "--no-worker")
    try:
        assert len(_children(server.proc.pid)) == 2  # two forked web processes
        # every process caches both pages
        assert all('action="/walks/log/"' in b for b in server.many("/today/", cookie))
        assert all("<td>19</td>" not in b for b in server.many("/progress/", cookie))
        # a walk logged through the server (one of the processes) ...
        today = services.local_today(walker.tz)
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        conn.request("GET", "/today/", headers={"Cookie": cookie})
        r = conn.getresponse()
        page = r.read().decode()
        token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        csrf = (r.getheader("Set-Cookie") or "").split("csrftoken=", 1)[1].split(";", 1)[0]
        form = (
            f"csrfmiddlewaretoken={token}&date={today.isoformat()}&minutes=19&terrain=flat"
            "&pain_before=5&pain_max=5&pain_after=2"
        )
        conn.request(
            "POST",
            "/walks/log/",
            body=form,
            headers={
                "Cookie": f"{cookie}; csrftoken={csrf}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{server.port}/today/",
            },
        )
        r = conn.getresponse()
        r.read()
        conn.close()
        assert r.status == 302, r.status
        # ... is on every page served next, by any process
        assert all("Done today: 19 min" in b for b in server.many("/today/", cookie))
        assert all("<td>19</td>" in b for b in server.many("/progress/", cookie))
        # safety first: a red flag recorded by another program stops walking everywhere
        subprocess.run(
            [str(WALKRX), "checkin", "ann", "--date", today.isoformat()]
            + ["--red-flag", "cauda-equina-bladder"],
            env=worker_env(tmp_path / "media"),
            check=False,
            capture_output=True,
        )
        assert services.recorded_safety(walker)["status"] == "paused"
        for body in server.many("/today/", cookie):
            assert 'action="/walks/log/"' not in body
            assert "Done today" not in body
    finally:
        server.stop(signal.SIGKILL)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_sigterm_to_serve_stops_every_child(
    transactional_db: None, tmp_path: Path, sig: int
) -> None:
    server = Server(tmp_path, "--processes", "2")
    try:
        kids = _children(server.proc.pid)
        assert len(kids) >= 3, kids  # two web processes and the import worker (+ its jobs)
        server.proc.send_signal(sig)  # to the server alone, as a terminal's Ctrl-C or systemd
        server.proc.wait(timeout=30)
        end = time.monotonic() + 15
        while time.monotonic() < end and any(_alive(k) for k in kids):
            time.sleep(0.2)
        assert not [k for k in kids if _alive(k)], "children left running after the stop"
    finally:
        server.stop(signal.SIGKILL)
