#!/usr/bin/env python
"""Write docs/columns.md from walkrx.summary.glossary (``--check``: fail if out of date)."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from walkrx.summary.glossary import glossary_markdown  # noqa: E402


def main() -> int:
    doc = REPO / "docs" / "columns.md"
    text = glossary_markdown() + "\n"
    if "--check" in sys.argv:
        if not doc.exists() or doc.read_text() != text:
            print(f"{doc} is out of date: run scripts/write_columns_doc.py", file=sys.stderr)
            return 1
        return 0
    doc.write_text(text)
    print(f"wrote {doc}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
