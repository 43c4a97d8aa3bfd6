"""Clinic commands: clinician add/list, link, unlink, caseload, report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ._common import EXIT_OK, CliError, date_arg, emit_json, get_walker


def register(sub: Any) -> None:
    """Add the clinic commands."""
    clin = sub.add_parser("clinician", help="manage clinician accounts")
    csub = clin.add_subparsers(dest="clinician_command", metavar="ACTION")
    csub.required = True
    p = csub.add_parser(
        "add",
        help="add a clinician (they set a password with the password-reset page)",
    )
    p.add_argument("username")
    p.add_argument("--name", required=True, help='full name, e.g. "Kari Nordmann"')
    p.add_argument("--email")
    p.add_argument("--profession", default="Physiotherapist")
    p.add_argument("--registration", default="", help="professional registration number")
    p.add_argument("--clinic", default="")
    p.add_argument(
        "--clinic-admin",
        action="store_true",
        help="may create clinicians on the web and read the whole audit log",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_clinician_add)
    p = csub.add_parser("list", help="list clinicians")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_clinician_list)

    p = sub.add_parser("link", help="make a clinician the walker's responsible clinician")
    p.add_argument("walker")
    p.add_argument("username", help="the clinician's username")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_link)

    p = sub.add_parser("unlink", help="end the walker's link to their clinician")
    p.add_argument("walker")
    p.add_argument("--reason", default="")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_unlink)

    p = sub.add_parser(
        "caseload", help="a clinician's walkers, most in need of attention first (as the page)"
    )
    p.add_argument("clinician", help="the clinician's username")
    p.add_argument("--alert", default="", help="only walkers with this alert code")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_caseload)

    p = sub.add_parser("report", help="a walker's PDF report over a period")
    p.add_argument("walker")
    p.add_argument("--from", dest="start", type=date_arg, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="end", type=date_arg, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--out", type=Path, required=True, help="where to write the PDF")
    p.set_defaults(func=cmd_report)


def _svc() -> Any:
    from ._django import setup

    setup()
    from walkrx.web.clinic import services

    return services


def cmd_clinician_add(args: argparse.Namespace) -> int:
    """Add a clinician account."""
    svc = _svc()
    try:
        clinician = svc.add_clinician(
            args.username,
            full_name=args.name,
            email=args.email,
            profession=args.profession,
            registration=args.registration,
            clinic=args.clinic,
            is_clinic_admin=args.clinic_admin,
        )
    except svc.ServiceError as exc:
        raise CliError(str(exc)) from None
    if args.json:
        emit_json(svc.clinician_dict(clinician))
    else:
        print(f"added clinician {clinician.username} ({clinician.full_name})")
    return EXIT_OK


def cmd_clinician_list(args: argparse.Namespace) -> int:
    """List clinicians."""
    svc = _svc()
    rows = [svc.clinician_dict(c) for c in svc.list_clinicians()]
    if args.json:
        emit_json(rows)
    else:
        for r in rows:
            print(f"{r['username']}\t{r['full_name']}\t{r['walkers']} walker(s)")
    return EXIT_OK


def _link_dict(link: Any) -> dict[str, Any]:
    return {
        "walker": link.walker.name,
        "clinician": link.clinician.username,
        "clinician_name": link.clinician.full_name,
        "started_at": link.started_at,
        "ended_at": link.ended_at,
    }


def cmd_link(args: argparse.Namespace) -> int:
    """Link a walker to a clinician."""
    svc = _svc()
    walker = get_walker(args.walker)
    try:
        link = svc.link_walker(walker, args.username, by="cli")
    except svc.ServiceError as exc:
        raise CliError(str(exc)) from None
    if args.json:
        emit_json(_link_dict(link))
    else:
        print(f"{walker.name} is linked to {link.clinician.full_name} ({link.clinician.username})")
    return EXIT_OK


def cmd_unlink(args: argparse.Namespace) -> int:
    """End a walker's link."""
    svc = _svc()
    walker = get_walker(args.walker)
    try:
        link = svc.unlink_walker(walker, by="cli", reason=args.reason)
    except svc.ServiceError as exc:
        raise CliError(str(exc)) from None
    if args.json:
        emit_json(_link_dict(link))
    else:
        print(f"{walker.name} is no longer linked to {link.clinician.username}")
    return EXIT_OK


def cmd_caseload(args: argparse.Namespace) -> int:
    """Print the caseload in the page's order, with the same alerts."""
    svc = _svc()
    try:
        clinician = svc.get_clinician(args.clinician)
    except svc.ServiceError as exc:
        raise CliError(str(exc)) from None
    rows = svc.caseload(clinician, alert=args.alert)
    if args.json:
        emit_json([r.to_dict() for r in rows])
        return EXIT_OK
    for r in rows:
        alerts = ", ".join(f"{a['label']} ({a['age']})" for a in r.items) or "-"
        d = r.data
        print(
            f"{r.name}\t{d['status']}\tweek {d['week_index']}\t{d['done']}/{d['planned']}\t{alerts}"
        )
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    """Write a walker's PDF report."""
    svc = _svc()
    from walkrx.web.clinic.services.report import render_pdf, report_data
    from walkrx.web.walking import services as walking

    walker = get_walker(args.walker)
    try:
        data = report_data(walker, args.start, args.end)
    except walking.ServiceError as exc:
        raise CliError(str(exc)) from None
    pdf = render_pdf(data, walking.local_today(walker.tz))
    try:
        args.out.write_bytes(pdf)
    except OSError as exc:
        raise CliError(f"cannot write {args.out}: {exc.strerror}") from None
    del svc
    print(f"wrote {args.out} ({len(pdf):,} bytes)", file=sys.stderr)
    return EXIT_OK
