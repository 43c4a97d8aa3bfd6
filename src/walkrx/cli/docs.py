"""Render the evidence catalogue as Markdown (docs/evidence.md is generated from it)."""

from __future__ import annotations

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
