"""What kind of walking file is this? Judged by content, for uploads that do not say.

Phone and watch exports are tried first (:func:`walkrx.importers.detect.detect_format`),
then research sensor recordings (:func:`walkrx.sensors.sniff_format`); both families
are imported on first use. The answer names
the kind of importer, the format and plain words for the device it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from walkrx.ingest.errors import ImportFileError, ReaderError

__all__ = ["DEVICE_WORDS", "Detected", "UnknownFile", "detect_upload"]

#: Plain words for each format, as a walker would say where the file came from.
DEVICE_WORDS = {
    "apple-health": "an Apple Health export (iPhone or Apple Watch)",
    "fit": "a FIT activity file (Garmin or another sports watch)",
    "gpx": "a GPX track (a GPS watch or walking app)",
    "fitbit-json": "a Fitbit export",
    "step-csv": "a table of steps (CSV)",
    "cwa": "an Axivity sensor recording (.cwa)",
    "gt3x": "an ActiGraph sensor recording (.gt3x)",
    "csv": "a raw sensor recording (CSV)",
}


@dataclass(frozen=True)
class Detected:
    """The importer to use (``kind``), the format, and the device in plain words."""

    kind: Literal["consumer", "sensor"]
    format: str

    @property
    def device(self) -> str:
        """Where the file comes from, in plain words."""
        return DEVICE_WORDS.get(self.format, self.format)


class UnknownFile(ValueError):
    """Neither a phone/watch export nor a sensor recording. ``problems`` holds both readers' words."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path.name}: not a walking file walkrx can read ({'; '.join(problems)})")


def detect_upload(path: str | Path) -> Detected:
    """Detect the kind and format of ``path`` from its content; :class:`UnknownFile` if neither."""
    from walkrx.importers.detect import detect_format
    from walkrx.sensors import sniff_format

    p = Path(path)
    problems = []
    try:
        return Detected("consumer", detect_format(p))
    except ImportFileError as exc:
        problems.append(exc.problem)
    try:
        return Detected("sensor", sniff_format(p))
    except ReaderError as exc:
        problems.append(exc.problem)
    raise UnknownFile(p, problems)
