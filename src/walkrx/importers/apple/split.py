r"""Read a large plain ``export.xml`` in parts, in this process and in a helper process at once.

The body is cut at line-start tags (``\\n <Record``, ``\\n <Workout`` ...) into parts; each part
holds the tags that *start* in it (a workout that starts in a part is read to its end, past the
cut). The parts alternate between this process and a helper (a fresh interpreter running
``python -m walkrx.importers.apple.split``: no database, no Django, little memory), both on the
fast path. The results are put back in file order, so the records and the report are those of
reading the file in one pass. When any part meets something only the standard parser handles,
the whole file is read in one pass instead (:func:`~.reader.iter_apple_items`); when a part
fails, the first failure in file order is raised.

The helper dies with its parent (``PR_SET_PDEATHSIG`` on Linux) and is killed when the reading
stops early. It sends each part's records pickled through its stdout: it is our own child, so
its pickles are trusted.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from walkrx.consumer.batch import IntervalBatch
from walkrx.consumer.records import ImportFileError, ParseReport, Record

from .container import _dir_route_resolver
from .fast import _iter_fast
from .prolog import _declared_encoding, _read_prolog
from .syntax import BLOCK_BYTES, _Fallback, _FastCounts

#: Smallest part worth a cut (smaller files are read in one part).
PART_BYTES = 24 * 1024 * 1024
_PROBE = 256 * 1024  # bytes read after a planned cut to find a line-start tag
_HEADER = struct.Struct("<Q")
#: Peak resident memory (KiB, ``VmHWM``) of each helper that has ended (for benchmarks).
HELPER_PEAKS_KB: list[int] = []
Items = list[Record | IntervalBatch]
# A part's outcome: ("ok", items, report fields) | ("fallback",) | ("error", path, problem, where)
Outcome = tuple[Any, ...]


def plan_parts(path: Path, body_at: int, parts: int) -> list[tuple[int, int | None]]:
    """``(start, stop)`` offsets of up to ``parts`` parts of the body; the last stop is ``None``."""
    size = path.stat().st_size
    cuts = [body_at]
    with open(path, "rb") as fh:
        for k in range(1, parts):
            want = body_at + (size - body_at) * k // parts
            if want <= cuts[-1]:
                continue
            fh.seek(want)
            probe = fh.read(_PROBE)
            at = _line_start_tag(probe)
            if at >= 0 and want + at > cuts[-1]:
                cuts.append(want + at)
    return [(a, b) for a, b in zip(cuts, [*cuts[1:], None], strict=True)]


def _line_start_tag(probe: bytes) -> int:
    r"""Offset of the ``<`` of the first tag opening a line (``\\n <Name``), or -1."""
    at = probe.find(b"\n <")
    while at >= 0:
        name = probe[at + 3 : at + 4]
        if name.isalpha():
            return at + 2
        at = probe.find(b"\n <", at + 1)
    return -1


def read_part(
    path: Path, start: int, stop: int | None, label: str, block_bytes: int = BLOCK_BYTES
) -> Outcome:
    """Read the tags starting in ``[start, stop)`` on the fast path; see :data:`Outcome`."""
    report = ParseReport(label, format="apple-health")
    try:
        with open(path, "rb") as stream:
            stream.seek(start)
            items: Items = list(
                _iter_fast(
                    stream,
                    b"",
                    start,
                    label,
                    report,
                    _dir_route_resolver(path.parent),
                    _FastCounts(),
                    block_bytes,
                    stop,
                )
            )
    except _Fallback:
        return ("fallback",)
    except ImportFileError as exc:
        return ("error", exc.path, exc.problem, exc.where)
    except OSError as exc:
        return ("error", label, f"cannot read: {exc}", "")
    return ("ok", items, (report.records, dict(report.skipped), report.notes))


class OnePassNeeded(Exception):
    """A part needs the standard parser: read the whole file in one pass instead.

    Raised by :func:`iter_apple_parallel` after it may have yielded the records of the parts
    before; the caller drops them and reads the file with :func:`~.reader.iter_apple_items`.
    """


def iter_apple_parallel(
    path: str | Path,
    report: ParseReport | None = None,
    *,
    helper: bool = True,
    part_bytes: int = PART_BYTES,
    block_bytes: int = BLOCK_BYTES,
    progress: Callable[[int], None] | None = None,
) -> Iterator[Record | IntervalBatch]:
    """:func:`~.reader.iter_apple_items` of a plain export, read here and by a helper process.

    The records come in file order, part after part, as soon as the parts before are read.
    ``helper=False`` reads every part here, in turn. Raises :class:`OnePassNeeded` (see there)
    for a zip, a non-UTF-8 file, a file too small to cut, or a part needing the standard
    parser; :class:`ImportFileError` for the first failing part. ``progress(bytes)`` is called
    as parts are read.
    """
    path = Path(path)
    label = str(path)
    report = report if report is not None else ParseReport(label)
    report.format = "apple-health"
    import zipfile

    if zipfile.is_zipfile(path):
        raise OnePassNeeded
    with open(path, "rb") as fh:
        prolog, root_at, _ = _read_prolog(fh, label)  # refuses a hostile prolog here
    if _declared_encoding(prolog) not in ("utf-8", "utf8"):
        raise OnePassNeeded
    size = path.stat().st_size
    parts = plan_parts(path, root_at, max(1, min(64, (size - root_at) // max(1, part_bytes))))
    if len(parts) < 2:
        raise OnePassNeeded
    mine = list(range(0, len(parts), 2 if helper else 1))
    theirs = [k for k in range(len(parts)) if k not in set(mine)]
    other = _Helper(path, label, [parts[k] for k in theirs], block_bytes) if theirs else None
    their_results = other.results() if other is not None else iter(())
    ready: dict[int, Outcome] = {}
    taken = 0  # parts handed on so far (in file order)
    try:
        for k in [*mine, len(parts)]:
            if k < len(parts):
                ready[k] = read_part(path, *parts[k], label, block_bytes)
                if progress is not None:
                    progress(parts[k][1] or size)
            while taken < min(k + 1, len(parts)):
                if taken not in ready:  # the helper's: wait for it
                    ready[taken] = next(their_results)
                outcome = ready.pop(taken)
                if outcome[0] == "fallback":
                    raise OnePassNeeded
                if outcome[0] == "error":
                    raise ImportFileError(outcome[1], outcome[2], outcome[3])
                records, skipped, notes = outcome[2]
                report.records += records
                report.skipped.update(skipped)
                report.notes.extend(notes)
                report.bytes_read = parts[taken][1] or size
                taken += 1
                yield from outcome[1]
                del outcome
    finally:
        if other is not None:
            other.stop()


class _Helper:
    """A helper process reading some parts; its results are collected by a thread."""

    def __init__(
        self, path: Path, label: str, parts: list[tuple[int, int | None]], block_bytes: int
    ) -> None:
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
        src = str(Path(__file__).resolve().parents[3])
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH", "")]))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "walkrx.importers.apple.split", str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.expected = len(parts)
        self._results: list[Outcome] = []
        self._ready = threading.Condition()
        self._done = False
        self._reader = threading.Thread(target=self._read, args=(self.proc.stdout,), daemon=True)
        self._reader.start()
        with contextlib.suppress(BrokenPipeError):
            self.proc.stdin.write(pickle.dumps((str(path), label, parts, block_bytes)))
            self.proc.stdin.close()

    def _read(self, out: IO[bytes]) -> None:
        try:
            while True:
                head = out.read(_HEADER.size)
                if len(head) < _HEADER.size:
                    break
                outcome = pickle.loads(out.read(_HEADER.unpack(head)[0]))
                if outcome[0] == "peak":
                    HELPER_PEAKS_KB.append(outcome[1])
                    continue
                with self._ready:
                    self._results.append(outcome)
                    self._ready.notify_all()
        finally:
            with self._ready:
                self._done = True
                self._ready.notify_all()

    def results(self) -> Iterator[Outcome]:
        """The helper's outcomes in order, as they arrive."""
        for i in range(self.expected):
            with self._ready:
                self._ready.wait_for(lambda i=i: len(self._results) > i or self._done)  # type: ignore[misc]
                if len(self._results) <= i:
                    code = self.proc.wait()
                    # not the file's fault (memory, a signal): it is read here, in one pass
                    yield ("fallback", f"the helper ended with exit code {code}")
                    return
                outcome = self._results[i]
            yield outcome

    def stop(self) -> None:
        """End the helper (killed if it is still reading) and reap it."""
        if self.proc.poll() is None and len(self._results) < self.expected:
            self.proc.kill()
        self._reader.join(timeout=5)  # the last message: the helper's peak memory
        self.proc.wait()
        self._reader.join(timeout=5)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def _die_with_parent(parent_pid: int) -> None:
    """Have the kernel kill this process when its parent dies; leave if it already has."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent_pid:
        os._exit(1)


def main(argv: list[str]) -> int:
    """The helper: read the parts named on stdin, send each outcome (length-prefixed pickle)."""
    _die_with_parent(int(argv[0]))
    gc.disable()  # millions of short-lived tuples, no cycles: collections would only cost time
    path, label, parts, block_bytes = pickle.loads(sys.stdin.buffer.read())
    out = sys.stdout.buffer
    for start, stop in parts:
        outcome = read_part(Path(path), start, stop, label, block_bytes)
        _send(out, outcome)
        if outcome[0] != "ok":
            break
    _send(out, ("peak", _peak_kb()))
    return 0


def _send(out: IO[bytes], message: Outcome) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_HEADER.pack(len(data)))
    out.write(data)
    out.flush()


def _peak_kb() -> int:
    """Peak resident memory of this process since it started (``VmHWM``), in KiB.

    ``ru_maxrss`` of a spawned process also counts its parent's pages at the moment of the
    spawn (the kernel records the old address space's peak at ``exec``); this does not.
    """
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    import resource

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
