"""Red-flag answers on the command line: ``--answers FILE|-``, ``--all-no``, or asked one by one."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ._common import CliError

__all__ = ["answer_args", "ask", "read_answers"]


def answer_args(p: Any) -> None:
    """Add --answers FILE|- and --all-no (mutually exclusive) to a command."""
    g = p.add_mutually_exclusive_group()
    g.add_argument(
        "--answers", metavar="FILE|-", help='red-flag answers as JSON {"code": true|false}'
    )
    g.add_argument(
        "--all-no", action="store_true", help='record the walker\'s own "no" to every question'
    )


def read_answers(args: argparse.Namespace, codes: tuple[str, ...]) -> dict[str, bool] | None:
    """The red-flag answers from --answers/--all-no, or asked in the terminal (None: not given)."""
    if getattr(args, "all_no", False):
        return {c: False for c in codes}
    source = getattr(args, "answers", None)
    if source is None:
        return None
    try:
        if source == "-":
            text = sys.stdin.read()
        else:
            with open(source, encoding="utf-8") as fh:
                text = fh.read()
    except OSError as exc:
        raise CliError(f"{source}: cannot read the answers ({exc.strerror})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CliError(
            f"{source}: not JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from None
    if not isinstance(data, dict) or not all(isinstance(v, bool) for v in data.values()):
        raise CliError(f'{source}: expected a JSON object {{"code": true|false, ...}}')
    return {str(k): v for k, v in data.items()}


def ask(codes: tuple[str, ...]) -> dict[str, bool]:
    """Ask each red-flag question on the terminal (stderr); y/yes or n/no per line."""
    from walkrx.safety import RED_FLAGS

    out: dict[str, bool] = {}
    print("Answer each question with y (yes) or n (no).", file=sys.stderr)
    for code in codes:
        while True:
            print(f"{RED_FLAGS[code].question} [y/n] ", end="", file=sys.stderr, flush=True)
            line = sys.stdin.readline()
            if not line:
                raise CliError("the questions were not all answered (end of input)")
            reply = line.strip().lower()
            if reply in ("y", "yes", "n", "no"):
                out[code] = reply.startswith("y")
                break
    return out
