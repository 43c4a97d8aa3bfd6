"""Every named page resolves to itself: no URL pattern hides another's.

The root URLconf lists the walker's pages first (the pages asked for most resolve in
the fewest steps); that order is safe only while no pattern of one app matches a path
of another. This test reverses every named pattern with sample arguments and resolves
the path back.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

SAMPLES: dict[str, Any] = {
    "int": 7,
    "slug": "walker-a",
    "string": "tok3n",
    "path": "a/b",
    "uuid": uuid.UUID(int=5),
}


def _named(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _named(p.url_patterns, inner)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p


def _kwargs(p: URLPattern) -> dict[str, Any]:
    converters = getattr(p.pattern, "converters", {})
    return {
        k: SAMPLES[type(c).__name__.removesuffix("Converter").lower()]
        for k, c in converters.items()
    }


def test_every_named_page_resolves_to_itself() -> None:
    names_at: dict[str, set[str]] = {}
    for name, p in _named(get_resolver().url_patterns):
        if name.startswith("admin:") or not hasattr(p.pattern, "converters"):
            continue  # Django's admin and regex patterns (none of walkrx's own)
        names_at.setdefault(reverse(name, kwargs=_kwargs(p)), set()).add(name)
    for path, names in names_at.items():
        # one path with several names: the API's methods (GET and POST) share a route
        found = resolve(path).view_name
        assert found in names, f"{path} resolves to {found}, not {sorted(names)}"
    assert len(names_at) > 50  # the walker's, the clinic's, the accounts' and the interop pages


def test_the_walkers_pages_are_listed_first() -> None:
    first = get_resolver().url_patterns[0]
    assert isinstance(first, URLResolver)
    assert getattr(first.urlconf_name, "__name__", None) == "walkrx.web.walking.urls"
