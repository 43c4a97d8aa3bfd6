"""The column glossary of every measurement table, generated from code.

``docs/columns.md`` is rendered from :data:`COLUMNS` by ``scripts/write_columns_doc.py``;
a test keeps the two in sync, and :func:`parquet_metadata` embeds the glossary in each
Parquet file.
"""

from __future__ import annotations

import json

# table -> column -> (description, unit)
COLUMNS: dict[str, dict[str, tuple[str, str]]] = {
    "minutely": {
        "time": ("start of the minute, local time with its UTC offset", "timestamp"),
        "walk_s": ("seconds of walking in the minute (bout time, first to last step)", "s"),
        "steps": ("steps (initial contacts) in walking bouts during the minute", "steps"),
        "cadence_stepping_spm": (
            "cadence while stepping in the minute (the signal's local step frequency, pauses inside a bout excluded), weighted by walking time; empty when not walking. The input of the MET relation",
            "steps/min",
        ),
        "met": (
            "walking intensity from cadence (CADENCE-Adults interpolation, see Info.json); empty when not walking",
            "MET",
        ),
        "wear": ("true when the device was worn (data present and not flagged non-wear)", "bool"),
        "data": (
            "true when the minute holds any samples (minutes without samples, e.g. in gaps or skipped blocks, have no row)",
            "bool",
        ),
    },
    "daily": {
        "date": ("local calendar date in the recording's time zone", "date"),
        "day_length_h": ("length of the local day (23 or 25 on DST change days)", "h"),
        "data_min": ("minutes of the day with any samples", "min"),
        "wear_min": ("minutes of the day flagged as worn", "min"),
        "valid_day": (
            "wear_min at least the valid-day threshold (walkrx default 10 h; a setting, not HUNT's rule)",
            "bool",
        ),
        "walk_min": ("minutes of walking (sum of bout time)", "min"),
        "steps": ("steps in walking bouts", "steps"),
        "bouts": ("walking bouts that start on this day", "count"),
        "cadence_mean_spm": (
            "mean cadence while stepping over the day's walking time (minute cadence_stepping_spm weighted by walk_s)",
            "steps/min",
        ),
        "cadence_p95_spm": (
            "95th percentile of minute cadence_stepping_spm over minutes with at least 30 s of walking",
            "steps/min",
        ),
        "mean_met": (
            "mean walking intensity while walking (minute MET weighted by walking seconds)",
            "MET",
        ),
    },
    "bouts": {
        "start": ("first step of the bout, local time with its UTC offset", "timestamp"),
        "end": ("last step of the bout, local time with its UTC offset", "timestamp"),
        "duration_s": ("end minus start", "s"),
        "steps": ("steps (initial contacts) in the bout", "steps"),
        "cadence_stepping_spm": (
            "cadence while stepping: the signal's local step frequency (autocorrelation step period around each step; 60 / step interval where the signal is not periodic), time-weighted over the bout, pauses (intervals over 1.5 x the median) excluded. The input of the MET relation",
            "steps/min",
        ),
        "cadence_bout_spm": (
            "the bout's cadence as gait labs and Mobilise-D report it: 60 x (steps - 1) / (last step - first step); pauses inside the bout lower it",
            "steps/min",
        ),
        "mean_met": ("intensity at the bout's cadence (CADENCE-Adults interpolation)", "MET"),
    },
}


def glossary_markdown() -> str:
    """Render :data:`COLUMNS` as Markdown (the content of ``docs/columns.md``)."""
    lines = [
        "# Measurement output columns",
        "",
        "Generated from `walkrx.summary.glossary.COLUMNS` by `scripts/write_columns_doc.py`;"
        " do not edit by hand.",
        "",
    ]
    for table, cols in COLUMNS.items():
        lines += [f"## {table}", "", "| column | unit | description |", "|---|---|---|"]
        lines += [f"| `{c}` | {u} | {d} |" for c, (d, u) in cols.items()]
        lines.append("")
    return "\n".join(lines)


def parquet_metadata(table: str) -> dict[bytes, bytes]:
    """Key-value metadata for a Parquet file of ``table``: its glossary as JSON."""
    cols = {c: {"description": d, "unit": u} for c, (d, u) in COLUMNS[table].items()}
    return {b"walkrx.columns": json.dumps(cols).encode()}
