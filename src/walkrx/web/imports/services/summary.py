"""What an import reports: per file and in total (the CLI and the job page show it)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: ``progress(bytes done, bytes in all, file name)``
Progress = Callable[[int, int, str], None]


class ImportAborted(Exception):
    """Raised by a test hook to simulate a failure in the middle of an import."""


@dataclass
class FileSummary:
    """What one file contributed."""

    path: str
    format: str
    sha256: str = ""
    size: int = 0
    records: int = 0
    new_records: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    already_imported: bool = False


@dataclass
class ImportSummary:
    """Outcome of :func:`~.importer.import_files`."""

    walker: str
    files: list[FileSummary] = field(default_factory=list)
    days_added: list[dt.date] = field(default_factory=list)
    days_updated: list[dt.date] = field(default_factory=list)
    days_unchanged: list[dt.date] = field(default_factory=list)

    @property
    def skipped(self) -> dict[str, int]:
        """Records skipped over all files, by reason."""
        total: Counter[str] = Counter()
        for f in self.files:
            total.update(f.skipped)
        return dict(total)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready summary."""
        return {
            "walker": self.walker,
            "totals": {
                "days_added": len(self.days_added),
                "days_updated": len(self.days_updated),
                "days_unchanged": len(self.days_unchanged),
                "records": sum(f.records for f in self.files),
                "new_records": sum(f.new_records for f in self.files),
                "records_skipped": sum(self.skipped.values()),
            },
            "days_added": [d.isoformat() for d in self.days_added],
            "days_updated": [d.isoformat() for d in self.days_updated],
            "skipped": self.skipped,
            "files": [
                {
                    "path": f.path,
                    "format": f.format,
                    "sha256": f.sha256,
                    "size": f.size,
                    "records": f.records,
                    "new_records": f.new_records,
                    "skipped": f.skipped,
                    "notes": f.notes,
                    "already_imported": f.already_imported,
                }
                for f in self.files
            ],
        }
