"""What an upload did, in plain words: the days added or changed, the device, or the problem.

The job's own status (state, counts, message) is read, never changed; the technical
message goes into a "details" box on the page.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from walkrx.ingest.detect import Detected, UnknownFile, detect_upload

from .models import DailyActivity, Walker

#: Problems recognised in a reader's message -> what a person is told.
_PROBLEMS = (
    (("empty file", "0 bytes"), "The file is empty: there is nothing in it to read."),
    (
        ("a zip without an apple health",),
        "This zip file does not hold an Apple Health export. On your iPhone, open Health, tap "
        "your picture, then \u201cExport All Health Data\u201d, and upload that file.",
    ),
    (
        ("unknown format", "unrecognised content", "not a walking file"),
        "We could not tell what kind of file this is. walkrx reads exports from Apple Health, "
        "Garmin (.fit), Fitbit, GPX tracks, step tables (CSV) and research sensors "
        "(Axivity .cwa, ActiGraph .gt3x).",
    ),
    (
        (
            "crc",
            "checksum",
            "truncated",
            "unexpected end",
            "eof",
            "damaged",
            "corrupt",
            "not well-formed",
            "syntax error",
            "no element found",
            "invalid",
            "bad header",
            "malformed",
            "unclosed",
        ),
        "The file looks damaged or incomplete, so it could not be read. This can happen when "
        "a download or copy stops early. Export it again from your device or app and upload "
        "the new file.",
    ),
)
#: Messages that mean "read fine, but nothing about walking in it".
_NOTHING = ("no timed track points", "no walking", "no step", "no records", "no usable")
NOTHING_FOUND = (
    "If you expected walks here, check that the export covers the right dates and includes "
    "steps or workouts."
)
_DEFAULT_PROBLEM = (
    "The file could not be read. Try exporting it again from your device or app; if it keeps "
    "happening, the details below help whoever looks after your walkrx."
)


def plain_problem(message: str) -> str:
    """A reader's error message as a sentence a person understands."""
    low = message.lower()
    if any(n in low for n in _NOTHING):
        return NOTHING_FOUND
    for needles, words in _PROBLEMS:
        if any(n in low for n in needles):
            return words
    return _DEFAULT_PROBLEM


def detected(path: Path | None) -> Detected | None:
    """The format of a stored upload, judged by content (``None`` if unknown or gone)."""
    if path is None or not path.is_file():
        return None
    try:
        return detect_upload(path)
    except (UnknownFile, OSError):
        return None


#: Days listed on an upload's result page: the latest ones (a 6-year export has 2,200 rows,
#: which took the page about a second to render); the rest are counted.
DAYS_SHOWN = 62


def _days(walker: Walker, job: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """The latest :data:`DAYS_SHOWN` days the job added or updated, and how many more it did."""
    created = job.get("created")
    since = dt.datetime.fromisoformat(created) if created else None
    rows = DailyActivity.objects.filter(
        walker=walker,
        source_file__contains=job.get("file", ""),
        origin__in=("imported", "measured"),
    )
    if since is not None:
        rows = rows.filter(updated_at__gte=since)
    total = rows.count()
    out = []
    for row in reversed(rows.order_by("-date")[:DAYS_SHOWN]):
        sources = sorted((row.steps_by_source or {}).keys())
        out.append(
            {
                "date": row.date,
                "steps": row.steps,
                "minutes": None if row.walk_min is None else round(row.walk_min),
                "sources": sources,
            }
        )
    return out, total - len(out)


def describe(walker: Walker, job: dict[str, Any], upload: Path | None) -> dict[str, Any]:
    """The result page's words for one upload job (``upload``: where its file is kept now)."""
    state = job.get("state")
    fmt = detected(upload)
    out: dict[str, Any] = {
        "state": state,
        "device": fmt.device if fmt else "",
        "running": state in ("queued", "running"),
        "days": [],
        "days_more": 0,
        "headline": "",
        "detail": "",
        "technical": "",
        "stored": upload is not None and upload.is_file(),
    }
    name = job.get("file", "the file")
    if out["running"]:
        out["headline"] = "Reading your file. This page updates by itself."
        return out
    if state == "failed":
        out["detail"] = plain_problem(str(job.get("message", "")))
        if out["detail"] == NOTHING_FOUND:
            out["headline"] = (
                f"We read {name}, but found no walking or step data in it. Nothing was added."
            )
        else:
            out["headline"] = f"{name} could not be imported. Nothing from it was stored."
        out["technical"] = str(job.get("message", ""))
        return out
    if state == "cancelled":
        out["headline"] = f"You stopped the import of {name}. Nothing from it was stored."
        return out
    if state == "unsupported":
        out["headline"] = "This kind of file cannot be imported on this installation yet."
        return out
    counts = job.get("counts") or {}
    added = int(counts.get("days_added", counts.get("added", 0)) or 0)
    updated = int(counts.get("days_updated", counts.get("updated", 0)) or 0)
    unchanged = int(counts.get("days_unchanged", counts.get("unchanged", 0)) or 0)
    out["days"], out["days_more"] = _days(walker, job)
    source = f" from {fmt.device}" if fmt else ""
    if added + updated == 0 and unchanged:
        out["headline"] = (
            f"Nothing new in {name}: its {unchanged} day{'s' if unchanged != 1 else ''} of "
            "walking were already in walkrx."
        )
    elif added + updated == 0:
        out["headline"] = (
            f"We read {name}{source}, but found no walking or step data in it. Nothing was added."
        )
        out["detail"] = NOTHING_FOUND
    else:
        parts = []
        if added:
            parts.append(f"{added} new day{'s' if added != 1 else ''}")
        if updated:
            parts.append(f"{updated} day{'s' if updated != 1 else ''} updated")
        out["headline"] = f"Imported {' and '.join(parts)} of walking{source}."
    return out
