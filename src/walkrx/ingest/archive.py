"""Zip members read with bounds: declared and actual size, compression ratio, damage as errors.

Both reader families open zip archives (an ActiGraph ``.gt3x`` is one; so is Apple Health's
``export.zip``). :func:`open_member` refuses, before decompressing a byte, a member larger than
``max_unzipped_bytes`` or inflating more than ``max_unzip_ratio`` times its compressed size
(for members over 1 MiB), counts what is actually read, and turns every error the ``zipfile``
and ``zlib`` modules raise on a damaged archive into the caller's error type, naming the file,
the member and the problem.
"""

from __future__ import annotations

import contextlib
import io
import struct
import zipfile
import zlib
from pathlib import Path
from typing import IO

from walkrx.ingest.errors import FileReadError
from walkrx.ingest.limits import ENV, Limits, current

#: What ``zipfile``/``zlib`` raise on damaged or unusual archives.
ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    OSError,
    RuntimeError,  # encrypted members
    ValueError,
    struct.error,
    OverflowError,
)

_RATIO_FROM = 1024**2  # the ratio is checked on members larger than this


def _mib(n: float) -> str:
    return f"{n / 1024**2:,.1f} MiB"


def check_member(
    info: zipfile.ZipInfo,
    path: str | Path,
    error: type[FileReadError],
    limits: Limits | None = None,
    max_bytes: int | None = None,
) -> None:
    """Refuse a member that is encrypted, too large, or inflates too much (from its header)."""
    lim = limits or current()
    cap = lim.max_unzipped_bytes if max_bytes is None else max_bytes
    where = f"zip member {info.filename}"
    if info.flag_bits & 0x1:
        raise error(path, "the member is encrypted; walkrx reads only plain zip archives", where)
    if info.file_size > cap:
        setting = ENV["max_unzipped_bytes"] if max_bytes is None else ENV["max_info_bytes"]
        raise error(
            path,
            f"the member unpacks to {_mib(info.file_size)}, more than the {_mib(cap)} "
            f"allowed (limit {setting})",
            where,
        )
    if info.compress_type != zipfile.ZIP_STORED and info.file_size > _RATIO_FROM:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > lim.max_unzip_ratio:
            raise error(
                path,
                f"the member unpacks {ratio:,.0f} times its packed size "
                f"({_mib(info.compress_size)} -> {_mib(info.file_size)}), more than the "
                f"{lim.max_unzip_ratio:g} allowed (limit {ENV['max_unzip_ratio']}): "
                "a compression bomb, or not an export",
                where,
            )


class _Counted(io.RawIOBase):
    """A zip member stream that counts bytes and reports damage as the caller's error."""

    def __init__(
        self, raw: IO[bytes], path: str | Path, where: str, error: type[FileReadError], cap: int
    ) -> None:
        self._raw = raw
        self._path = path
        self._where = where
        self._error = error
        self._cap = cap
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        try:
            data = self._raw.read(-1 if size is None else size)
        except ZIP_ERRORS as exc:
            raise self._error(
                self._path,
                f"damaged archive after {self.read_bytes:,} unpacked bytes: "
                f"{type(exc).__name__}: {exc}",
                self._where,
            ) from exc
        self.read_bytes += len(data)
        if self.read_bytes > self._cap:
            raise self._error(
                self._path,
                f"the member unpacks to more than {_mib(self._cap)} (its header said less)",
                self._where,
            )
        return data

    def readinto(self, b: bytearray) -> int:  # type: ignore[override]
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)

    def close(self) -> None:
        with contextlib.suppress(ZIP_ERRORS):
            self._raw.close()
        super().close()


def open_member(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    path: str | Path,
    error: type[FileReadError],
    limits: Limits | None = None,
    max_bytes: int | None = None,
) -> IO[bytes]:
    """Open ``info`` of ``zf`` for streaming, after :func:`check_member`; see the module doc."""
    lim = limits or current()
    check_member(info, path, error, lim, max_bytes)
    where = f"zip member {info.filename}"
    try:
        raw = zf.open(info)
    except ZIP_ERRORS as exc:
        raise error(path, f"damaged archive: {type(exc).__name__}: {exc}", where) from exc
    cap = lim.max_unzipped_bytes if max_bytes is None else max_bytes
    return _Counted(raw, path, where, error, max(cap, info.file_size if max_bytes is None else 0))


def read_member(
    zf: zipfile.ZipFile,
    name: str,
    path: str | Path,
    error: type[FileReadError],
    max_bytes: int,
    limits: Limits | None = None,
) -> bytes:
    """The whole of a small member (at most ``max_bytes``), bounded like :func:`open_member`."""
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise error(path, f"the archive has no {name}") from None
    with open_member(zf, info, path, error, limits, max_bytes) as fh:
        return fh.read(max_bytes + 1)


def open_zip(path: str | Path, error: type[FileReadError]) -> zipfile.ZipFile:
    """Open an archive, turning any damage into ``error``."""
    try:
        return zipfile.ZipFile(path)
    except ZIP_ERRORS as exc:
        raise error(path, f"damaged zip archive: {type(exc).__name__}: {exc}") from exc
