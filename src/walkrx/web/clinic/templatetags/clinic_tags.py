"""Small template helpers for the clinic pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """``mapping[key]``, or the key itself when missing."""
    return mapping.get(key, key)
