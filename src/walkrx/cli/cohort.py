"""Research commands: ``walkrx cohort measure`` and ``walkrx cohort analyze``.

``measure`` processes a folder of recordings on Dask (a local cluster, or ``--scheduler``);
``analyze`` turns the collated day table and an outcomes CSV into HUNT-style risk ratios.
Progress and messages go to stderr; ``--json`` prints a summary on stdout.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ._common import EXIT_ERROR, EXIT_OK, CliError, emit_json, zone_arg
from .measure import PLACEMENT_CHOICES as PLACEMENTS


def register(sub: Any) -> None:
    """Add the ``cohort`` command and its ``measure`` / ``analyze`` actions."""
    cohort = sub.add_parser(
        "cohort",
        help="research mode: batch-process a cohort on Dask, estimate risk ratios",
        description="Research mode. Results are observational associations, not causal effects.",
    )
    csub = cohort.add_subparsers(dest="cohort_command", metavar="ACTION")
    csub.required = True

    p = csub.add_parser(
        "measure",
        help="process every recording in a folder (one Dask task per recording)",
        description="Process every recording in DIR, one Dask task per recording, each into "
        "OUT/recordings/<participant_id>/. A rerun skips finished recordings. Writes a QC "
        "table (OUT/qc.*) and a per-participant per-day table (OUT/days.*).",
    )
    p.add_argument("dir", type=Path, metavar="DIR", help="folder of recordings")
    p.add_argument(
        "--placement", required=True, choices=PLACEMENTS, help="where the sensor was worn"
    )
    p.add_argument("--out", type=Path, required=True, help="cohort output folder")
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "--workers", type=_positive_int, help="local worker processes (default: one per core)"
    )
    where.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="address of a running Dask scheduler (inputs and output on a shared file system)",
    )
    p.add_argument("--tz", type=zone_arg, help="IANA time zone when the files do not say")
    p.add_argument(
        "--strict", action="store_true", help="exit 1 when any recording failed (default 0)"
    )
    p.add_argument("--no-progress", action="store_true", help="do not draw the progress bar")
    p.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    p.set_defaults(func=cmd_measure)

    p = csub.add_parser(
        "analyze",
        help="adjusted risk ratios by HUNT walking volume and intensity categories",
        description="Join DAYS (Parquet or CSV: participant_id, date, walk_min, mean_met, "
        "valid_day) with OUTCOMES.csv (participant_id, the 0/1 outcome, covariates) and "
        "estimate adjusted risk ratios (Poisson GLM, log link, robust HC0 errors) by HUNT "
        "categories, per 30 min/day and as a restricted cubic spline. Observational: an "
        "association, not causation.",
    )
    p.add_argument("days", type=Path, metavar="DAYS", help="day table (.parquet or .csv)")
    p.add_argument("outcomes", type=Path, metavar="OUTCOMES.csv", help="outcomes table")
    p.add_argument("--outcome", required=True, metavar="COL", help="0/1 outcome column")
    p.add_argument(
        "--covariates",
        default="",
        metavar="a,b,C(c)",
        help="comma-separated covariate columns; C(name) for a categorical one",
    )
    p.add_argument("--out", type=Path, required=True, metavar="REPORT_DIR", help="report folder")
    p.add_argument(
        "--mutual-adjustment",
        action="store_true",
        help="adjust volume for intensity and intensity for volume",
    )
    p.add_argument("--json", action="store_true", help="print the RR rows as JSON on stdout")
    p.set_defaults(func=cmd_analyze)


def _positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {n}")
    return n


def split_covariates(text: str) -> list[str]:
    """Split ``a,b,C(c)`` on commas outside parentheses."""
    parts: list[str] = []
    depth, current = 0, ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip():
        parts.append(current.strip())
    return [p for p in parts if p]


def cmd_measure(args: argparse.Namespace) -> int:
    """Run ``walkrx cohort measure``."""
    from walkrx.research.cohort import run_cohort

    if not args.dir.is_dir():
        raise CliError(f"{args.dir}: input folder not found")
    try:
        result = run_cohort(
            args.dir,
            args.placement,
            args.out,
            workers=args.workers,
            scheduler_address=args.scheduler,
            tz=args.tz,
            show_progress=not args.no_progress,
        )
    except (OSError, ValueError) as exc:
        raise CliError(str(exc)) from None
    summary = result.to_json()
    c = result.counts
    print(
        f"walkrx cohort: {len(result.qc)} files: {c['ok']} processed, {c['skipped']} skipped "
        f"(done earlier), {c['error']} failed; {summary['participants']} participants, "
        f"{summary['days']} days -> {args.out}",
        file=sys.stderr,
    )
    for err in summary["errors"]:
        print(f"walkrx cohort: {err['file']}: {err['error']}", file=sys.stderr)
    if args.json:
        emit_json(summary)
    return EXIT_ERROR if args.strict and c["error"] else EXIT_OK


def cmd_analyze(args: argparse.Namespace) -> int:
    """Run ``walkrx cohort analyze``."""
    from walkrx.research.analysis import AnalysisInputError, analyze
    from walkrx.research.report import markdown_report

    try:
        result = analyze(
            args.days,
            args.outcomes,
            args.outcome,
            split_covariates(args.covariates),
            args.out,
            mutual_adjustment=args.mutual_adjustment,
        )
    except AnalysisInputError as exc:
        raise CliError(str(exc)) from None
    if args.json:
        emit_json(_finite(result.to_json()))
    else:
        sys.stdout.write(markdown_report(result))
    print(f"walkrx cohort: report written to {args.out}", file=sys.stderr)
    return EXIT_OK


def _finite(obj: Any) -> Any:
    """Replace NaN/inf floats by None so the JSON is standard."""
    if isinstance(obj, float):
        return obj if obj == obj and abs(obj) != float("inf") else None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_finite(v) for v in obj]
    return obj
