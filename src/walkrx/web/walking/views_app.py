"""The installable web app: manifest, service worker and the offline page."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static


def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest (names, colours, icons, start page)."""
    data = {
        "name": "walkrx: walking for your back",
        "short_name": "walkrx",
        "description": "A walking program for people with low back pain.",
        "start_url": "/today/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5cad",
        "icons": [
            {"src": static("walkrx/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("walkrx/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("walkrx/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(data)
    response["Content-Type"] = "application/manifest+json"
    return response


def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the site root so that it may look after every page."""
    path = finders.find("walkrx/sw.js")
    if not path:
        raise Http404("service worker not found")
    with open(str(path), encoding="utf-8") as fh:
        body = fh.read()
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def offline(request: HttpRequest) -> HttpResponse:
    """Shown by the service worker when there is no connection and no saved plan.

    Rendered as for a visitor: the copy kept on the phone holds nobody's details.
    """
    request.user = AnonymousUser()
    return render(request, "walking/offline.html", {"safety_state": None})
