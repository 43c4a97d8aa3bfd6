"""Import consumer files for a walker: read (pure importers), store, recompute merged days.

:func:`import_files` runs in ONE transaction: each file is read into columns
(:mod:`.parse`; a large Apple export by two processes at once) while a helper thread hashes and
copies the original (:mod:`.files`); the step/distance records no earlier import stored go to
one columnar chunk file per import and workouts to rows (:mod:`.store`); the local days the
files touch are re-merged from all the walker's records and the imported daily rows added or
updated (:mod:`.days`). Any error (a damaged file, a refused hostile XML, a database error)
rolls everything back, removes the files written so far, and re-raises.
"""

from .days import WINDOW_DAYS, recompute_days, walker_policy
from .files import sweep_temp, temp_dir
from .importer import import_files
from .parse import MAX_RECORD_S, ParsedFile, parse_file
from .store import load_workouts, stored_batch, stored_records
from .summary import FileSummary, ImportAborted, ImportSummary, Progress

__all__ = [
    "MAX_RECORD_S",
    "WINDOW_DAYS",
    "FileSummary",
    "ImportAborted",
    "ImportSummary",
    "ParsedFile",
    "Progress",
    "import_files",
    "load_workouts",
    "parse_file",
    "recompute_days",
    "stored_batch",
    "stored_records",
    "sweep_temp",
    "temp_dir",
    "walker_policy",
]
