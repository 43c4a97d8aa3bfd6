"""Imports app: consumer files (Apple Health, FIT, GPX, Fitbit, CSV), their records, merged days."""

from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """App config."""

    name = "walkrx.web.imports"
    label = "imports"
    verbose_name = "Imports"
    default_auto_field = "django.db.models.BigAutoField"
