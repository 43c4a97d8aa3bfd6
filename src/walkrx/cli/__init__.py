"""The ``walkrx`` command line: a thin layer over the library.

Exit codes: 0 ok, 1 error, 2 usage, 3 refused because the walker is paused for safety.
Read commands take ``--json`` (JSON on stdout); progress and errors go to stderr.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from walkrx import __version__

from ._common import EXIT_ERROR, CliError

# Each module provides ``register(subparsers)``; its sub-commands set ``func`` to a
# handler ``(args) -> int``.
COMMAND_MODULES = ("core", "safety", "measure", "imports", "cohort", "clinic", "interop")


def build_parser() -> argparse.ArgumentParser:
    """Assemble the parser from every command module."""
    parser = argparse.ArgumentParser(
        prog="walkrx",
        description="walkrx: an evidence-cited walking program for low back pain. "
        "Not a diagnosis: see a clinician about any new or worrying symptom.",
    )
    parser.add_argument("--version", action="version", version=f"walkrx {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"walkrx.cli.{name}")
        except ModuleNotFoundError as exc:  # a command family not installed in this build
            if exc.name != f"walkrx.cli.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = int(args.func(args))
    except CliError as exc:
        print(f"walkrx: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("walkrx: interrupted", file=sys.stderr)
        return EXIT_ERROR
    return code


def entry() -> None:  # pragma: no cover - console-script shim
    """Console-script entry point."""
    sys.exit(main())
