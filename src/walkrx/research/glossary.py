"""Column glossary of every research-mode table, generated from code.

One place documents each output column (name, type, unit, meaning). The same text is embedded
in the Parquet metadata of each table (key ``walkrx.glossary``) and rendered into
``docs/research.md`` (see :func:`glossary_markdown`; a test checks they agree).
"""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One documented output column."""

    name: str
    dtype: str
    description: str


DAY_COLUMNS: tuple[Column, ...] = (
    Column(
        "participant_id", "string", "Participant identifier; the recording's file stem by default."
    ),
    Column("file", "string", "Name of the recording file the day came from."),
    Column("date", "date", "Local calendar date (in the recording's time zone) of the day."),
    Column("walk_min", "float", "Minutes classified as walking on that day."),
    Column("steps", "float", "Steps counted on that day."),
    Column(
        "mean_met",
        "float",
        "Mean metabolic equivalent (MET) during that day's walking minutes; empty when "
        "the day has no walking.",
    ),
    Column(
        "wear_min",
        "float",
        "Minutes the device was worn that day. Non-wear is flagged, never deleted; people "
        "with back pain can rest still for long periods, so long still spells are not "
        "automatically non-wear.",
    ),
    Column(
        "valid_day",
        "bool",
        "True when the day meets walkrx.measure's wear rule. Analyses average valid days only.",
    ),
)
"""Columns of the collated per-participant per-day table (``days.parquet`` / ``days.csv``)."""

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
    doc = {c.name: {"type": c.dtype, "description": c.description} for c in TABLES[table]}
    return {b"walkrx.glossary": json.dumps(doc).encode()}


def glossary_markdown() -> str:
    """Render every research table's glossary as Markdown (used in ``docs/research.md``)."""
    parts: list[str] = []
    for table, columns in TABLES.items():
        parts.append(f"### `{table}`\n")
        parts.append("| column | type | meaning |")
        parts.append("|---|---|---|")
        for c in columns:
            parts.append(f"| `{c.name}` | {c.dtype} | {c.description} |")
        parts.append("")
    return "\n".join(parts)
