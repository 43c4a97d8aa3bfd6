"""Generated docs stay in sync with the code."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from walkrx import evidence

REPO_ROOT = Path(__file__).resolve().parents[1]


def _gen():
    spec = importlib.util.spec_from_file_location("gen_docs", REPO_ROOT / "scripts" / "gen_docs.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_generated_docs_are_up_to_date():
    for name, render in _gen().GENERATED.items():
        path: Path = REPO_ROOT / "docs" / name
        assert path.read_text() == render(), f"docs/{name} is stale: run python scripts/gen_docs.py"


def test_evidence_doc_names_every_source_and_red_flag():
    text = (REPO_ROOT / "docs" / "evidence.md").read_text()
    for key in evidence.SOURCES:
        assert f"`{key}`" in text
    for code in evidence.RED_FLAGS:
        assert f"`{code}`" in text
    assert "0.77" in text and "0.68–0.87" in text
    assert not evidence.forbidden_claims_in(
        text.split("## Claims that are never shown as facts")[0]
    )
