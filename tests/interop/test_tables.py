"""CSV and Parquet of one table: the same columns, typed Parquet, a glossary in its metadata."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pyarrow.parquet as pq
import pytest

from walkrx.interop.tables import Column, to_csv, to_parquet

COLUMNS = [
    Column("id", "int", "row id"),
    Column("local_date", "date", "local date"),
    Column("start_utc", "timestamp", "start"),
    Column("minutes", "float", "length"),
    Column("night_pain", "bool", "night pain"),
    Column("terrain", "text", "terrain"),
    Column("red_flags", "json", "codes"),
]
ROWS = [
    {
        "id": 1,
        "local_date": "2026-03-29",
        "start_utc": "2026-03-29T07:30:00+00:00",
        "minutes": 25,
        "night_pain": False,
        "terrain": "flat",
        "red_flags": ["a", "b"],
        "ignored": "x",
    },
    {"id": 2, "local_date": None, "start_utc": None, "minutes": None, "terrain": None},
]


def test_same_columns_and_values_in_both() -> None:
    text = to_csv(ROWS, COLUMNS)
    rows = list(csv.DictReader(io.StringIO(text)))
    table = pq.read_table(io.BytesIO(to_parquet(ROWS, COLUMNS, version="9.9")))
    assert table.column_names == list(rows[0]) == [c.name for c in COLUMNS]
    assert str(table.schema.field("start_utc").type) == "timestamp[us, tz=UTC]"
    assert str(table.schema.field("local_date").type) == "date32[day]"
    assert str(table.schema.field("minutes").type) == "double"
    got = table.to_pylist()
    assert got[0]["start_utc"] == dt.datetime(2026, 3, 29, 7, 30, tzinfo=dt.UTC)
    assert got[0]["red_flags"] == rows[0]["red_flags"] == '["a", "b"]'
    assert got[1]["minutes"] is None and rows[1]["minutes"] == ""
    meta = table.schema.metadata
    assert json.loads(meta[b"walkrx:columns"])[0] == {
        "name": "id",
        "type": "int",
        "description": "row id",
    }
    assert meta[b"walkrx:version"] == b"9.9"


def test_naive_timestamps_are_refused() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        to_parquet([{"start_utc": "2026-03-29T07:30:00"}], [Column("start_utc", "timestamp")])
