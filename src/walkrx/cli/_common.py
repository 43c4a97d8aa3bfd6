"""Shared pieces of the CLI: exit codes, errors, JSON output, argument types."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_PAUSED = 3


class CliError(Exception):
    """An error to report on stderr with a specific exit code."""

    def __init__(self, message: str, exit_code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def emit_json(data: Any) -> None:
    """Write JSON to stdout (dates as ISO strings)."""
    json.dump(data, sys.stdout, indent=2, default=_default, ensure_ascii=False)
    sys.stdout.write("\n")


def emit_state(as_json: bool, headline: str, state: Any, *, advice: bool = True) -> int:
    """Print a safety-state result: JSON, or the headline with the status and the advice lines."""
    if as_json:
        emit_json(state)
    else:
        print(f"{headline}; status: {state['status']}")
        for line in state["advice"] if advice else ():
            print(f"- {line}")
    return EXIT_OK


def _default(obj: Any) -> Any:
    if isinstance(obj, dt.datetime | dt.date | dt.time):
        return obj.isoformat()
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    if isinstance(obj, set | frozenset | tuple):
        return sorted(obj) if isinstance(obj, set | frozenset) else list(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def date_arg(value: str) -> dt.date:
    """Parse YYYY-MM-DD for argparse, with a clear message."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date in the form YYYY-MM-DD"
        ) from None


def time_arg(value: str) -> dt.time:
    """Parse HH:MM for argparse."""
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a time in the form HH:MM") from None


def pain_arg(value: str) -> int:
    """Parse a 0-10 pain score."""
    try:
        score = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"pain must be a whole number 0-10, not {value!r}"
        ) from None
    if not 0 <= score <= 10:
        raise argparse.ArgumentTypeError(f"pain must be between 0 and 10, not {score}")
    return score


def zone_arg(value: str) -> str:
    """Accept IANA zone names only (``CET``-style names are refused)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if "/" not in value and value != "UTC":
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an IANA zone name; use a name such as Europe/Oslo"
        )
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise argparse.ArgumentTypeError(f"unknown time zone {value!r}") from None
    return value


def get_walker(name: str) -> Any:
    """The walker called ``name`` (Django must be set up); an unknown name is a CliError."""
    from walkrx.web.walking import services as walking

    try:
        return walking.get_walker(name)
    except walking.ServiceError as exc:
        raise CliError(str(exc)) from None
