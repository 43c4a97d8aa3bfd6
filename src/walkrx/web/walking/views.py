"""Walker pages (placeholder until the service layer lands)."""

from django.http import HttpRequest, HttpResponse


def today(request: HttpRequest) -> HttpResponse:
    """Today's plan."""
    return HttpResponse("walkrx")


def log_walk(request: HttpRequest) -> HttpResponse:
    """Log a walk."""
    return HttpResponse("walkrx")
