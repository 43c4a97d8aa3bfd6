"""Raw accelerometer readers: path in, samples in g with UTC times plus metadata out.

:func:`open_reader` picks the reader from the file's *content* (not its name):

* ``"MD"`` at byte 0 — Axivity ``.cwa`` (:mod:`walkrx.sensors.cwa`);
* a zip archive holding ``info.txt`` — ActiGraph ``.gt3x`` (:mod:`walkrx.sensors.gt3x`);
* UTF-8 text whose first line is a comma-separated header — CSV (:mod:`walkrx.sensors.csvreader`).

Anything else (empty, binary garbage, a zip of something else) raises
:class:`ReaderError` naming the file and the problem, including when the name
promises a format the content does not hold.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from walkrx.sensors.base import Reader, ReaderError, ReadError, RecordingInfo, SampleChunk

if TYPE_CHECKING:  # re-exported, imported on first use (see __getattr__)
    from walkrx.sensors.csvreader import CsvReader as CsvReader
    from walkrx.sensors.cwa import CwaReader as CwaReader
    from walkrx.sensors.gt3x import Gt3xReader as Gt3xReader

__all__ = [
    "FORMATS",
    "ReadError",
    "Reader",
    "ReaderError",
    "RecordingInfo",
    "SampleChunk",
    "open_reader",
    "read_all",
    "sniff_format",
]

FORMATS = ("cwa", "gt3x", "csv")

# The readers (pandas, pyarrow: ~70 MB and ~0.3 s) are imported on first use, so that importing
# ``walkrx.sensors.base`` (the contract, the error types) stays light (PEP 562).
_LAZY = {
    "CsvReader": "walkrx.sensors.csvreader",
    "CwaReader": "walkrx.sensors.cwa",
    "Gt3xReader": "walkrx.sensors.gt3x",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


_SNIFF_BYTES = 4096


def _describe(head: bytes) -> str:
    """A short human description of what the first bytes look like."""
    if head[:2] == b"MD":
        return "CWA binary"
    if head[:4] == b"PK\x03\x04":
        return "a zip archive"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return "binary data"
    first = text.splitlines()[0] if text.splitlines() else ""
    return f"text starting {first[:40]!r}"


def sniff_format(path: str | Path) -> str:
    """Return ``"cwa"``, ``"gt3x"`` or ``"csv"`` from the file's content, or raise :class:`ReaderError`."""
    p = Path(path)
    try:
        with p.open("rb") as f:
            head = f.read(_SNIFF_BYTES)
    except OSError as exc:
        raise ReaderError(p, f"cannot open: {exc.strerror or exc}") from exc
    if not head:
        raise ReaderError(p, "empty file (0 bytes)")
    suffix = p.suffix.lower()
    if head[:2] == b"MD":
        found = "cwa"
    elif head[:4] == b"PK\x03\x04":
        import zipfile

        try:
            with zipfile.ZipFile(p) as z:
                names = z.namelist()
        except zipfile.BadZipFile as exc:
            raise ReaderError(p, f"damaged zip archive: {exc}") from exc
        if "info.txt" not in names:
            raise ReaderError(p, f"zip archive without info.txt (holds {names[:5]}): not a .gt3x")
        found = "gt3x"
    else:
        try:
            text = head.decode("utf-8-sig")
        except UnicodeDecodeError:
            # A multi-byte character may be cut at the end of the sample.
            try:
                text = head[:-4].decode("utf-8-sig")
            except UnicodeDecodeError:
                text = ""
        lines = text.splitlines()
        if not text or "\x00" in text or not lines or "," not in lines[0]:
            named = f" (named {suffix})" if suffix else ""
            raise ReaderError(
                p,
                f"unrecognised content{named}: {_describe(head)}; expected CWA (starts 'MD'), "
                "a .gt3x zip with info.txt, or CSV text with a header",
                "byte 0",
            )
        found = "csv"
    expected = {".cwa": "cwa", ".gt3x": "gt3x", ".csv": "csv"}.get(suffix)
    if expected and expected != found:
        raise ReaderError(
            p,
            f"named {suffix} but the content is {_describe(head)} ({found}), not {expected}",
            "byte 0",
        )
    return found


def open_reader(path: str | Path, fmt: str | None = None, **options: Any) -> Reader:
    """A reader for ``path``; ``fmt`` forces a format, else it is sniffed from the content.

    ``options`` go to the reader: ``tz`` for all, ``clock`` for CWA, ``columns``
    and ``start`` for CSV.
    """
    found = sniff_format(path) if fmt is None else fmt.lower().lstrip(".")
    if found not in FORMATS:
        raise ReaderError(path, f"unknown format {fmt!r}; use one of {FORMATS}")
    reader: Reader
    try:
        if found == "cwa":
            from walkrx.sensors.cwa import CwaReader

            reader = CwaReader(**options)
        elif found == "gt3x":
            from walkrx.sensors.gt3x import Gt3xReader

            reader = Gt3xReader(**options)
        else:
            from walkrx.sensors.csvreader import CsvReader

            reader = CsvReader(**options)
    except TypeError as exc:
        raise ReaderError(path, f"bad option for the {found} reader: {exc}") from exc
    return reader


def _join(parts: list[npt.NDArray[np.float32] | None]) -> npt.NDArray[np.float32] | None:
    """Concatenate optional per-chunk arrays; None unless every chunk has one."""
    present = [x for x in parts if x is not None]
    if not parts or len(present) != len(parts):
        return None
    return np.concatenate(present)


def read_all(
    path: str | Path, fmt: str | None = None, chunk_samples: int = 1_000_000, **options: Any
) -> tuple[RecordingInfo, SampleChunk]:
    """Read a whole (small) file: metadata with counts and errors filled in, and one chunk."""
    reader = open_reader(path, fmt, **options)
    info = reader.read_info(path)
    times: list[npt.NDArray[np.int64]] = []
    accs: list[npt.NDArray[np.float32]] = []
    temps: list[npt.NDArray[np.float32] | None] = []
    gyros: list[npt.NDArray[np.float32] | None] = []
    errors: list[ReadError] = []
    for chunk, errs in reader.iter_chunks(path, chunk_samples):
        errors.extend(errs)
        if len(chunk) == 0:
            continue
        times.append(chunk.time_ns)
        accs.append(chunk.acc_g)
        temps.append(chunk.temperature_c)
        gyros.append(chunk.gyro_dps)
    t = np.concatenate(times) if times else np.empty(0, np.int64)
    a = np.concatenate(accs) if accs else np.empty((0, 3), np.float32)
    temp = _join(temps)
    gyro = _join(gyros)
    info.n_samples = int(t.size)
    info.read_errors = errors
    if t.size:
        info.start_utc_ns = int(t[0])
        info.end_utc_ns = int(t[-1])
    return info, SampleChunk(time_ns=t, acc_g=a, temperature_c=temp, gyro_dps=gyro)
