"""Education pages: public, no account needed."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import content


def index(request: HttpRequest) -> HttpResponse:
    """The list of education pages."""
    return render(request, "learn/index.html", {"pages": content.PAGES})


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One education page with its citations resolved from the evidence module."""
    try:
        page = content.page(slug)
    except KeyError:
        raise Http404("no such page") from None
    sections = [
        {"section": s, "citations": [content.cite(k) for k in s.cites]} for s in page.sections
    ]
    pages = list(content.PAGES)
    nxt = pages[(pages.index(page) + 1) % len(pages)]
    return render(request, "learn/page.html", {"page": page, "sections": sections, "next": nxt})
