"""Core commands: init, serve, walker (add, set, list), log, checkin, plan, status, evidence."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from walkrx.evidence.red_flags import SCREEN_CODES
from walkrx.web.server import DEFAULT_THREADS

from ._answers import answer_args, read_answers
from ._common import (
    EXIT_OK,
    EXIT_PAUSED,
    CliError,
    date_arg,
    emit_json,
    emit_state,
    get_walker,
    pain_arg,
    time_arg,
    zone_arg,
)

GOALS = ("prevent-recurrence", "relieve-pain", "lower-risk")
CONDITIONS = ("spinal-stenosis", "disc-herniation", "spondylolisthesis", "microdiscectomy")
TERRAINS = ("flat", "hills", "stairs", "treadmill", "pool")


def register(sub: Any) -> None:
    """Add the core commands."""
    p = sub.add_parser("init", help="create WALKRX_HOME and the database")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("serve", help="run the web app")
    p.add_argument("--demo", action="store_true", help="create the demo walker if missing")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument(
        "--processes",
        type=int,
        help="web worker processes (default: two per CPU core, at most 16; Linux and macOS)",
    )
    p.add_argument(
        "--threads",
        type=int,
        default=DEFAULT_THREADS,
        help=f"threads per web process (default {DEFAULT_THREADS})",
    )
    p.add_argument(
        "--server",
        choices=("auto", "gunicorn", "waitress"),
        default="auto",
        help="auto: gunicorn (processes x threads) where the OS forks, else waitress "
        "(one process, threads)",
    )
    p.add_argument(
        "--debug",
        action="store_true",
        help="Django debug pages (development only; never in production)",
    )
    p.add_argument(
        "--no-worker",
        action="store_true",
        help="do not start the import worker (run `walkrx worker` separately)",
    )
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("worker", help="run the import worker (uploads are measured there)")
    p.add_argument(
        "--concurrency",
        type=int,
        choices=(1, 2),
        help="jobs at a time (default: WALKRX_JOB_CONCURRENCY or 1)",
    )
    p.set_defaults(func=cmd_worker)

    walker = sub.add_parser("walker", help="manage walkers")
    wsub = walker.add_subparsers(dest="walker_command", metavar="ACTION")
    wsub.required = True
    p = wsub.add_parser("add", help="add a walker")
    p.add_argument("name")
    p.add_argument("--age", type=int, required=True)
    p.add_argument("--goal", choices=GOALS, required=True)
    p.add_argument("--condition", choices=CONDITIONS, action="append", default=[])
    p.add_argument("--surgery-date", type=date_arg)
    p.add_argument("--baseline-minutes", type=int, help="walking minutes per day before starting")
    p.add_argument("--baseline-steps", type=int, help="steps per day before starting")
    p.add_argument("--tz", type=zone_arg, default="UTC", help="IANA time zone, e.g. Europe/Oslo")
    p.add_argument("--start", type=date_arg, help="program start date (default: today)")
    p.add_argument("--pain-limit", type=pain_arg, help="clinician's pain limit (default 3/10)")
    p.add_argument("--target-minutes", type=int, help="clinician's session target in minutes")
    p.add_argument("--target-days", type=int, help="clinician's target days per week")
    answer_args(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_walker_add)
    p = wsub.add_parser("set", help="change a walker's settings (each change is logged)")
    p.add_argument("name")
    p.add_argument("--by", required=True, help="who makes the change (a username)")
    p.add_argument("--pain-limit", type=pain_arg)
    p.add_argument("--walking-days", help="weekdays 0-6 (0 = Monday), comma-separated")
    p.add_argument("--bout-cap", type=int, dest="bout_cap_min", help="longest bout, minutes")
    p.add_argument("--condition", choices=CONDITIONS, action="append", dest="conditions")
    p.add_argument("--surgery-date", type=date_arg)
    p.add_argument("--surgery-cleared-on", type=date_arg, help="clinician clearance after surgery")
    p.add_argument("--max-hr", type=int, help="maximum heart rate, bpm")
    p.add_argument("--target-minutes", type=int)
    p.add_argument("--target-days", type=int)
    p.add_argument("--max-weekly-increase-pct", type=int)
    p.add_argument("--goal", choices=GOALS)
    p.add_argument("--tz", type=zone_arg)
    p.add_argument("--preferred-time", help="preferred walking time HH:MM")
    p.add_argument("--reminder-minutes", type=int, help="remind this many minutes before")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_walker_set)

    p = wsub.add_parser("list", help="list walkers")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_walker_list)

    p = sub.add_parser("log", help="log a walk")
    p.add_argument("name")
    p.add_argument("--date", type=date_arg, required=True, help="local date of the walk")
    p.add_argument("--minutes", type=float, required=True)
    p.add_argument("--start-time", type=time_arg, help="local start time HH:MM (default 12:00)")
    p.add_argument("--steps", type=int)
    p.add_argument("--distance-m", type=float)
    p.add_argument("--pain-before", type=pain_arg)
    p.add_argument("--pain-max", type=pain_arg)
    p.add_argument("--pain-after", type=pain_arg)
    p.add_argument("--terrain", choices=TERRAINS, default="flat")
    p.add_argument("--notes", default="")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_log)

    p = sub.add_parser("checkin", help="weekly check-in (pain, symptoms, red flags)")
    p.add_argument("name")
    p.add_argument("--date", type=date_arg, required=True)
    p.add_argument("--pain", type=pain_arg, help="average pain this week")
    p.add_argument("--worst-pain", type=pain_arg)
    p.add_argument("--rest-pain", type=pain_arg)
    p.add_argument("--night-pain", action="store_true", help="night pain that disrupts sleep")
    p.add_argument("--leg-symptoms", action="store_true", help="symptoms spreading down the legs")
    p.add_argument("--flare", action="store_true", help="my back is flared up")
    p.add_argument("--highly-flared", action="store_true", help="my back is highly flared up")
    p.add_argument("--recurrence", action="store_true", help="activity-limiting pain came back")
    p.add_argument("--red-flag", action="append", default=[], metavar="CODE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_checkin)

    p = sub.add_parser("plan", help="the week's plan")
    p.add_argument("name")
    p.add_argument("--week-of", type=date_arg, help="any date in the week (default: today)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_plan)

    p = sub.add_parser("status", help="safety status and progress")
    p.add_argument("name")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("evidence", help="every number walkrx uses, with its source (Markdown)")
    p.set_defaults(func=cmd_evidence)


def _services() -> Any:
    from ._django import setup

    setup()
    from walkrx.web.walking import services

    return services


def cmd_init(args: argparse.Namespace) -> int:
    """Create the home folder and the database schema."""
    from django.conf import settings

    _services()
    print(f"walkrx home: {settings.WALKRX_HOME}", file=sys.stderr)
    print(
        f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}", file=sys.stderr
    )
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the web app: gunicorn worker processes x threads, or waitress where there is no fork.

    DEBUG is on only with ``--debug`` (whatever ``WALKRX_DEBUG`` says); the import
    worker runs beside the server as its own process unless ``--no-worker``.
    """
    import os
    import subprocess

    os.environ["WALKRX_DEBUG"] = "1" if args.debug else "0"
    svc = _services()
    from django.conf import settings
    from django.core.management import call_command

    if args.debug != settings.DEBUG:
        raise CliError("settings were loaded before `serve` could set DEBUG; refusing to serve")
    if args.threads < 1 or (args.processes is not None and args.processes < 1):
        raise CliError("--processes and --threads must be at least 1")

    call_command("collectstatic", interactive=False, verbosity=0)
    if args.demo:
        from walkrx.web.walking.demo import ensure_demo

        info = ensure_demo()
        print(
            f"demo walker ready: sign in as {info['username']} / {info['password']}",
            file=sys.stderr,
        )
    del svc
    from walkrx.web import server
    from walkrx.web.walking.jobs.worker import start_worker_process
    from walkrx.web.wsgi import application

    processes = args.processes or server.default_processes()
    use = (
        args.server if args.server != "auto" else ("gunicorn" if server.can_fork() else "waitress")
    )
    if use == "gunicorn" and not server.can_fork():
        raise CliError("--server gunicorn needs an operating system that forks (Linux, macOS)")
    workers: list[subprocess.Popen[bytes]] = []

    def start() -> None:
        if not args.no_worker:
            workers.append(start_worker_process())
        shape = (
            f"{processes} processes x {args.threads} threads"
            if use == "gunicorn"
            else f"one process, {args.threads} threads"
        )
        print(
            f"walkrx serving http://{args.host}:{args.port}/ with {use} ({shape}; data in "
            f"{settings.WALKRX_HOME}"
            f"{'; import worker pid ' + str(workers[0].pid) if workers else ''}); Ctrl-C stops",
            file=sys.stderr,
        )

    def stop() -> None:
        for worker in workers:
            worker.terminate()  # it stops its jobs' processes as it goes
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()

    server.serve(
        application,
        host=args.host,
        port=args.port,
        processes=processes,
        threads=args.threads,
        max_body=settings.WALKRX_MAX_UPLOAD_BYTES + 2**20,
        proxy=settings.WALKRX_TRUSTED_PROXY,
        server=use,
        on_start=start,
        on_stop=stop,
    )
    return EXIT_OK


def cmd_worker(args: argparse.Namespace) -> int:
    """Run the import worker until stopped: queued uploads are imported one (or two) at a time."""
    _services()
    from walkrx.web.walking.jobs.worker import run_worker

    run_worker(concurrency=args.concurrency)
    return EXIT_OK


def cmd_walker_add(args: argparse.Namespace) -> int:
    """Add a walker."""
    svc = _services()
    try:
        walker = svc.create_walker(
            name=args.name,
            age=args.age,
            goal=args.goal,
            conditions=args.condition,
            surgery_date=args.surgery_date,
            baseline_minutes=args.baseline_minutes,
            baseline_steps=args.baseline_steps,
            tz=args.tz,
            start_date=args.start or svc.local_today(args.tz),
            pain_limit=args.pain_limit,
            target_minutes=args.target_minutes,
            target_days=args.target_days,
            screening=read_answers(args, SCREEN_CODES),
        )
    except svc.ServiceError as exc:
        raise CliError(str(exc)) from None
    data = svc.walker_dict(walker)
    if args.json:
        emit_json(data)
    else:
        print(f"added walker {walker.name} (starts {walker.start_date}, zone {walker.tz})")
        if data["status"] == "unscreened":
            print(f"not screened yet: run 'walkrx screen {walker.name}' before the first walk")
        else:
            print(f"status: {data['status']}")
    return EXIT_OK


def cmd_walker_set(args: argparse.Namespace) -> int:
    """Change settings; one logged change event per changed field."""
    svc = _services()
    walker = get_walker(args.name)
    names = (
        "pain_limit",
        "bout_cap_min",
        "conditions",
        "surgery_date",
        "surgery_cleared_on",
        "max_hr",
        "target_minutes",
        "target_days",
        "max_weekly_increase_pct",
        "goal",
        "tz",
        "preferred_time",
        "reminder_minutes",
    )
    fields: dict[str, Any] = {n: getattr(args, n) for n in names if getattr(args, n) is not None}
    if args.walking_days is not None:
        fields["walking_weekdays"] = args.walking_days
    if not fields:
        raise CliError("nothing to change: give at least one setting (see --help)")
    try:
        changes = svc.change_settings(walker, by=args.by, **fields)
    except svc.ServiceError as exc:
        raise CliError(str(exc)) from None
    if args.json:
        emit_json(changes)
    else:
        for c in changes:
            print(f"{c['field']}: {c['old']!r} -> {c['new']!r} (by {c['by']})")
        if not changes:
            print("nothing changed")
    return EXIT_OK


def cmd_walker_list(args: argparse.Namespace) -> int:
    """List walkers."""
    svc = _services()
    rows = [svc.walker_dict(w) for w in svc.list_walkers()]
    if args.json:
        emit_json(rows)
    else:
        for r in rows:
            print(f"{r['name']}\t{r['goal']}\t{r['status']}")
    return EXIT_OK


def _refuse_paused(exc: Any) -> int:
    print(f"walkrx: refused: {exc}", file=sys.stderr)
    return EXIT_PAUSED


def cmd_log(args: argparse.Namespace) -> int:
    """Log a walk; refused (exit 3) when the walker is paused for safety."""
    svc = _services()
    walker = get_walker(args.name)
    try:
        outcome = svc.log_walk(
            walker,
            local_date=args.date,
            minutes=args.minutes,
            start_time=args.start_time,
            steps=args.steps,
            distance_m=args.distance_m,
            pain_before=args.pain_before,
            pain_max=args.pain_max,
            pain_after=args.pain_after,
            terrain=args.terrain,
            notes=args.notes,
            source="cli",
        )
    except svc.WalkerPaused as exc:
        return _refuse_paused(exc)
    except svc.ServiceError as exc:
        raise CliError(str(exc)) from None
    if args.json:
        emit_json(outcome.to_dict())
    else:
        print(f"logged {args.minutes:g} min on {outcome.walk.local_date}")
        for line in outcome.feedback:
            print(f"- {line}")
    return EXIT_OK


def cmd_checkin(args: argparse.Namespace) -> int:
    """Record a check-in; red flags pause the program at once."""
    svc = _services()
    walker = get_walker(args.name)
    try:
        outcome = svc.record_checkin(
            walker,
            date=args.date,
            avg_pain=args.pain,
            worst_pain=args.worst_pain,
            rest_pain=args.rest_pain,
            night_pain=args.night_pain,
            leg_symptoms=args.leg_symptoms,
            flare=args.flare,
            highly_flared=args.highly_flared,
            recurrence=args.recurrence,
            red_flags=args.red_flag,
        )
    except svc.ServiceError as exc:
        raise CliError(str(exc)) from None
    return emit_state(args.json, f"check-in saved for {args.date}", outcome)


def cmd_plan(args: argparse.Namespace) -> int:
    """Show the plan for a week."""
    svc = _services()
    walker = get_walker(args.name)
    week_of: dt.date = args.week_of or svc.local_today(walker.tz)
    try:
        plan = svc.plan_for(walker, week_of)
    except svc.ServiceError as exc:
        raise CliError(str(exc)) from None
    data = plan.to_dict()
    if args.json:
        emit_json(data)
        return EXIT_OK
    print(f"Week of {data['week_start']} — status: {data['status']}")
    if not data["sessions"]:
        print("No walks planned this week.")
    for s in data["sessions"]:
        aids = f" with {', '.join(s['aids'])}" if s["aids"] else ""
        print(f"  {s['date']}  {s['minutes']:g} min in {s['bouts']} bout(s), {s['mode']}{aids}")
    if data["daily_volume_target_min"] is not None:
        print(f"Daily walking target: {data['daily_volume_target_min']} min")
    for r in data["reasons"]:
        print(f"  * {r['text']} [{r['source']}]")
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    """Safety status and a short progress summary."""
    svc = _services()
    walker = get_walker(args.name)
    data = svc.status_of(walker)
    if args.json:
        emit_json(data)
    else:
        print(f"{walker.name}: {data['status']}")
        for line in data.get("advice", []):
            print(f"- {line}")
        print(f"days free of recurrence: {data['days_free_of_recurrence']}")
    return EXIT_OK


def cmd_evidence(args: argparse.Namespace) -> int:
    """Print the evidence catalogue."""
    from .docs import evidence_markdown

    sys.stdout.write(evidence_markdown())
    return EXIT_OK
