"""The span and sample limits of one sensor file, applied while it is read.

A sample whose time lies outside 1970–2099, or more than ``max_span_days`` from the first
plausible sample of the file, is never a reason to allocate: the reader skips the block, record
or line that holds it and reports a :class:`~walkrx.sensors.base.ReadError` naming it. A file
that holds more than ``max_samples`` samples is refused with a
:class:`~walkrx.ingest.errors.ReaderError`.
"""

from __future__ import annotations

from pathlib import Path

from walkrx.ingest.errors import ReaderError
from walkrx.ingest.limits import EARLIEST_NS, ENV, LATEST_NS, Limits, current


class Bounds:
    """Span and sample budget of one file; ``anchor`` is its first plausible instant (ns)."""

    def __init__(self, path: str | Path, limits: Limits | None = None) -> None:
        self.path = Path(path)
        self.limits = limits or current()
        self.anchor: int | None = None
        self.samples = 0

    def window(self) -> tuple[int, int]:
        """The instants (ns, inclusive) a sample may have now."""
        if self.anchor is None:
            return EARLIEST_NS, LATEST_NS - 1
        span = self.limits.max_span_ns
        return max(EARLIEST_NS, self.anchor - span), min(LATEST_NS - 1, self.anchor + span)

    @property
    def text(self) -> str:
        """Why a time outside :meth:`window` is skipped (for the read error)."""
        if self.anchor is None:
            return "is outside the years 1970-2099 a recording can hold; skipped"
        return (
            f"is more than {self.limits.max_span_days:g} days from the recording's first sample "
            f"(limit {ENV['max_span_days']}) or outside 1970-2099; skipped"
        )

    def take(self, n: int, where: str) -> None:
        """Count ``n`` more samples; refuse the file once it holds more than the limit."""
        self.samples += n
        if self.samples > self.limits.max_samples:
            raise ReaderError(
                self.path,
                f"more than {self.limits.max_samples:,} samples (limit {ENV['max_samples']}); "
                "the file is refused rather than read in part",
                where,
            )
