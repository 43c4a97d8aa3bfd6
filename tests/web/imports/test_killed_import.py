"""Issue 14 §4: a killed import leaves no copy of the file behind, and its parser dies with it.

The import runs in a forked process of the test (its own copy of the test database), which is
killed with SIGKILL in the middle of the import, as an out-of-memory kill or a restart would.
SQLite only (forking a live PostgreSQL connection is not safe).
"""

from __future__ import annotations

import datetime as dt
import os
import select
import signal
import time
from pathlib import Path

import pytest

from walkrx.importers.apple import split
from walkrx.web.imports import services
from walkrx.web.walking import jobs
from walkrx.web.walking.models import Walker
from walkrx.web.walking.services import erase_walker

pytestmark = pytest.mark.django_db


@pytest.fixture
def walker() -> Walker:
    return Walker.objects.create(
        name="kari", age=62, goal="lower-risk", start_date=dt.date(2020, 1, 1), tz="Europe/Oslo"
    )


def _steps_csv(path: Path, day: int) -> Path:
    rows = [
        f"2020-01-{day:02d}T{h:02d}:{m:02d}:00+01:00,{60 + m},1" for h in (9, 10) for m in range(60)
    ]
    path.write_text("time,steps,minutes\n" + "\n".join(rows) + "\n")
    return path


def _copies_of(media: Path, original: Path) -> list[Path]:
    data = original.read_bytes()
    return [p for p in media.rglob("*") if p.is_file() and p.read_bytes() == data]


def _gone(pid: int, within_s: float) -> bool:
    end = time.monotonic() + within_s
    while time.monotonic() < end:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state == "Z":
            return True
        time.sleep(0.05)
    return False


def _kill_mid_import(media: Path, path: Path) -> None:
    """Fork; the child imports ``path`` and stops after its first batch; SIGKILL it there."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the doomed import
        os.close(r)

        def hook(*_: object) -> None:
            size = path.stat().st_size
            for _ in range(200):  # wait until the copy of the file is complete
                if any(p.stat().st_size == size for p in media.rglob("*") if p.is_file()):
                    break
                time.sleep(0.01)
            os.write(w, b"x")
            time.sleep(60)

        try:
            services.import_files("kari", [path], progress=hook)
        finally:
            os._exit(0)
    os.close(w)
    ready, _, _ = select.select([r], [], [], 30)
    assert ready, "the import did not reach its first batch"
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(r)


def test_killed_import_copy_is_swept_by_the_next_import(
    walker: Walker, media: Path, tmp_path: Path
):
    first = _steps_csv(tmp_path / "first.csv", 6)
    _kill_mid_import(media, first)
    assert _copies_of(media, first), "the killed import had copied the file (the case to handle)"
    services.import_files("kari", [_steps_csv(tmp_path / "second.csv", 7)])
    assert _copies_of(media, first) == []


def test_killed_import_copy_is_removed_by_account_erasure(
    walker: Walker, media: Path, tmp_path: Path
):
    first = _steps_csv(tmp_path / "first.csv", 6)
    _kill_mid_import(media, first)
    assert _copies_of(media, first)
    folders = jobs.walker_folders(walker)
    erase_walker(walker)
    for folder in folders:  # as the delete-account view does
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    assert _copies_of(media, first) == []


def test_parser_process_dies_with_its_parent(tmp_path: Path):
    fifo = tmp_path / "never-written.xml"
    os.mkfifo(fifo)  # the helper blocks opening it: it would wait forever
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the importing process
        try:
            helper = split._Helper(fifo, str(fifo), [(0, None)], 1 << 16)
            os.write(w, str(helper.proc.pid).encode())
            time.sleep(60)
        finally:
            os._exit(0)
    os.close(w)
    ready, _, _ = select.select([r], [], [], 30)
    assert ready, "no parser process was started"
    child = int(os.read(r, 32))
    os.close(r)
    time.sleep(0.5)  # the helper arms its death signal as it starts
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    try:
        assert _gone(child, 5.0), "the parser process outlived its parent"
    finally:
        if not _gone(child, 0):
            os.kill(child, signal.SIGKILL)
