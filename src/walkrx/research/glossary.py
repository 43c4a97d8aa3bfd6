"""Column glossary of every research-mode table, generated from code.

One place documents each output column (name, type, unit, meaning). The same text is embedded
in the Parquet metadata of each table (key ``walkrx.glossary``) and rendered into
``docs/research.md`` (see :func:`glossary_markdown`; a test checks they agree).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from walkrx.summary.glossary import COLUMNS as MEASURE_COLUMNS


@dataclass(frozen=True)
class Column:
    """One documented output column."""

    name: str
    dtype: str
    description: str
    unit: str = ""


def _daily(name: str, dtype: str) -> Column:
    """A day-table column documented once, in walkrx.summary's glossary of the daily table."""
    description, unit = MEASURE_COLUMNS["daily"][name]
    return Column(name, dtype, description, unit)


DAY_COLUMNS: tuple[Column, ...] = (
    Column(
        "participant_id", "string", "participant identifier; the recording's file stem by default"
    ),
    Column("file", "string", "name of the recording file the day came from"),
    _daily("date", "date"),
    _daily("day_length_h", "float"),
    _daily("wear_min", "float"),
    _daily("valid_day", "bool"),
    _daily("walk_min", "float"),
    _daily("steps", "float"),
    _daily("cadence_mean_spm", "float"),
    _daily("mean_met", "float"),
)
"""Columns of the collated per-participant per-day table (``days.parquet`` / ``days.csv``).

Day columns are those of ``walkrx.measure``'s daily table; their descriptions come from
:data:`walkrx.summary.glossary.COLUMNS` so they are written once.
"""

QC_COLUMNS: tuple[Column, ...] = (
    Column("participant_id", "string", "Participant identifier (file stem by default)."),
    Column("file", "string", "Path of the recording file, relative to the input folder."),
    Column(
        "status",
        "string",
        "ok = processed in this run; skipped = finished output found from an earlier run "
        "(not reprocessed); error = the file could not be processed (see error).",
    ),
    Column("error", "string", "Error type and message when status is error; empty otherwise."),
    Column("days", "int", "Number of calendar days in the recording's output."),
    Column("valid_days", "int", "Number of those days that are valid days."),
    Column(
        "read_errors",
        "int",
        "Blocks or parts of the file skipped by the reader (e.g. corrupt blocks).",
    ),
    Column("n_samples", "int", "Accelerometer samples decoded."),
    Column(
        "seconds",
        "float",
        "Wall-clock seconds the recording took to process (in the run that made it).",
    ),
    Column(
        "cpu_seconds",
        "float",
        "CPU seconds (user + system) the worker process spent on it; close to seconds when the "
        "worker had a core to itself",
        "s",
    ),
    Column(
        "output_dir",
        "string",
        "Folder holding that recording's outputs, relative to the cohort output folder.",
    ),
)
"""Columns of the QC table of every file (``qc.parquet`` / ``qc.csv``)."""

PARTICIPANT_COLUMNS: tuple[Column, ...] = (
    Column("participant_id", "string", "Participant identifier."),
    Column("valid_days", "int", "Number of valid days averaged."),
    Column("walk_min_per_day", "float", "Mean daily walking minutes over valid days."),
    Column(
        "mean_walk_met",
        "float",
        "Mean walking MET over valid days, weighting each day's mean_met by its walk_min "
        "(i.e. the mean MET of all valid-day walking minutes); empty when there was no walking.",
    ),
    Column("volume_category", "string", "HUNT daily walking volume category of walk_min_per_day."),
    Column(
        "intensity_category", "string", "HUNT mean walking intensity category of mean_walk_met."
    ),
)
"""Columns of the per-participant exposure table written by ``analyze`` (``participants.csv``)."""

RR_COLUMNS: tuple[Column, ...] = (
    Column("exposure", "string", "volume (daily walking minutes) or intensity (mean walking MET)."),
    Column("category", "string", "HUNT category label; the first category is the reference."),
    Column("n", "int", "Participants in the category (analysed)."),
    Column("cases", "int", "Participants in the category with the outcome."),
    Column(
        "rr", "float", "Adjusted risk ratio versus the reference category (1 for the reference)."
    ),
    Column(
        "ci_low",
        "float",
        "Lower 95 % confidence limit (robust sandwich standard errors); empty for the reference.",
    ),
    Column("ci_high", "float", "Upper 95 % confidence limit; empty for the reference."),
    Column(
        "rr_ci", "string", "The RR and its CI as printed in HUNT's table, e.g. 0.77 (0.68-0.87)."
    ),
)
"""Columns of the risk-ratio table written by ``analyze`` (``rr_table.csv``)."""

TABLES: dict[str, tuple[Column, ...]] = {
    "days": DAY_COLUMNS,
    "qc": QC_COLUMNS,
    "participants": PARTICIPANT_COLUMNS,
    "rr_table": RR_COLUMNS,
}


def column_names(table: str) -> list[str]:
    """Return the documented column names of ``table`` in output order."""
    return [c.name for c in TABLES[table]]


def parquet_metadata(table: str) -> dict[bytes, bytes]:
    """Return Parquet key-value metadata embedding the glossary of ``table``."""
    doc = {
        c.name: {"description": c.description, "unit": c.unit, "type": c.dtype}
        for c in TABLES[table]
    }
    return {b"walkrx.columns": json.dumps(doc).encode()}


def glossary_markdown() -> str:
    """Render every research table's glossary as Markdown (used in ``docs/research.md``)."""
    parts: list[str] = []
    for table, columns in TABLES.items():
        parts.append(f"### `{table}`\n")
        parts.append("| column | type | unit | meaning |")
        parts.append("|---|---|---|---|")
        for c in columns:
            parts.append(f"| `{c.name}` | {c.dtype} | {c.unit} | {c.description} |")
        parts.append("")
    return "\n".join(parts)


START, END = "<!-- glossary:start -->", "<!-- glossary:end -->"


def update_markdown(text: str) -> str:
    """Return ``text`` with the part between the glossary markers regenerated."""
    a = text.index(START) + len(START)
    b = text.index(END)
    return text[:a] + "\n" + glossary_markdown().strip() + "\n\n" + text[b:]


if __name__ == "__main__":  # python -m walkrx.research.glossary docs/research.md
    import sys
    from pathlib import Path

    target = Path(sys.argv[1])
    target.write_text(update_markdown(target.read_text(encoding="utf-8")), encoding="utf-8")
