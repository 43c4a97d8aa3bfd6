"""Interop commands: fhir (R4 bundle), calendar (iCalendar feed and its link), api-token."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ._common import EXIT_OK, CliError, emit_json, get_walker


def register(sub: Any) -> None:
    """Add the interop commands."""
    p = sub.add_parser("fhir", help="the walker's data as a FHIR R4 Bundle (JSON)")
    p.add_argument("name")
    p.add_argument("--out", type=Path, help="file to write (default: stdout)")
    p.add_argument(
        "--no-validate",
        action="store_true",
        help="skip checking every resource against the FHIR R4 definitions",
    )
    p.set_defaults(func=cmd_fhir)

    p = sub.add_parser("calendar", help="the walker's planned walks as an iCalendar feed (.ics)")
    p.add_argument("name")
    p.add_argument("--out", type=Path, help="file to write (default: stdout)")
    p.add_argument(
        "--new-link",
        action="store_true",
        help="make a secret subscription link (the old one stops working) and print its path",
    )
    p.add_argument("--revoke-link", action="store_true", help="turn the subscription link off")
    p.set_defaults(func=cmd_calendar)

    p = sub.add_parser("api-token", help="make a personal JSON API token for a user")
    p.add_argument("username")
    p.add_argument("--name", default="", help="what the token is for")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_api_token)


def _setup() -> Any:
    from ._django import setup

    setup()
    from walkrx.web.interop import services

    return services


def _write(data: bytes, out: Path | None, what: str) -> None:
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise CliError(f"{out}: cannot write the {what}: {exc.strerror}") from None
    print(f"wrote {what} to {out}", file=sys.stderr)


def cmd_fhir(args: argparse.Namespace) -> int:
    """Write the FHIR R4 bundle, validated resource by resource."""
    svc = _setup()
    walker = get_walker(args.name)
    bundle = svc.fhir_bundle(walker)
    if not args.no_validate:
        from walkrx.interop.fhir_check import FhirInvalid, validate_bundle

        try:
            n = validate_bundle(bundle)
        except FhirInvalid as exc:
            raise CliError(f"the bundle is not valid FHIR R4 (please report this): {exc}") from None
        print(f"{n} resources, each valid FHIR R4 (4.0.1)", file=sys.stderr)
    _write((json.dumps(bundle, indent=2) + "\n").encode(), args.out, "FHIR bundle")
    return EXIT_OK


def cmd_calendar(args: argparse.Namespace) -> int:
    """Write the iCalendar feed, or make / revoke its subscription link."""
    svc = _setup()
    walker = get_walker(args.name)
    if args.revoke_link:
        n = svc.revoke_calendar_tokens(walker)
        print(f"turned off {n} calendar link(s) of {walker.name}", file=sys.stderr)
        return EXIT_OK
    if args.new_link:
        from django.urls import reverse

        raw = svc.new_calendar_token(walker)
        print(reverse("calendar_feed", args=[raw]))
        print("prefix it with your server's address; older links stop working", file=sys.stderr)
        return EXIT_OK
    _write(svc.calendar_feed(walker), args.out, "calendar")
    return EXIT_OK


def cmd_api_token(args: argparse.Namespace) -> int:
    """Make an API token and print it (it is shown only this once)."""
    svc = _setup()
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=args.username).first()
    if user is None:
        raise CliError(f"no user called {args.username!r}")
    token, raw = svc.new_api_token(user, args.name)
    if args.json:
        emit_json({"id": token.pk, "token": raw, "user": args.username})
    else:
        print(raw)
        print("keep it secret: it is shown only once", file=sys.stderr)
    return EXIT_OK
