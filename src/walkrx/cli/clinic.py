"""Clinic commands: clinician add/list, link, unlink (for a deployment's onboarding scripts)."""

from __future__ import annotations

import argparse
from typing import Any

from ._common import EXIT_OK, CliError, emit_json


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


def _svc() -> Any:
    from ._django import setup

    setup()
    from walkrx.web.clinic import services

    return services


def _walker(name: str) -> Any:
    from walkrx.web.walking import services as walking

    try:
        return walking.get_walker(name)
    except walking.ServiceError as exc:
        raise CliError(str(exc)) from None


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
    walker = _walker(args.walker)
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
    walker = _walker(args.walker)
    try:
        link = svc.unlink_walker(walker, by="cli", reason=args.reason)
    except svc.ServiceError as exc:
        raise CliError(str(exc)) from None
    if args.json:
        emit_json(_link_dict(link))
    else:
        print(f"{walker.name} is no longer linked to {link.clinician.username}")
    return EXIT_OK
