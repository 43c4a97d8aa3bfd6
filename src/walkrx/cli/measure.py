"""``walkrx measure``: raw accelerometer recordings in, one output folder per file out.

Progress goes to stderr; ``--json`` prints a list with one summary per file on stdout.
A file that cannot be read is reported on stderr and the command exits 1, after the
other files have been processed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ._common import EXIT_ERROR, EXIT_OK, emit_json

PLACEMENT_CHOICES = ("lower-back", "thigh", "wrist")


def register(subparsers: Any) -> None:
    """Add the ``measure`` command."""
    p = subparsers.add_parser(
        "measure",
        help="measure walking (bouts, steps, cadence, MET) in raw accelerometer files",
        description="Measure walking in raw accelerometer recordings (.cwa, .gt3x, CSV in g). "
        "Writes Info.json, daily/minutely/bouts tables (CSV and Parquet) and a QC plot "
        "per file.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="recording(s) to measure")
    p.add_argument(
        "--placement",
        required=True,
        choices=PLACEMENT_CHOICES,
        help="where the sensor was worn (stated, never guessed)",
    )
    p.add_argument(
        "--tz", default=None, help="IANA time zone, e.g. Europe/Oslo (default: file's, else UTC)"
    )
    p.add_argument(
        "--preset",
        default=None,
        help="step preset (default: the placement's, e.g. walkrx-lower-back); "
        "walkrx-lower-back-fixed and walkrx-wrist-fixed are the defaults before the adaptive "
        "thresholds, for comparison with earlier outputs (docs/measure.md)",
    )
    p.add_argument("--out", default="walkrx-out", help="output folder (default: walkrx-out)")
    p.add_argument(
        "--walker", default=None, help="store the days as this walker's measured walking"
    )
    p.add_argument("--json", action="store_true", help="print a JSON summary list on stdout")
    p.add_argument(
        "--chunk-samples", type=int, default=2_000_000, help="samples read per chunk (memory bound)"
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Measure every file; return 0 when all succeeded, 1 when any failed."""
    from walkrx.measure import MeasureSettings, measure_file
    from walkrx.sensors.base import ReaderError
    from walkrx.signal.presets import PRESETS

    settings = None
    preset = getattr(args, "preset", None)
    if preset is not None:
        step = PRESETS.get(preset)
        if step is None or step.placement != args.placement:
            names = ", ".join(n for n, q in PRESETS.items() if q.placement == args.placement)
            print(
                f"walkrx: error: --preset {preset!r} is not a {args.placement} preset; "
                f"choose from {names}",
                file=sys.stderr,
            )
            return EXIT_ERROR
        settings = MeasureSettings(placement=args.placement, step=step)

    summaries: list[dict[str, Any]] = []
    failed = 0
    for name in args.files:
        path = Path(name)
        bar = None
        progress = None
        if not getattr(args, "no_progress", False):
            from tqdm import tqdm

            bar = tqdm(
                total=0,
                unit="sample",
                unit_scale=True,
                desc=path.name,
                file=sys.stderr,
                leave=False,
            )

            def progress(done: int, total: int, _bar: Any = bar) -> None:
                _bar.total = total
                _bar.n = done
                _bar.refresh()

        try:
            result = measure_file(
                path,
                args.placement,
                tz=args.tz,
                out_dir=args.out,
                chunk_samples=args.chunk_samples,
                settings=settings,
                progress=progress,
            )
        except ReaderError as exc:
            print(f"walkrx: error: {exc}", file=sys.stderr)
            failed += 1
            continue
        except (OSError, ValueError) as exc:
            print(f"walkrx: error: {path}: {exc}", file=sys.stderr)
            failed += 1
            continue
        finally:
            if bar is not None:
                bar.close()
        summary = result.summary
        if args.walker:
            summary["stored"] = _store(args.walker, summary["days"], str(path))
        summaries.append(summary)
        if not args.json:
            print(
                f"{path}: {summary['total_steps']} steps, {summary['total_walk_min']:.1f} walking min, "
                f"{summary['valid_days']} valid days -> {summary.get('out_dir')}",
                file=sys.stderr,
            )
    if args.json:
        emit_json(summaries)
    return EXIT_ERROR if failed else EXIT_OK


def _store(walker: str, days: list[dict[str, Any]], source_file: str) -> dict[str, int]:
    """Store measured days for a walker through the web service layer (lazy Django import)."""
    from ._django import setup

    setup()
    from walkrx.web.walking.services import store_measured_days

    return store_measured_days(walker, days, source_file)
