"""Write research tables as Parquet (with the glossary embedded) and CSV, atomically."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .glossary import parquet_metadata


def write_table(df: pd.DataFrame, base: Path, table: str) -> list[Path]:
    """Write ``df`` to ``base.parquet`` and ``base.csv``; return the two paths.

    Each file is written to a temporary name and renamed, so a crash never leaves a
    half-written table behind.
    """
    base.parent.mkdir(parents=True, exist_ok=True)
    parquet_path = base.with_suffix(".parquet")
    csv_path = base.with_suffix(".csv")

    arrow = pa.Table.from_pandas(df, preserve_index=False)
    meta = dict(arrow.schema.metadata or {})
    meta.update(parquet_metadata(table))
    arrow = arrow.replace_schema_metadata(meta)
    tmp = parquet_path.with_name(parquet_path.name + ".tmp")
    pq.write_table(arrow, tmp)
    os.replace(tmp, parquet_path)

    tmp = csv_path.with_name(csv_path.name + ".tmp")
    df.to_csv(tmp, index=False)
    os.replace(tmp, csv_path)
    return [parquet_path, csv_path]


def read_table(path: Path) -> pd.DataFrame:
    """Read a Parquet or CSV table, chosen by the file suffix."""
    suffix = "".join(path.suffixes[-2:]).lower()
    if suffix.endswith(".parquet") or suffix.endswith(".pq"):
        return pd.read_parquet(path)
    if suffix.endswith(".csv") or suffix.endswith(".csv.gz"):
        return pd.read_csv(path, dtype={"participant_id": str})
    raise ValueError(f"{path}: unknown table format {suffix!r}; expected .parquet or .csv")
