"""Interop app: FHIR R4 download, iCalendar feed, the JSON API and the tokens they use."""

from django.apps import AppConfig


class InteropConfig(AppConfig):
    """App config."""

    name = "walkrx.web.interop"
    label = "interop"
    verbose_name = "Interoperability"
    default_auto_field = "django.db.models.BigAutoField"
