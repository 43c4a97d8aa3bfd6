"""Template helpers: the safety banner shown on every page, citations of evidence keys."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from walkrx.evidence.advice import ADVICE
from walkrx.evidence.findings import FINDINGS
from walkrx.evidence.references import REFERENCES, Reference
from walkrx.evidence.sources import SOURCES

from .. import services
from ..access import walker_of

register = template.Library()

_ADVICE = "Advice (not a research finding): "


@register.simple_tag
def link(name: str) -> str:
    """``{% url name %}`` for a URL without arguments, worked out once per process.

    The navigation of every page has a dozen such links; reversing each on every request
    was a tenth of a page's CPU time.
    """
    return _reversed(name, get_urlconf(), get_script_prefix())


@register.simple_tag(takes_context=True)
def walker_nav(context: Any) -> SafeString:
    """The walker's navigation links, the current page marked: rendered once per page name.

    The links depend on nothing but the page's URL name (and the URL prefix), and
    rendering them was a fifth of a cached page's CPU time.
    """
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match is not None else None
    return _walker_nav(current, get_urlconf(), get_script_prefix())


@lru_cache(maxsize=128)
def _walker_nav(current: str | None, urlconf: Any, prefix: str) -> SafeString:
    return mark_safe(render_to_string("_walker_nav.html", {"u": current}))  # noqa: S308


@lru_cache(maxsize=256)
def _reversed(name: str, urlconf: Any, prefix: str) -> str:
    # the prefix is part of the key: reverse() puts the current script prefix in front
    return reverse(name, urlconf=urlconf)


@register.inclusion_tag("walking/_stop_banner.html", takes_context=True)
def stop_banner(context: dict[str, Any]) -> dict[str, Any]:
    """The stop notice while paused or escalated: on every page, never dismissible."""
    request = context.get("request")
    walker = getattr(request, "walker", None) if request is not None else None
    if walker is None and request is not None and getattr(request, "clinician", None) is None:
        walker = walker_of(request)  # clinic pages (request.clinician) have no walker
    state = context.get("safety_state")
    if walker is not None and state is None:
        state = services.recorded_safety(walker)
    return {
        "safety_state": state,
        "emergency_number": context.get("emergency_number"),
        "urgent_number": context.get("urgent_number"),
        "clinic_contact": context.get("clinic_contact"),
        "on_safety_page": context.get("on_safety_page", False),
        # named on the banner only (paused or escalated): no query on other pages
        "clinician_name": _clinician_name(walker) if walker is not None and _stops(state) else "",
    }


def _stops(state: Any) -> bool:
    return state is not None and state.get("status") in ("paused", "escalated")


def _clinician_name(walker: Any) -> str:
    """The linked clinician's name (``Walker.clinician`` follows the clinic's active link)."""
    user = walker.clinician if walker.clinician_id else None
    clinician = getattr(user, "clinician", None) if user is not None else None
    return str(clinician.full_name) if clinician is not None else ""


def resolve(key: str) -> tuple[Reference | None, str, bool]:
    """(reference, confidence or "", is advice) of a source, finding or advice key."""
    key = str(key).strip()
    is_advice = key.startswith("advice")
    handle = key.removeprefix("advice:").strip() if is_advice else key
    if handle in SOURCES:
        return REFERENCES.get(handle), "", is_advice or SOURCES[handle].is_seed
    if handle in FINDINGS:
        f = FINDINGS[handle]
        return REFERENCES.get(f.source), f.confidence, False
    if handle in ADVICE:
        return REFERENCES.get(ADVICE[handle].seed), "", True
    return None, "", is_advice


def reference_html(ref: Reference) -> SafeString:
    """A citation as people write it, the DOI or URL as a link."""
    if ref.link:
        return format_html(
            '{} <a href="{}" rel="noopener">{}</a>', ref.text(), ref.link, ref.link_text
        )
    return format_html("{}", ref.text())


@register.filter
def cite(key: str) -> SafeString:
    """An evidence key cited as people cite: authors, title, journal or publisher, year, link.

    Advice is labelled as advice; a finding shows its confidence. An unknown key is
    shown as plain text (escaped), never as an internal file name.
    """
    ref, confidence, is_advice = resolve(str(key))
    if ref is None:
        text = str(key).removeprefix("advice:").strip()
        return format_html("{}{}", _ADVICE if is_advice else "", text)
    body = reference_html(ref)
    if is_advice and not ref.is_seed:
        body = format_html("{}{}", _ADVICE, body)
    if confidence:
        body = format_html("{} (confidence: {})", body, confidence)
    return body


@register.filter
def cite_source(source_key: str) -> SafeString:
    """A source key cited with its link (for pages that already hold a source key)."""
    ref = REFERENCES.get(str(source_key))
    return reference_html(ref) if ref else format_html("{}", source_key)


@register.filter
def add_days(day: Any, n: int) -> Any:
    """``day`` plus ``n`` days (for week ranges in templates)."""
    import datetime as dt

    return day + dt.timedelta(days=int(n))


@register.filter
def minutes(value: Any) -> int:
    """Whole minutes of a ``timedelta`` (rounded up), e.g. for the sign-in lockout page."""
    seconds = value.total_seconds() if hasattr(value, "total_seconds") else float(value or 0)
    return int(-(-seconds // 60))
