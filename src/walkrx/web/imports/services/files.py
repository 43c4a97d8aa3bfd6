"""The walker's files: the original kept (hashed and copied while it is parsed) and the sweeps.

Everything an import writes lives in the walker's own ``imports/<walker id>/`` folder, so that
account erasure (which removes that folder) removes it all. Files being written carry the
writing process's id in their name (``<pid>-<random>...``): what a killed import left behind
(out of memory, a restart, ``kill -9``) is removed by the walker's next import.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
import time
from pathlib import Path

from django.conf import settings


class HashCopy(threading.Thread):
    """Hash a file and copy it to ``dest`` in a helper thread (hashlib and I/O release the GIL)."""

    def __init__(self, src: Path, dest: Path) -> None:
        super().__init__(daemon=True)
        self.src = src
        self.dest = dest
        self.sha256 = ""
        self.size = 0
        self.error: BaseException | None = None
        self.stop = False

    def run(self) -> None:
        """Hash and copy until done or told to stop (an upload of ours is linked, not copied)."""
        try:
            h = hashlib.sha256()
            self.dest.parent.mkdir(parents=True, exist_ok=True)
            if self._link():
                with open(self.dest, "rb") as fin:
                    while not self.stop and (block := fin.read(1024 * 1024)):
                        h.update(block)
                        self.size += len(block)
                self.sha256 = h.hexdigest()
                return
            with open(self.src, "rb") as fin, open(self.dest, "wb") as fout:
                while not self.stop:
                    block = fin.read(1024 * 1024)
                    if not block:
                        break
                    h.update(block)
                    fout.write(block)
                    self.size += len(block)
            self.sha256 = h.hexdigest()
        except BaseException as exc:  # reported by the main thread
            self.error = exc

    def _link(self) -> bool:
        """Keep a file the web process saved for an upload job by a hard link, not a copy.

        Such a file is ours (under ``MEDIA_ROOT/uploads/``) and is only ever removed, never
        changed, after the job; a link keeps its bytes as a copy would, without writing them
        again. Any other file (the CLI's) is copied: its owner may change it later.
        """
        uploads = (Path(settings.MEDIA_ROOT) / "uploads").resolve()
        if uploads not in self.src.resolve().parents:
            return False
        try:
            os.link(self.src, self.dest)
        except OSError:
            return False
        return True


def walker_dir(walker_pk: int) -> Path:
    """The walker's import folder (originals, interval chunks, copies in progress)."""
    return Path(settings.MEDIA_ROOT) / "imports" / str(walker_pk)


def temp_dir(walker_pk: int) -> Path:
    """Where copies of a walker's files wait while they are imported.

    Inside the walker's own ``imports/<id>/`` folder, so erasing the walker's folders (account
    deletion) removes them too, even those an import killed mid-way left behind.
    """
    return walker_dir(walker_pk) / "tmp"


def chunk_dir(walker_pk: int) -> Path:
    """Where the walker's interval chunks are kept."""
    return walker_dir(walker_pk) / "intervals"


def own_name(suffix: str) -> str:
    """A new file name carrying this process's id (see the module docstring)."""
    import uuid

    return f"{os.getpid()}-{uuid.uuid4().hex}{suffix}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError):  # a zombie is dead
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    return True


def _left_by_dead_import(p: Path) -> bool:
    pid = p.name.split("-", 1)[0]
    return pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid))


def sweep_temp(walker_pk: int, kept_chunks: set[str] | None = None) -> list[Path]:
    """Remove what this walker's killed imports left behind; return the files removed.

    Copies in ``tmp/`` whose process is gone, and chunk files of a gone process that no
    database row names (``kept_chunks``: the names the rows hold; ``None`` leaves chunks
    alone). Copies in the old shared ``imports/tmp/`` folder older than a day go too.
    """
    removed: list[Path] = []
    folder = temp_dir(walker_pk)
    for p in folder.glob("*-*") if folder.is_dir() else []:
        if _left_by_dead_import(p):
            p.unlink(missing_ok=True)
            removed.append(p)
    chunks = chunk_dir(walker_pk)
    if kept_chunks is not None and chunks.is_dir():
        for p in chunks.glob("*-*"):
            if p.name not in kept_chunks and _left_by_dead_import(p):
                p.unlink(missing_ok=True)
                removed.append(p)
    legacy = Path(settings.MEDIA_ROOT) / "imports" / "tmp"
    now = time.time()
    for p in legacy.iterdir() if legacy.is_dir() else []:
        with contextlib.suppress(OSError):
            if p.is_file() and now - p.stat().st_mtime > 86_400:
                p.unlink()
                removed.append(p)
    return removed
