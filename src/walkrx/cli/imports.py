"""Import commands: ``walkrx import`` (consumer files) and ``walkrx days`` (daily records).

``walkrx import NAME FILE... [--tz ZONE] [--json]`` imports Apple Health, Garmin FIT, GPX,
Fitbit JSON and step CSV files in one transaction, with a progress bar on stderr. Exit codes:
0 ok, 1 error (file and problem on stderr, nothing stored), 2 usage.

``walkrx days NAME [--from DATE] [--to DATE] [--json]`` lists the walker's daily records
whatever they came from: imported (merged consumer data), measured (research sensors) and
manual (walks logged by hand, aggregated per local date).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from ._common import EXIT_ERROR, EXIT_OK, EXIT_USAGE, CliError, date_arg, emit_json, zone_arg


def register(sub: Any) -> None:
    """Add the ``import`` and ``days`` commands."""
    p = sub.add_parser(
        "import",
        help="import walking data (Apple Health, Garmin FIT, GPX, Fitbit JSON, step CSV)",
        description="Import consumer walking data for a walker. One transaction: a damaged or "
        "hostile file stores nothing. Re-importing a file changes nothing.",
    )
    p.add_argument("name", help="walker name")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument(
        "--tz",
        type=zone_arg,
        help="IANA zone for files without UTC offsets (Fitbit, CSV, GPX); default: the walker's",
    )
    p.add_argument("--json", action="store_true", help="JSON summary on stdout")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("days", help="daily walking records (imported, measured, manual)")
    p.add_argument("name", help="walker name")
    p.add_argument("--from", dest="date_from", type=date_arg, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=date_arg, metavar="YYYY-MM-DD")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_days)


def _setup() -> None:
    try:
        from ._django import setup
    except ImportError:  # pragma: no cover - the foundation helper is missing
        import os

        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "walkrx.web.settings")
        django.setup()
        return
    setup()


def cmd_import(args: argparse.Namespace) -> int:
    """Import files; print the summary."""
    for path in args.files:
        if not path.is_file():
            raise CliError(f"{path}: no such file", EXIT_USAGE)
    _setup()
    from tqdm import tqdm

    from walkrx.consumer.records import ImportFileError
    from walkrx.web.imports.services import import_files
    from walkrx.web.walking.models import Walker

    total = sum(p.stat().st_size for p in args.files)
    bar = tqdm(
        total=total,
        unit="B",
        unit_scale=True,
        desc="import",
        file=sys.stderr,
        disable=args.no_progress or None,
    )
    done: dict[str, int] = {}

    def progress(read: int, size: int, name: str) -> None:
        previous = done.get(name, 0)
        if read > previous:
            bar.update(read - previous)
            done[name] = read
        bar.set_postfix_str(name, refresh=False)

    try:
        summary = import_files(args.name, args.files, progress, tz=args.tz)
    except Walker.DoesNotExist:
        raise CliError(f"no walker named {args.name!r} (add one with: walkrx walker add)") from None
    except ImportFileError as exc:
        raise CliError(f"{exc} — nothing was stored", EXIT_ERROR) from None
    finally:
        bar.close()
    data = summary.as_dict()
    if args.json:
        emit_json(data)
        return EXIT_OK
    t = data["totals"]
    print(
        f"{args.name}: {t['days_added']} days added, {t['days_updated']} updated, "
        f"{t['days_unchanged']} unchanged; {t['new_records']} new of {t['records']} records"
    )
    for f in data["files"]:
        note = " (already imported)" if f["already_imported"] else ""
        print(f"  {f['path']}: {f['format']}, {f['records']} records, {f['new_records']} new{note}")
        for reason, n in sorted(f["skipped"].items()):
            print(f"    skipped {n}: {reason}")
        for line in f["notes"]:
            print(f"    note: {line}")
    return EXIT_OK


def daily_rows(
    walker_name: str, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> list[dict[str, Any]]:
    """Daily records of a walker from every origin, manual walks aggregated per local date."""
    from collections import defaultdict

    from walkrx.web.walking.models import DailyActivity, Walk, Walker

    walker = Walker.objects.get(name=walker_name)
    days = DailyActivity.objects.filter(walker=walker).exclude(origin="manual")
    walks = Walk.objects.filter(walker=walker)
    if date_from:
        days = days.filter(date__gte=date_from)
        walks = walks.filter(local_date__gte=date_from)
    if date_to:
        days = days.filter(date__lte=date_to)
        walks = walks.filter(local_date__lte=date_to)
    rows: list[dict[str, Any]] = [
        {
            "date": d.date,
            "origin": d.origin,
            "steps": d.steps,
            "walk_min": d.walk_min,
            "distance_m": d.distance_m,
            "steps_by_source": d.steps_by_source or {},
        }
        for d in days
    ]
    manual: dict[dt.date, dict[str, Any]] = defaultdict(
        lambda: {"steps": None, "walk_min": 0.0, "distance_m": None, "walks": 0}
    )
    for w in walks:
        m = manual[w.local_date]
        m["walks"] += 1
        m["walk_min"] += w.minutes
        if w.steps is not None:
            m["steps"] = (m["steps"] or 0) + w.steps
        if w.distance_m is not None:
            m["distance_m"] = (m["distance_m"] or 0.0) + w.distance_m
    for day, m in manual.items():
        rows.append(
            {
                "date": day,
                "origin": "manual",
                "steps": m["steps"],
                "walk_min": round(m["walk_min"], 2),
                "distance_m": m["distance_m"],
                "steps_by_source": {"manual log": m["steps"]} if m["steps"] else {},
            }
        )
    order = {"measured": 0, "imported": 1, "manual": 2}
    rows.sort(key=lambda r: (r["date"], order.get(r["origin"], 3)))
    return rows


def cmd_days(args: argparse.Namespace) -> int:
    """List daily records."""
    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise CliError("--from must not be after --to", EXIT_USAGE)
    _setup()
    from walkrx.web.walking.models import Walker

    try:
        rows = daily_rows(args.name, args.date_from, args.date_to)
    except Walker.DoesNotExist:
        raise CliError(f"no walker named {args.name!r}") from None
    if args.json:
        emit_json(rows)
        return EXIT_OK
    if not rows:
        print(f"{args.name}: no daily records")
        return EXIT_OK
    print(
        f"{'date':10s}  {'origin':8s}  {'steps':>7s}  {'walk_min':>8s}  {'distance_m':>10s}  sources"
    )
    for r in rows:
        steps = "" if r["steps"] is None else str(r["steps"])
        walk = "" if r["walk_min"] is None else f"{r['walk_min']:.1f}"
        dist = "" if r["distance_m"] is None else f"{r['distance_m']:.0f}"
        sources = ", ".join(f"{k}: {v}" for k, v in r["steps_by_source"].items())
        print(
            f"{r['date']!s:10s}  {r['origin']:8s}  {steps:>7s}  {walk:>8s}  {dist:>10s}  {sources}"
        )
    return EXIT_OK
