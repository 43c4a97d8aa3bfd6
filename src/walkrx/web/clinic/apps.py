"""The clinic side: clinicians, their links to walkers, caseload, sessions, reports, audit."""

from django.apps import AppConfig


class ClinicConfig(AppConfig):
    """App config."""

    name = "walkrx.web.clinic"
    label = "clinic"
    verbose_name = "Clinic"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Keep the cached caseload rows in step with the walkers' data."""
        from . import signals

        signals.connect()
