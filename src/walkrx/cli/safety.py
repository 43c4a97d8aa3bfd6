"""Safety commands: the red-flag screen, clearance by the linked clinician, a walker's own review."""

from __future__ import annotations

import argparse
from typing import Any

from walkrx.evidence.red_flags import RESCREEN_CODES, SCREEN_CODES

from ._answers import answer_args, ask, read_answers
from ._common import EXIT_OK, CliError, date_arg, emit_json, emit_state, get_walker
from .core import _services


def register(sub: Any) -> None:
    """Add the safety commands."""
    p = sub.add_parser("screen", help="answer the red-flag questions (needed before any plan)")
    p.add_argument("name")
    answer_args(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_screen)

    p = sub.add_parser(
        "review", help="a walker without a clinician records a medical review (with a re-screen)"
    )
    p.add_argument("name")
    p.add_argument("--assessed-on", type=date_arg, required=True)
    p.add_argument("--by", required=True, help="who assessed the walker (e.g. 'Dr Lee, GP')")
    p.add_argument("--note", default="")
    answer_args(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_review)

    p = sub.add_parser("clear", help="the walker's linked clinician clears a paused walker")
    p.add_argument("name")
    p.add_argument(
        "--by", required=True, help="the clinician's username (registered and linked to the walker)"
    )
    p.add_argument("--note", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_clear)

    p = sub.add_parser("redflags", help="the red-flag questions and their urgency")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_redflags)


def cmd_screen(args: argparse.Namespace) -> int:
    """Record the walker's answers to the red-flag screen."""
    svc = _services()
    walker = get_walker(args.name)
    answers = read_answers(args, SCREEN_CODES) or ask(SCREEN_CODES)
    try:
        state = svc.record_screening(walker, answers)
    except svc.ServiceError as exc:
        raise CliError(str(exc)) from None
    return emit_state(args.json, "screening recorded", state)


def cmd_review(args: argparse.Namespace) -> int:
    """A walker's own record of a medical review, with the red-flag re-screen."""
    svc = _services()
    walker = get_walker(args.name)
    answers = read_answers(args, RESCREEN_CODES) or ask(RESCREEN_CODES)
    try:
        state = svc.record_self_review(
            walker,
            assessed_on=args.assessed_on,
            assessed_by=args.by,
            note=args.note,
            rescreen=answers,
        )
    except svc.ServiceError as exc:
        raise CliError(str(exc)) from None
    return emit_state(args.json, "review recorded", state, advice=False)


def cmd_clear(args: argparse.Namespace) -> int:
    """Record a clearance."""
    svc = _services()
    walker = get_walker(args.name)
    try:
        state = svc.clear_by_clinician(walker, clinician_username=args.by, note=args.note)
    except svc.ServiceError as exc:
        raise CliError(str(exc)) from None
    return emit_state(args.json, f"clearance recorded by {args.by}", state, advice=False)


def cmd_redflags(args: argparse.Namespace) -> int:
    """List the red-flag questions."""
    from walkrx.safety import RED_FLAGS

    rows = [
        {"code": f.code, "question": f.question, "urgency": f.urgency} for f in RED_FLAGS.values()
    ]
    if args.json:
        emit_json(rows)
    else:
        for r in rows:
            print(f"{r['code']:<34} {r['urgency']:<12} {r['question']}")
    return EXIT_OK
