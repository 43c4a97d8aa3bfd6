"""No string in walkrx.evidence/program/safety shows a §9 forbidden claim.

Scans every string literal of the three packages (docstrings included), except
the module that stores the forbidden claims themselves.
"""

import ast
from pathlib import Path

import pytest

import walkrx
from walkrx.evidence import forbidden_claims_in
from walkrx.safety.pain import PAIN_FEEDBACK

ROOT = Path(walkrx.__file__).parent
FILES = sorted(
    p
    for pkg in ("evidence", "program", "safety")
    for p in (ROOT / pkg).rglob("*.py")
    if p.name != "forbidden.py"
)


def literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def test_the_three_packages_are_scanned() -> None:
    assert {p.parent.name for p in FILES} == {"evidence", "program", "safety"}


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_forbidden_claim_in_source_strings(path: Path) -> None:
    bad = [(s, forbidden_claims_in(s)) for s in literals(path) if forbidden_claims_in(s)]
    assert not bad


def test_pain_feedback_is_advice_and_clean() -> None:
    for verdict, (text, source) in PAIN_FEEDBACK.items():
        # seed advice, except the 2-point meaningful change, which is a research finding
        if verdict == "meaningful-rise":
            assert source == "meaningful-pain-change"
        else:
            assert source.startswith("advice: ")
        assert not forbidden_claims_in(text)
