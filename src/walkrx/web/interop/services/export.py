"""The walker's download: tables as CSV and Parquet, JSON, FHIR, the uploaded originals.

Columns and their types come from the Django model fields (one source of truth), so the
CSV and the Parquet file of a table always have the same columns in the same order;
``docs/interop.md`` lists the types.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path
from typing import IO, Any

from django.db import models

from walkrx import __version__
from walkrx.interop.tables import Column, ColumnType, to_csv, to_parquet
from walkrx.web.walking import jobs, services
from walkrx.web.walking.models import (
    CheckIn,
    DailyActivity,
    PlanSnapshot,
    SafetyEvent,
    SettingChange,
    Walk,
    Walker,
)

from .fhir import fhir_bundle

TABLE_MODELS: dict[str, type[models.Model]] = {
    "walker": Walker,
    "walks": Walk,
    "checkins": CheckIn,
    "safety_events": SafetyEvent,
    "daily_activity": DailyActivity,
    "plans": PlanSnapshot,
    "setting_changes": SettingChange,
}
IMPORTED_FILES = [
    Column("name", "text", "the file's name as uploaded"),
    Column("kind", "text", "what the file held (steps, distance, workout ...)"),
    Column("sha256", "text", "SHA-256 checksum of the file"),
    Column("size", "int", "size in bytes"),
    Column("records", "int", "records imported from it"),
    Column("imported_at", "timestamp", "when it was imported (UTC)"),
    Column("original", "text", "where the file is in this zip (empty when it was not found)"),
]


def _field_type(field: models.Field[Any, Any]) -> ColumnType:
    if isinstance(field, models.BooleanField):
        return "bool"
    if isinstance(field, models.DateTimeField):
        return "timestamp"
    if isinstance(field, models.DateField):
        return "date"
    if isinstance(field, models.FloatField):
        return "float"
    if isinstance(field, models.IntegerField | models.AutoField | models.ForeignKey):
        return "int"
    if isinstance(field, models.JSONField):
        return "json"
    return "text"


def _infer(name: str, rows: list[dict[str, Any]]) -> ColumnType:
    """The type of a column that is not a model field, from its values."""
    kinds = {type(r[name]) for r in rows if r.get(name) is not None}
    if kinds <= {bool} and kinds:
        return "bool"
    if kinds <= {int}:
        return "int" if kinds else "text"
    if kinds <= {int, float}:
        return "float"
    if kinds & {list, dict}:
        return "json"
    return "text"


def table_columns(name: str, rows: list[dict[str, Any]]) -> list[Column]:
    """The columns of table ``name``: the model's fields in model order, then any other keys."""
    if name == "imported_files":
        return IMPORTED_FILES
    model = TABLE_MODELS.get(name)
    fields = {f.name: f for f in model._meta.concrete_fields} if model is not None else {}
    keys = list(dict.fromkeys(k for r in rows for k in r))
    if not rows:  # an empty table still shows its columns
        keys = [f for f in fields if f not in ("walker", "user", "clinician")]
    ordered = [f for f in fields if f in keys] + [k for k in keys if k not in fields]
    out = []
    for key in ordered:
        field = fields.get(key)
        if field is None:
            out.append(Column(key, _infer(key, rows), ""))
        else:
            kind = "int" if key == "id" else _field_type(field)
            out.append(Column(key, kind, str(field.help_text or field.verbose_name)))
    return out


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _originals(walker: Walker, zf: zipfile.ZipFile, files: list[dict[str, Any]]) -> None:
    """Copy each uploaded file into ``originals/`` once (stored imports, then upload jobs)."""
    seen: set[str] = set()
    by_sha = {f["sha256"]: f for f in files}
    stored = getattr(walker, "source_files", None)
    for sf in stored.all() if stored is not None else []:
        path = Path(sf.stored.path) if sf.stored else None
        if path is None or not path.is_file() or sf.sha256 in seen:
            continue
        arc = f"originals/{sf.sha256[:12]}-{Path(sf.original_name).name}"
        _copy(zf, path, arc)
        seen.add(sf.sha256)
        if sf.sha256 in by_sha:
            by_sha[sf.sha256]["original"] = arc
    folder = jobs.uploads_dir(walker)
    for path in sorted(folder.glob("*/*")) if folder.is_dir() else []:
        if not path.is_file() or path.name == "status.json" or path.name.endswith(".tmp"):
            continue
        sha = _sha256(path)
        if sha in seen:
            continue
        seen.add(sha)
        _copy(zf, path, f"originals/{sha[:12]}-{path.name}")


def _copy(zf: zipfile.ZipFile, path: Path, arcname: str) -> None:
    with path.open("rb") as src, zf.open(arcname, "w", force_zip64=True) as dst:
        shutil.copyfileobj(src, dst, 1 << 20)


def write_export_zip(walker: Walker, out: IO[bytes]) -> None:
    """Write everything the walker owns into ``out`` as a zip (streamed, file by file)."""
    tables = services.export_tables(walker)
    for f in tables.get("imported_files", []):
        f.setdefault("original", "")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        bundle = fhir_bundle(walker)
        _originals(walker, zf, tables.get("imported_files", []))
        zf.writestr("walkrx.json", json.dumps(tables, indent=2, default=str))
        zf.writestr("fhir/bundle.json", json.dumps(bundle, indent=2))
        for name, rows in tables.items():
            columns = table_columns(name, rows)
            zf.writestr(f"{name}.csv", to_csv(rows, columns))
            zf.writestr(f"parquet/{name}.parquet", to_parquet(rows, columns, version=__version__))
        zf.writestr("README.txt", README)


README = """walkrx: everything stored about you

walkrx.json            every table in one JSON file
<table>.csv            one CSV file per table (dates and times in ISO 8601, times in UTC)
parquet/<table>.parquet  the same tables with the same columns, typed; each file's metadata
                       (walkrx:columns) describes every column
fhir/bundle.json       your data as a FHIR R4 Bundle, for a clinic's health record system
originals/             the files you uploaded, as you uploaded them

Nothing here is a diagnosis. See a clinician about any new or worrying symptom.
"""
