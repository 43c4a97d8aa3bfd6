"""Where the export is: an ``export.zip`` member found by content, or a plain XML file."""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path, PurePosixPath

from walkrx.consumer.records import ImportFileError, RoutePoint
from walkrx.importers import gpx as gpx_io
from walkrx.ingest.archive import ZIP_ERRORS, open_member

from .build import RouteResolver
from .syntax import _MAX_SNIFFED_MEMBERS, _ROOT_RE, SNIFF_BYTES


def _sniff_is_health(head: bytes) -> bool:
    head = head.lstrip(codecs.BOM_UTF8)
    return bool(_ROOT_RE.search(head)) or (
        head.lstrip().startswith(b"<?xml") and b"HealthData" in head
    )


def find_export_member(zf: zipfile.ZipFile) -> zipfile.ZipInfo | None:
    """The zip member holding the export, found by content (root ``<HealthData``), not by name.

    Localised exports name it e.g. ``Exportieren.xml``; ``export_cda.xml`` (root
    ``ClinicalDocument``) is not it.
    """
    candidates = [i for i in zf.infolist() if not i.is_dir()]
    candidates.sort(key=lambda i: (not i.filename.lower().endswith(".xml"), -i.file_size))
    label = zf.filename or "the zip"
    for info in candidates[:_MAX_SNIFFED_MEMBERS]:
        with open_member(zf, info, label, ImportFileError) as fh:
            head = fh.read(SNIFF_BYTES)
        if _sniff_is_health(head):
            return info
    return None


def _zip_route_resolver(zf: zipfile.ZipFile, export_name: str, path: str) -> RouteResolver:
    names = {i.filename: i for i in zf.infolist() if not i.is_dir()}
    base = PurePosixPath(export_name).parent

    def resolve(ref: str) -> list[RoutePoint] | None:
        rel = ref.lstrip("/")
        info = names.get(str(base / rel)) or next(
            (v for k, v in names.items() if k.endswith("/" + rel) or k == rel), None
        )
        if info is None:
            return None
        with open_member(zf, info, path, ImportFileError) as fh:
            return gpx_io.read_points(fh, f"{path}!{info.filename}")

    return resolve


def _dir_route_resolver(folder: Path) -> RouteResolver:
    def resolve(ref: str) -> list[RoutePoint] | None:
        candidate = (folder / ref.lstrip("/")).resolve()
        if folder.resolve() not in candidate.parents or not candidate.is_file():
            return None
        return gpx_io.read_points(candidate)

    return resolve


def is_apple_export(path: str | Path) -> bool:
    """Sniff: a zip holding a HealthData XML, or an XML whose root is ``<HealthData``."""
    path = Path(path)
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf:
                return find_export_member(zf) is not None
        with open(path, "rb") as fh:
            return _sniff_is_health(fh.read(SNIFF_BYTES))
    except ZIP_ERRORS:
        return False
