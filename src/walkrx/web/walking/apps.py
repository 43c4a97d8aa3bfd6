"""The core walking app: walkers, walks, check-ins, safety events, plans, daily activity."""

from django.apps import AppConfig


class WalkingConfig(AppConfig):
    """App config."""

    name = "walkrx.web.walking"
    label = "walking"
    verbose_name = "Walking"
    default_auto_field = "django.db.models.BigAutoField"
