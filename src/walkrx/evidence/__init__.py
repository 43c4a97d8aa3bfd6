"""EVIDENCE.md as typed data: every number the software uses, with its source."""

from walkrx.evidence.types import Advice, Category, Finding, Source

__all__ = ["Advice", "Category", "Finding", "Source"]
