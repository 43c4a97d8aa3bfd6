"""Minute, day and bout tables with a documented schema, and run provenance."""

from .glossary import COLUMNS, glossary_markdown, parquet_metadata
from .tables import bout_table, check_tz, daily_table, day_length_h, minute_table

__all__ = [
    "COLUMNS",
    "bout_table",
    "check_tz",
    "daily_table",
    "day_length_h",
    "glossary_markdown",
    "minute_table",
    "parquet_metadata",
]
