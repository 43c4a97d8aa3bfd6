"""Render the evidence catalogue as Markdown (docs/evidence.md is generated from it)."""

from __future__ import annotations

import argparse
import os

from walkrx import evidence
from walkrx.evidence.hunt import HUNT_INTENSITY_BANDS, HUNT_VOLUME_BANDS


def _ci(ci: tuple[float, float] | None) -> str:
    return f"{ci[0]:.2f}–{ci[1]:.2f}" if ci else "not confirmed"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def evidence_markdown() -> str:
    """Every number walkrx may use, with its source and confidence, as Markdown."""
    out = [
        "# Evidence used by walkrx",
        "",
        "Generated from `walkrx.evidence` by `python scripts/gen_docs.py`; do not edit by hand.",
        "Findings are research results with a confidence grade; **advice** comes from the source",
        "articles (a clinician's recommendation, not a research finding) and a clinician may change it.",
        "",
        "## HUNT categories (Haddadj et al. 2025): association, not causation",
        "",
        "| exposure | category | adjusted RR | 95 % CI |",
        "|---|---|---|---|",
    ]
    for name, bands in (
        ("daily walking volume", HUNT_VOLUME_BANDS),
        ("walking intensity", HUNT_INTENSITY_BANDS),
    ):
        for _lo, _hi, cat in bands:
            if cat.is_reference:
                out.append(f"| {name} | {cat.label} | 1.00 (reference) | — |")
            else:
                out.append(f"| {name} | {cat.label} | {cat.rr:.2f} | {_ci(cat.ci)} |")
    out += [
        "",
        "## Findings",
        "",
        "| key | statement | confidence | source | caveat |",
        "|---|---|---|---|---|",
    ]
    for f in evidence.FINDINGS.values():
        out.append(
            f"| `{f.key}` | {_cell(f.statement)} | {f.confidence} | `{f.source}` | {_cell(f.caveat)} |"
        )
    out += [
        "",
        "## Advice (from the source articles; a clinician may change it)",
        "",
        "| key | advice | from |",
        "|---|---|---|",
    ]
    for a in evidence.ADVICE.values():
        out.append(f"| `{a.key}` | {_cell(a.text)} | `{a.seed}` |")
    out += ["", "## Red flags", "", "| code | question | urgency | source |", "|---|---|---|---|"]
    for r in evidence.RED_FLAGS.values():
        out.append(f"| `{r.code}` | {_cell(r.question)} | {r.urgency} | `{r.source}` |")
    out += ["", "## Claims that are never shown as facts", ""]
    out += [f"- {c.claim}" for c in evidence.FORBIDDEN_CLAIMS]
    out += ["", "## Sources", "", "| key | citation |", "|---|---|"]
    for s in evidence.SOURCES.values():
        doi = f" {s.doi}" if s.doi else ""
        out.append(f"| `{s.key}` | {_cell(s.citation)}{doi} |")
    return "\n".join(out) + "\n"


def cli_markdown() -> str:
    """The ``--help`` of every command, as Markdown (docs/cli.md is generated from it)."""
    from . import build_parser

    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"  # argparse wraps to the terminal width: fix it for the docs
    try:
        return _cli_markdown(build_parser())
    finally:
        if saved is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = saved


def _cli_markdown(parser: argparse.ArgumentParser) -> str:
    out = [
        "# walkrx command line",
        "",
        "Generated from the parser by `python scripts/gen_docs.py`; do not edit by hand.",
        "Exit codes: `0` ok, `1` error, `2` usage, `3` refused because the walker is paused for safety.",
        "Read commands take `--json` (JSON on stdout); progress and errors go to stderr.",
        "",
        "```",
        parser.format_help().rstrip(),
        "```",
    ]

    def walk(p: argparse.ArgumentParser, prefix: str) -> None:
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    out.extend(
                        ["", f"## `{prefix} {name}`", "", "```", sub.format_help().rstrip(), "```"]
                    )
                    walk(sub, f"{prefix} {name}")

    walk(parser, "walkrx")
    return "\n".join(out) + "\n"
