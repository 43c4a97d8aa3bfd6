"""Regenerate the generated documentation (docs/evidence.md) from code."""

from __future__ import annotations

import sys
from pathlib import Path

from walkrx.cli.docs import cli_markdown, evidence_markdown

DOCS = Path(__file__).resolve().parents[1] / "docs"
GENERATED = {"evidence.md": evidence_markdown, "cli.md": cli_markdown}


def main() -> int:
    for name, render in GENERATED.items():
        (DOCS / name).write_text(render())
        print(f"wrote docs/{name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
