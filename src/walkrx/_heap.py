"""Keep the large numpy arrays of a measurement on glibc's reusable heap in Dask workers.

A measurement allocates and frees arrays of a few to tens of MB for every chunk. glibc serves
an allocation above its *mmap threshold* with a fresh ``mmap``: the kernel zeroes and faults
in every page on first touch and unmaps it on free. By default the threshold adapts upwards
after the first large frees, so a plain process reuses its heap; but setting
``MALLOC_TRIM_THRESHOLD_`` — which Dask does for every worker it starts (65536) — freezes it
at 128 KiB. In a Dask worker a one-week lower-back recording at 100 Hz then took 3.3 million
page faults and 11 s of CPU instead of 3.6 s, most of it in the kernel (and a one-day thigh
recording at 50 Hz twice its CPU), worse when several workers fault at once.

:func:`large_array_heap` does nothing where glibc adapts by itself (no ``MALLOC_*`` threshold
in the environment: the command line, the web job worker). Where the environment froze the
thresholds it serves arrays up to 64 MiB from the heap (a 2-million-sample chunk's largest
array is 48 MB) and trims above 128 MiB of free space at its top, for the duration of a
measurement; then it gives the free memory back (``malloc_trim``) and restores the
environment's thresholds. Nothing changes on a C library other than glibc.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 64 << 20
TRIM_THRESHOLD = 128 << 20

_lock = threading.Lock()
_depth = 0


def _glibc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        getattr(libc, "gnu_get_libc_version")  # noqa: B009 - musl has mallopt but not this
    except (OSError, AttributeError):
        return None
    return libc


_LIBC = _glibc()


def _frozen() -> bool:
    """Whether the environment fixed glibc's thresholds (its adaptive mode is then off)."""
    return any(k in os.environ for k in ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"))


def _environment_thresholds() -> tuple[int, int]:
    """(mmap, trim) thresholds as the environment set them."""
    mmap, trim = os.environ.get("MALLOC_MMAP_THRESHOLD_"), os.environ.get("MALLOC_TRIM_THRESHOLD_")
    default = 128 << 10  # either variable fixes both thresholds; unset ones stay at 128 KiB

    def value(v: str | None) -> int:
        try:
            return int(v) if v is not None else default
        except ValueError:
            return default

    return value(mmap), value(trim)


@contextmanager
def large_array_heap() -> Iterator[None]:
    """Serve arrays up to 64 MiB from the heap while inside; give free memory back after.

    Only where the environment froze glibc's adaptive thresholds (see the module docstring).
    Re-entrant and thread-safe: the thresholds change when the first caller enters and are
    restored when the last one leaves.
    """
    global _depth
    if _LIBC is None or not _frozen():
        yield
        return
    with _lock:
        _depth += 1
        if _depth == 1:
            _LIBC.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
            _LIBC.mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                _LIBC.malloc_trim(0)
                mmap, trim = _environment_thresholds()
                _LIBC.mallopt(_M_MMAP_THRESHOLD, mmap)
                _LIBC.mallopt(_M_TRIM_THRESHOLD, trim)
