"""Turn any evidence key (source, finding or advice) into a citation string."""

from __future__ import annotations

from walkrx.evidence.advice import ADVICE
from walkrx.evidence.findings import FINDINGS
from walkrx.evidence.sources import SOURCES

__all__ = ["cite", "is_known_key"]

_ADVICE_LABEL = "advice (a clinician's recommendation, not a research finding)"


def _source_text(key: str) -> str:
    s = SOURCES[key]
    if not s.doi:
        return s.citation
    prefix = "doi:" if s.doi.startswith("10.") else ""
    return f"{s.citation} {prefix}{s.doi}"


def cite(key: str) -> str:
    """Return the citation for a source, finding or advice key.

    Advice is returned labelled as advice with its seed article. Labels of the
    form ``"advice: <seed-key>"`` (as used in plan reasons) and
    ``"advice: <advice-key>"`` are accepted too.
    ``KeyError`` for an unknown key.
    """
    if key.startswith("advice: "):
        key = key.removeprefix("advice: ")
        if key in SOURCES:
            return f"{_ADVICE_LABEL}: {_source_text(key)}"
    if key in SOURCES:
        return _source_text(key)
    if key in FINDINGS:
        f = FINDINGS[key]
        return f"{_source_text(f.source)} [confidence: {f.confidence}]"
    if key in ADVICE:
        a = ADVICE[key]
        return f"{_ADVICE_LABEL}: {_source_text(a.seed)}"
    raise KeyError(f"unknown evidence key {key!r}")


def is_known_key(key: str) -> bool:
    """Whether ``cite(key)`` would succeed."""
    try:
        cite(key)
    except KeyError:
        return False
    return True
