"""Interop URLs: the calendar feed, the FHIR download, links and tokens, and the JSON API."""

from django.urls import path

from . import views
from .api import api

urlpatterns = [
    path("cal/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("data/fhir.json", views.fhir_download, name="fhir_download"),
    path(
        "clinic/walkers/<slug:name>/fhir.json",
        views.walker_fhir_download,
        name="walker_fhir_download",
    ),
    path("data/calendar/", views.calendar_page, name="calendar_link"),
    path("data/api-tokens/", views.api_tokens, name="api_tokens"),
    path("api/v1/", api.urls),
]
