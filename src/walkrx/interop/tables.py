"""One table, two files: CSV and Parquet with the same columns and documented types.

A :class:`Column` names its type once; CSV writes the text form, Parquet the typed
form, and the Parquet file carries every column's description and the walkrx
version in its schema metadata (``walkrx:columns``), so the file explains itself.

Types: ``int`` (int64), ``float`` (float64), ``bool``, ``text`` (UTF-8 string),
``date`` (date32, the walker's local date), ``timestamp`` (microseconds, UTC),
``json`` (lists and objects, as JSON text in both files).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["Column", "ColumnType", "to_csv", "to_parquet"]

ColumnType = Literal["int", "float", "bool", "text", "date", "timestamp", "json"]


@dataclass(frozen=True)
class Column:
    """A column: its name, type and what it holds."""

    name: str
    type: ColumnType
    description: str = ""


def _cell(value: Any, kind: ColumnType) -> Any:
    if value is None:
        return None
    if kind == "json":
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    if kind == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if kind == "timestamp" and isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if kind == "timestamp" and isinstance(value, dt.datetime):
        if value.utcoffset() is None:
            raise ValueError(f"timestamp {value.isoformat()} has no time zone")
        return value.astimezone(dt.UTC)
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "bool":
        return bool(value)
    if kind == "text":
        return value if isinstance(value, str) else str(value)
    return value


def to_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[Column]) -> str:
    """The rows as CSV text with exactly ``columns`` (dates and times in ISO 8601)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.name for c in columns])
    for row in rows:
        cells = []
        for c in columns:
            v = _cell(row.get(c.name), c.type)
            cells.append(
                "" if v is None else v.isoformat() if isinstance(v, dt.date | dt.datetime) else v
            )
        writer.writerow(cells)
    return out.getvalue()


def to_parquet(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[Column], *, version: str = ""
) -> bytes:
    """The rows as a Parquet file with the typed ``columns`` and their glossary in its metadata."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "text": pa.string(),
        "date": pa.date32(),
        "timestamp": pa.timestamp("us", tz="UTC"),
        "json": pa.string(),
    }
    fields = [
        pa.field(c.name, types[c.type], metadata={"description": c.description, "type": c.type})
        for c in columns
    ]
    glossary = [{"name": c.name, "type": c.type, "description": c.description} for c in columns]
    schema = pa.schema(
        fields,
        metadata={"walkrx:columns": json.dumps(glossary), "walkrx:version": version},
    )
    data = {c.name: [_cell(r.get(c.name), c.type) for r in rows] for c in columns}
    table = pa.Table.from_pydict(data, schema=schema)
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()
