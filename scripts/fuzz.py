#!/usr/bin/env python
"""Fuzz every reader and importer with mutants of the shared real-device fixtures.

    .venv/bin/python scripts/fuzz.py --minutes 20 --seed 1 [--formats cwa,fit] [--jobs 1]

Each mutant (byte flips, insertions, deletions, duplicated or cut runs, "interesting" numbers
and texts in text formats, mutations inside the members of zip containers) is written to a
temporary file and read in a forked child with a 2 GiB address-space limit: sensor files through
``walkrx.measure.measure_file`` (reader, step detection, tables), phone/watch exports through
``walkrx.importers.iter_records``. Outcomes: *accepted* (read), *clean error* (the documented
``ReaderError``/``ImportFileError``), *undocumented* (any other exception, a crash or a
``MemoryError``). The child's peak RSS and wall time are recorded; runs over 30 s are killed.
Prints one table row per format, the machine, and every undocumented exception (with the seed
and mutant number that reproduce it, saved under ``--keep DIR`` if given). Exit code 1 when any
mutant raised an undocumented exception, took more than 10 s, or peaked over 1 GB.

The same mutation code drives the short hypothesis pass in ``tests/fuzz/``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import resource
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: The real-device fixtures the mutants start from (set by :func:`use_fixtures`).
FIXTURES = REPO.parent / "shared" / "fixtures"


def use_fixtures(folder: Path | None = None) -> Path:
    """Take the seeds from ``folder``, else from where the tests find the fixtures."""
    global FIXTURES
    if folder is None:
        sys.path.insert(0, str(REPO / "scripts"))
        import fixture_registry

        folder = fixture_registry.fixtures_folder()
    FIXTURES = Path(folder)
    return FIXTURES


#: A mutation: (operation, position as a fraction of the data, argument).
Op = tuple[str, float, int | bytes]

INTERESTING_TEXT = [
    b"1e308",
    b"-1e308",
    b"inf",
    b"-inf",
    b"nan",
    b"NaN",
    b"Infinity",
    b"-1",
    b"0",
    b"99999999999999999999",
    b"4294967296",
    b"2147483648",
    b"",
    b"\x00",
    b"&amp;",
    b"&x;",
    b"9999-12-31T23:59:59Z",
    b"2090-01-01 00:00:00 +0000",
    b"0001-01-01",
    b"UTF-0",
    b"<",
    b'"',
]
INTERESTING_INT = [0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF]
OPS = ("flip", "byte", "insert", "delete", "dup", "cut", "int", "text")


def apply(data: bytes, ops: list[Op]) -> bytes:
    """``data`` with the mutations applied in order (positions are fractions of the length)."""
    b = bytearray(data)
    for op, where, raw_arg in ops:
        n = len(b)
        # an int argument, or bytes (insertions; other operations read them as a number)
        arg = (
            raw_arg
            if op in ("insert", "text") or isinstance(raw_arg, int)
            else (int.from_bytes(raw_arg[:4] or b"\0", "little"))
        )
        pos = min(n, int(where * n)) if n else 0
        if op == "flip" and n:
            b[min(pos, n - 1)] ^= 1 << (int(arg) % 8)  # type: ignore[arg-type]
        elif op == "byte" and n:
            b[min(pos, n - 1)] = int(arg) & 0xFF  # type: ignore[arg-type]
        elif op == "insert":
            b[pos:pos] = arg if isinstance(arg, bytes) else bytes([arg & 0xFF]) * 4
        elif op == "delete":
            del b[pos : pos + max(1, int(arg) % 64)]  # type: ignore[arg-type]
        elif op == "dup":
            k = max(1, int(arg) % 512)  # type: ignore[arg-type]
            b[pos:pos] = b[pos : pos + k]
        elif op == "cut":
            del b[pos:]
        elif op == "int" and n >= 4:
            v = INTERESTING_INT[int(arg) % len(INTERESTING_INT)]  # type: ignore[arg-type]
            p = min(pos, n - 4)
            b[p : p + 4] = v.to_bytes(4, "little")
        elif op == "text":
            # replace the token (run of letters, digits, dots, signs) at pos with an odd value
            value = arg if isinstance(arg, bytes) else INTERESTING_TEXT[arg % len(INTERESTING_TEXT)]
            s = pos
            while s > 0 and chr(b[s - 1]).isalnum() | (b[s - 1] in b".+-:"):
                s -= 1
            e = pos
            while e < n and (chr(b[e]).isalnum() or b[e] in b".+-:"):
                e += 1
            b[s:e] = value
    return bytes(b)


def random_ops(rng: random.Random, text: bool) -> list[Op]:
    """One to four random mutations (text formats favour token replacements)."""
    out: list[Op] = []
    for _ in range(rng.choice((1, 1, 2, 3, 4))):
        op = rng.choice(OPS + (("text",) * 4 if text else ("flip", "byte", "int")))
        arg: int | bytes = rng.randrange(1 << 16)
        if op == "insert" and rng.random() < 0.3:
            arg = bytes([rng.randrange(256)]) * rng.choice((1, 7, 100, 4096))
        out.append((op, rng.random(), arg))
    return out


# --------------------------------------------------------------------------- formats


def _zip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i) for i in z.infolist() if not i.is_dir()}


def _rezip(members: dict[str, bytes], stored: bool) -> bytes:
    buf = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buf, "w", compression=method) as z:
        for k, v in members.items():
            z.writestr(k, v)
    return buf.getvalue()


@dataclass
class Format:
    """A file family: its seed files, how to mutate them, and how to read a mutant."""

    name: str
    suffix: str
    seeds: Callable[[], list[bytes]]
    kind: str  # "sensor" or "import"
    text: bool = False
    zip_members: tuple[str, ...] = ()  # members mutated inside the container
    zip_stored: bool = False
    fixup: Callable[[bytes], bytes] | None = None  # e.g. recompute checksums after mutating


def fit_crc_fixup(data: bytes) -> bytes:
    """Make a mutated FIT file's sizes and CRCs agree again, so the decoder reads past them."""
    from fitdecode.utils import compute_crc

    b = bytearray(data)
    if len(b) < 16:
        return data
    head = b[0] if b[0] in (12, 14) else 14
    b[4:8] = (len(b) - head - 2).to_bytes(4, "little")
    if head == 14:
        b[12:14] = compute_crc(bytes(b[:12])).to_bytes(2, "little")
    b[-2:] = compute_crc(bytes(b[:-2])).to_bytes(2, "little")
    return bytes(b)


def _read(rel: str, max_bytes: int | None = None) -> bytes:
    data = (FIXTURES / rel).read_bytes()
    if max_bytes is not None and len(data) > max_bytes:
        data = data[:max_bytes]
        data = data[: data.rfind(b"\n") + 1]
    return data


def _apple_zip() -> bytes:
    root = FIXTURES / "apple-health" / "zip_contents"
    members = {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }
    return _rezip(members, stored=False)


STEP_CSV_SEED = (
    "time,steps,minutes,distance_m\n"
    + "".join(
        f"2024-05-0{d}T{h:02d}:00:00+02:00,{300 + 7 * h},60,{220 + 5 * h}\n"
        for d in (1, 2)
        for h in range(8, 20)
    )
).encode()

FORMATS = {
    f.name: f
    for f in [
        Format("cwa", ".cwa", lambda: [_read("axivity/ax3_testfile.cwa")], "sensor"),
        Format(
            "gt3x",
            ".gt3x",
            lambda: [_read("actigraph/actigraph_testfile.gt3x")],
            "sensor",
            zip_members=("log.bin", "info.txt"),
            zip_stored=True,
        ),
        Format(
            "csv",
            ".csv",
            lambda: [_read("lowerback-walks/S02/Trial1/lowerback.csv", 60_000)],
            "sensor",
            text=True,
        ),
        Format("apple-xml", ".xml", lambda: [_read("apple-health/export.xml")], "import", True),
        Format(
            "apple-zip",
            ".zip",
            lambda: [_apple_zip()],
            "import",
            zip_members=(
                "apple_health_export/export.xml",
                "apple_health_export/workout-routes/route_2019-06-11_3.00pm.gpx",
            ),
        ),
        Format(
            "fit",
            ".fit",
            lambda: [
                _read("garmin/MonitoringFile.fit"),
                _read("garmin/garmin-fenix-5-walk.fit"),
                _read("garmin/garmin-fenix-5-run.fit"),
            ],
            "import",
            fixup=fit_crc_fixup,
        ),
        Format(
            "gpx",
            ".gpx",
            lambda: [
                _read(
                    "apple-health/zip_contents/apple_health_export/workout-routes/"
                    "route_2019-06-11_3.00pm.gpx"
                )
            ],
            "import",
            True,
        ),
        Format(
            "fitbit",
            ".json",
            lambda: [_read("fitbit/steps-1995-06-23_Fitbit.json")],
            "import",
            True,
        ),
        Format("stepcsv", ".csv", lambda: [STEP_CSV_SEED], "import", True),
    ]
}


def mutant(fmt: Format, seed_data: bytes, ops: list[Op], member_pick: float | None) -> bytes:
    """Mutate the file itself, or (zip formats, ``member_pick`` given) one member inside it."""
    if fmt.fixup is not None and member_pick is not None:
        return fmt.fixup(apply(seed_data, ops))
    if fmt.zip_members and member_pick is not None:
        members = _zip_members(seed_data)
        name = fmt.zip_members[int(member_pick * len(fmt.zip_members)) % len(fmt.zip_members)]
        members[name] = apply(members[name], ops)
        return _rezip(members, fmt.zip_stored)
    return apply(seed_data, ops)


# --------------------------------------------------------------------------- running


def read_file(fmt: Format, path: Path) -> str:
    """Read a mutant the way walkrx does; return "accepted" or "clean" (raise otherwise)."""
    from walkrx.consumer.records import ImportFileError
    from walkrx.sensors.base import ReaderError

    try:
        if fmt.kind == "sensor":
            from walkrx.measure import measure_file

            measure_file(path, "lower-back", tz="Europe/Oslo", qc_plot=False)
        else:
            from walkrx.importers import iter_records

            for _ in iter_records(path, tz="Europe/Oslo"):
                pass
    except (ReaderError, ImportFileError) as exc:
        if not str(exc).strip() or str(exc).rstrip().endswith(":"):
            raise AssertionError(f"an error without a problem: {exc!r}") from exc
        return "clean"
    return "accepted"


@dataclass
class Row:
    """Counts and extremes of one format."""

    mutants: int = 0
    clean: int = 0
    accepted: int = 0
    undocumented: int = 0
    over_time: int = 0
    over_rss: int = 0
    max_rss_mb: float = 0.0
    max_s: float = 0.0
    failures: list[str] = field(default_factory=list)


AS_LIMIT = 2 * 1024**3
KILL_AFTER_S = 30.0


def run_one(fmt: Format, data: bytes, workdir: Path) -> tuple[str, float, float, str]:
    """Read ``data`` in a forked child; return (outcome, peak RSS MB, seconds, detail)."""
    path = workdir / f"mutant{fmt.suffix}"
    path.write_bytes(data)
    r, w = os.pipe()
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # child
        os.close(r)
        code = 0
        quiet = os.open(os.devnull, os.O_WRONLY)  # libraries' prints and warnings
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)
        try:
            resource.setrlimit(resource.RLIMIT_AS, (AS_LIMIT, AS_LIMIT))
            out = read_file(fmt, path)
            msg = {"outcome": out, "detail": ""}
        except BaseException as exc:  # noqa: BLE001 - the point: report anything
            tb = traceback.format_exception(exc)
            msg = {
                "outcome": "undocumented",
                "detail": f"{type(exc).__name__}: {exc}"[:300] + "\n" + "".join(tb[-3:])[:1200],
            }
        try:
            os.write(w, json.dumps(msg).encode()[:60000])
        finally:
            os._exit(code)
    os.close(w)
    chunks: list[bytes] = []
    deadline = t0 + KILL_AFTER_S
    killed = False
    import select

    while True:
        left = deadline - time.perf_counter()
        if left <= 0:
            os.kill(pid, signal.SIGKILL)
            killed = True
            break
        ready, _, _ = select.select([r], [], [], left)
        if ready:
            part = os.read(r, 65536)
            if not part:
                break
            chunks.append(part)
    os.close(r)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - t0
    rss_mb = usage.ru_maxrss / 1024
    if killed:
        return "undocumented", rss_mb, seconds, f"killed after {KILL_AFTER_S:.0f} s"
    try:
        msg = json.loads(b"".join(chunks) or b"{}")
    except ValueError:
        msg = {}
    if not msg:
        return "undocumented", rss_mb, seconds, f"child died (status {status})"
    return str(msg["outcome"]), rss_mb, seconds, str(msg["detail"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=1.0, help="time budget (all formats)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--formats", default=",".join(FORMATS), help="comma-separated subset")
    ap.add_argument("--keep", type=Path, help="save undocumented mutants in this folder")
    args = ap.parse_args(argv)
    names = [n.strip() for n in args.formats.split(",") if n.strip()]
    unknown = set(names) - set(FORMATS)
    if unknown:
        ap.error(f"unknown formats {sorted(unknown)}; choose from {list(FORMATS)}")
    # import the numeric stack once, before forking, so each child starts warm
    import walkrx.importers  # noqa: F401
    import walkrx.measure  # noqa: F401
    import walkrx.sensors.csvreader  # noqa: F401
    import walkrx.sensors.cwa  # noqa: F401
    import walkrx.sensors.gt3x  # noqa: F401

    use_fixtures()
    rng = random.Random(args.seed)
    seeds = {n: FORMATS[n].seeds() for n in names}
    rows = {n: Row() for n in names}
    end = time.monotonic() + args.minutes * 60
    i = 0
    with tempfile.TemporaryDirectory(prefix="walkrx-fuzz-") as tmp:
        workdir = Path(tmp)
        while time.monotonic() < end:
            name = names[i % len(names)]
            fmt = FORMATS[name]
            i += 1
            seed_data = rng.choice(seeds[name])
            ops = random_ops(rng, fmt.text)
            aware = fmt.zip_members or fmt.fixup is not None
            pick = rng.random() if aware and rng.random() < 0.6 else None
            data = mutant(fmt, seed_data, ops, pick)
            outcome, rss, secs, detail = run_one(fmt, data, workdir)
            row = rows[name]
            row.mutants += 1
            row.max_rss_mb = max(row.max_rss_mb, rss)
            row.max_s = max(row.max_s, secs)
            row.over_time += secs > 10
            row.over_rss += rss > 1024
            if outcome == "clean":
                row.clean += 1
            elif outcome == "accepted":
                row.accepted += 1
            else:
                row.undocumented += 1
                row.failures.append(f"mutant {i} (seed {args.seed}): {detail}")
                if args.keep:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    (args.keep / f"{name}-{args.seed}-{i}{fmt.suffix}").write_bytes(data)
    from walkrx._machine import cpu_model

    print(
        f"walkrx fuzz: {args.minutes:g} min, seed {args.seed}, {platform.python_version()}, "
        f"CPU {cpu_model()} ({os.cpu_count()} cores, shared)"
    )
    head = (
        "format",
        "mutants",
        "clean errors",
        "accepted",
        "undocumented",
        ">10 s",
        ">1 GB",
        "max RSS MB",
        "max s",
    )
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    total = Row()
    for name, r in rows.items():
        print(
            f"| {name} | {r.mutants} | {r.clean} | {r.accepted} | {r.undocumented} | "
            f"{r.over_time} | {r.over_rss} | {r.max_rss_mb:.0f} | {r.max_s:.2f} |"
        )
        for k in ("mutants", "clean", "accepted", "undocumented", "over_time", "over_rss"):
            setattr(total, k, getattr(total, k) + getattr(r, k))
        total.max_rss_mb = max(total.max_rss_mb, r.max_rss_mb)
        total.max_s = max(total.max_s, r.max_s)
    print(
        f"| all | {total.mutants} | {total.clean} | {total.accepted} | {total.undocumented} | "
        f"{total.over_time} | {total.over_rss} | {total.max_rss_mb:.0f} | {total.max_s:.2f} |"
    )
    for name, r in rows.items():
        for f in r.failures[:10]:
            print(f"\n[{name}] {f}")
    bad = total.undocumented + total.over_time + total.over_rss
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
